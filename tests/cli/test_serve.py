"""`press serve` as a real process on the embedded PostgreSQL: demo content, a clean stop,
a second start refused, and recovery after a hard kill (by itself, or by `press db stop`)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from tests.conftest import clone_database, drop_database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def press(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "press", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start(env: dict[str, str], port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "press", "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextlib.contextmanager
def serving_a_clone(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    command: Sequence[str] = ("-m", "press"),
    **settings: str,
) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    """`press serve` with one process and no workers, on a fresh clone of the test database
    and its own data directory, with `settings` (environment variables) over the defaults;
    yields the process, its port and the file its output goes to. Stopped, and the clone
    dropped, on leaving. `command` is what Python runs, `serve` its first argument."""
    url = asyncio.run(clone_database(name + os.urandom(3).hex()))
    data_dir = tmp_path_factory.mktemp("serve-" + name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))}
    env |= {"DATABASE_URL": url, "PRESS_DATA_DIR": str(data_dir), "PRESS_NO_WORKERS": "1"}
    env |= settings
    port = free_port()
    log = data_dir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, *command, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        wait_ready(port, process)
        yield process, port, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        asyncio.run(drop_database(url))


def wait_ready(port: int, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("press serve did not become ready")


def postgres_running(data_dir: Path) -> bool:
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root the embedded server runs as another user, and pytest
    # resets its own temporary root to mode 0700 whenever a session starts.
    path = Path(tempfile.mkdtemp(prefix="press-serve-")) / "data"
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture
def env(data_dir: Path) -> Iterator[dict[str, str]]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))
    }
    environment["PRESS_DATA_DIR"] = str(data_dir)
    yield environment
    press(environment, "db", "stop")


def test_serve_with_demo_then_stop_cleanly(env: dict[str, str], data_dir: Path) -> None:
    port = free_port()
    server = start(env, port, "--demo")
    try:
        wait_ready(port, server)
        base = f"http://127.0.0.1:{port}"
        releases = httpx.get(f"{base}/api/v1/releases", params={"limit": 100}).json()["items"]
        assert len(releases) >= 20
        assert {r["source"]["slug"] for r in releases} == {
            "city-council",
            "city-board",
            "city-executive-office",
        }
        assert any(r["corrections"] for r in releases)
        schema = httpx.get(f"{base}/schema/openapi.json").json()
        assert schema["openapi"].startswith("3.")

        second = press(env, "serve", "--port", str(free_port()))
        assert second.returncode == 1
        assert "in use by press" in second.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "PostgreSQL (embedded) stopped" in output, output[-3000:]
    assert not postgres_running(data_dir)
    again = press(env, "demo")
    assert again.returncode == 0, again.stderr
    assert "already present" in again.stdout


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])


def serve_then_kill_hard(env: dict[str, str], data_dir: Path) -> int:
    """Start `press serve`, then end it with SIGKILL as the OOM killer would; its pid."""
    port = free_port()
    server = start(env, port)
    wait_ready(port, server)
    server.kill()
    server.communicate(timeout=30)
    assert postgres_running(data_dir)
    return server.pid


def test_serve_after_a_hard_kill_stops_the_server_left_behind_and_starts_again(
    env: dict[str, str], data_dir: Path
) -> None:
    # As under systemd after an OOM kill: the supervisor simply starts press again.
    first_pid = serve_then_kill_hard(env, data_dir)
    left_behind = postmaster_pid(data_dir)

    port = free_port()
    second = start(env, port)
    try:
        wait_ready(port, second)
        assert postmaster_pid(data_dir) != left_behind
        response = httpx.get(f"http://127.0.0.1:{port}/api/v1/releases")
        assert response.status_code == 200
    finally:
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=60)
    said = [line for line in output.splitlines() if "left running" in line]
    assert said == [
        f"PostgreSQL (embedded, pid {left_behind}) was left running by press (pid {first_pid}),"
        " which is gone: stopped it cleanly and starting it again"
    ], output[-3000:]
    assert not postgres_running(data_dir)


def test_hard_kill_leaves_a_server_that_db_stop_handles(
    env: dict[str, str], data_dir: Path
) -> None:
    serve_then_kill_hard(env, data_dir)
    stopped = press(env, "db", "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not postgres_running(data_dir)
    status = press(env, "db", "status")
    assert status.returncode == 0, status.stderr
    assert "up to date" in status.stdout
