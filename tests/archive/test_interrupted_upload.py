"""An upload cut off mid-body, against a real server process, leaves nothing behind."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from press.db import connect
from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX, hash_password


@pytest.fixture
def server_socket() -> Iterator[socket.socket]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener
    listener.close()


def start_server(
    listener: socket.socket, database_url: str, data_dir: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRESS_DATA_DIR": str(data_dir),
        "PRESS_SECRET_KEY": "test",
        "PRESS_NO_WORKERS": "1",
        "PRESS_MAX_UPLOAD_MB": "5",
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "tests.archive.server_app:app",
        "--fd", str(listener.fileno()), "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, pass_fds=(listener.fileno(),))


async def editor_token(database_url: str) -> str:
    conn = await connect(database_url)
    try:
        user = await staff_repository.create_staff_user(
            conn, "uploader@city.example", "Uploader", "editor", await hash_password("x" * 12)
        )
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
        await staff_repository.create_staff_token(conn, user.id, token, 1)
        return token
    finally:
        await conn.close()


STARTUP_SECONDS = 90.0


def wait_until(condition: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def healthy(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return probe.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


async def test_interrupted_upload_leaves_no_file_and_no_row(
    fresh_database_url: str, tmp_path: Path, server_socket: socket.socket
) -> None:
    token = await editor_token(fresh_database_url)
    server = start_server(server_socket, fresh_database_url, tmp_path)
    port = server_socket.getsockname()[1]
    incoming = tmp_path / "files" / "incoming"
    try:
        # Start-up on a loaded two-core machine can take a while; what is tested comes after.
        assert await asyncio.to_thread(wait_until, lambda: healthy(port), STARTUP_SECONDS)
        boundary = "cut-off-boundary"
        preamble = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        ).encode()
        head = (
            "POST /api/v1/manage/files/ HTTP/1.1\r\nHost: press.test\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {4 * 2**20}\r\n\r\n"
        ).encode()
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(head + preamble + b"x" * (2 * 2**20))
        # The half body is on disk, in a temporary object, while the upload is open...
        assert await asyncio.to_thread(
            wait_until, lambda: incoming.exists() and any(incoming.iterdir())
        )
        client.close()
        # ...and gone once the client has gone.
        assert await asyncio.to_thread(wait_until, lambda: not any(incoming.iterdir()))
        objects = [p for p in (tmp_path / "files" / "objects").rglob("*") if p.is_file()]
        assert objects == []
        conn = await connect(fresh_database_url)
        try:
            assert await conn.fetchval("SELECT count(*) FROM files") == 0
        finally:
            await conn.close()
        assert healthy(port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
