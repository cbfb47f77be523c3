"""`press serve` bounds what a client may send: a request head over 16 kB is answered 431
without being read, and heads and bodies that trickle in (slowloris) are cut off. Tested on
a real `press serve` process with raw sockets."""

from __future__ import annotations

import select
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_serve import serving_a_clone

TIMEOUT = 2  # PRESS_HEADER_TIMEOUT_SECONDS and PRESS_BODY_TIMEOUT_SECONDS of the server


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving_a_clone(
        tmp_path_factory,
        "limits",
        PRESS_HEADER_TIMEOUT_SECONDS=str(TIMEOUT),
        PRESS_BODY_TIMEOUT_SECONDS=str(TIMEOUT),
    ) as (process, port, _):
        yield Server(process, port)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def head(path: str, *headers: str, method: str = "GET") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


def test_headers_over_16_kb_are_answered_431_and_the_connection_closed(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(head("/healthz", "X-Padding: " + "a" * 20_000))
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"application/problem+json" in answer
    assert b"headers are over 16384 bytes" in answer


def test_headers_within_the_limit_are_served(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(head("/healthz", "X-Padding: " + "a" * 15_000, "Connection: close"))
        assert read_all(sock).startswith(b"HTTP/1.1 200 OK\r\n")


def read_response(sock: socket.socket) -> bytes:
    """One response with a Content-Length, leaving the connection open."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head_part, _, body = received.partition(b"\r\n\r\n")
    length = int(head_part.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head_part


def test_every_request_on_a_kept_alive_connection_has_the_same_bounds(server: Server) -> None:
    with server.connect() as sock:
        for _ in range(3):
            sock.sendall(head("/healthz", "X-Padding: " + "a" * 15_000))
            assert read_response(sock).startswith(b"HTTP/1.1 200 OK")
        sock.sendall(head("/healthz", "X-Padding: " + "a" * 17_000))
        assert read_all(sock).startswith(b"HTTP/1.1 431")


def test_a_50_mb_header_is_not_read(server: Server) -> None:
    before = server.rss_kb()
    sent = 0
    with server.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
        chunk = b"a" * 1024 * 1024
        with pytest.raises((BrokenPipeError, ConnectionResetError)):  # noqa: PT012
            while sent < 50 * len(chunk):
                sock.sendall(chunk)
                sent += len(chunk)
    # What the server did not read filled the sockets' buffers, then the connection closed.
    assert sent < 16 * len(chunk)
    assert server.rss_kb() - before < 10 * 1024
    with server.connect() as sock:
        sock.sendall(head("/healthz", "Connection: close"))
        assert read_all(sock).startswith(b"HTTP/1.1 200 OK\r\n")


def trickle(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """Send a byte every 0.2 s until the server answers or closes; what it sent and when."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        readable, _, _ = select.select([sock], [], [], 0.2)
        if readable:
            return read_all(sock), time.monotonic() - started
        try:
            sock.sendall(b"x")
        except (BrokenPipeError, ConnectionResetError):
            return b"", time.monotonic() - started
    raise AssertionError(f"the server still reads after {within} s")


def test_a_head_sent_a_byte_at_a_time_is_cut_off(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        answer, after = trickle(sock, within=TIMEOUT + 8)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert TIMEOUT - 0.5 < after < TIMEOUT + 2


def test_a_connection_that_sends_nothing_is_closed(server: Server) -> None:
    with server.connect() as sock:
        started = time.monotonic()
        assert read_all(sock) == b""
    assert time.monotonic() - started < TIMEOUT + 2


def test_a_body_sent_a_byte_at_a_time_is_cut_off(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(
            head(
                "/api/v1/auth/token",
                "Content-Type: application/json",
                "Content-Length: 100000",
                method="POST",
            )
        )
        answer, after = trickle(sock, within=TIMEOUT + 8)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"body came slower than" in answer
    assert TIMEOUT - 0.5 < after < TIMEOUT + 2


def test_a_slow_but_steady_upload_is_not_cut_off(server: Server) -> None:
    # 32 kB a second for about 4 s: longer than the body timeout, far above the least rate.
    body = b'{"email": "a@city.example", "password": "' + b"p" * 128_000 + b'"}'
    with server.connect() as sock:
        sock.sendall(
            head(
                "/api/v1/auth/token",
                "Content-Type: application/json",
                f"Content-Length: {len(body)}",
                "Connection: close",
                method="POST",
            )
        )
        started = time.monotonic()
        for offset in range(0, len(body), 8192):
            sock.sendall(body[offset : offset + 8192])
            time.sleep(0.25)
        answer = read_all(sock)
    assert time.monotonic() - started > TIMEOUT + 1
    status = int(answer.split(b" ", 2)[1])
    assert status != 408
    assert 400 <= status < 500  # the app's own answer to a password this long
