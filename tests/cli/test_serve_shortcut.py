"""`press serve` answers what the public cache holds as soon as a request's head is read
(press.protocol): the answer must be the one the app would have given, byte for byte bar
the date and the request id, for GET, HEAD and revalidations, on kept-alive and pipelined
connections alike, and it is logged like any other. Tested on a real `press serve` process
with raw sockets, as a feed reader or a proxy talks to it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_serve import serving_a_clone

CACHED = ("/api/v1/releases", "/feeds/releases.rss", "/feeds/events.ics")


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def request_lines(self) -> list[dict[str, object]]:
        lines = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{") and '"event":"request"' in line:
                lines.append(json.loads(line))
        return lines


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving_a_clone(tmp_path_factory, "shortcut", PRESS_LOG_FORMAT="json") as served:
        yield Server(*served)


def request(path: str, *headers: str, method: str = "GET", version: str = "1.1") -> bytes:
    lines = [f"{method} {path} HTTP/{version}", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


class Reader:
    """Responses read off one connection, one at a time (Content-Length framed)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def response(self, head_only: bool = False) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buffer:
            assert self._fill(), f"connection closed mid-response: {self.buffer!r}"
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            assert name.lower() not in headers, f"{name} sent twice"
            headers[name.lower()] = value.strip()
        status = int(status_line.split()[1])
        length = 0 if head_only or status == 304 else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            assert self._fill(), "connection closed mid-body"
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self) -> bool:
        """Whether the server closes the connection with nothing more to send."""
        self.sock.settimeout(5)
        return not self._fill() and not self.buffer


def comparable(headers: dict[str, str]) -> dict[str, str]:
    """Headers that must be the same on every answer of an unchanged resource."""
    return {k: v for k, v in headers.items() if k not in ("date", "x-request-id")}


@pytest.mark.parametrize("path", CACHED)
def test_an_answer_from_the_cache_is_the_apps_answer(server: Server, path: str) -> None:
    with server.connect() as sock:
        reader = Reader(sock)
        answers = []
        for _ in range(3):  # built by the app, then kept: sent from the cache
            sock.sendall(request(path))
            answers.append(reader.response())
    first_status, first_headers, first_body = answers[0]
    assert first_status == 200
    assert first_body
    for status, headers, body in answers[1:]:
        assert (status, body) == (200, first_body)
        assert comparable(headers) == comparable(first_headers)
        assert headers["x-request-id"] != first_headers["x-request-id"]
        assert "date" in headers
        assert "connection" not in headers


def test_head_and_revalidation_from_the_cache(server: Server) -> None:
    path = "/api/v1/releases"
    with server.connect() as sock:
        reader = Reader(sock)
        sock.sendall(request(path))
        _, headers, body = reader.response()
        sock.sendall(request(path))  # kept now
        reader.response()
        sock.sendall(request(path, method="HEAD"))
        status, head_headers, _ = reader.response(head_only=True)
        assert status == 200
        assert head_headers["content-length"] == str(len(body))
        assert comparable(head_headers) == comparable(headers)
        sock.sendall(request(path, f"If-None-Match: {headers['etag']}"))
        status, not_modified, rest = reader.response()
        assert (status, rest) == (304, b"")
        assert not_modified["etag"] == headers["etag"]
        assert "content-length" not in not_modified
        sock.sendall(request(path, 'If-None-Match: "something-else"'))
        status, _, again = reader.response()
        assert (status, again) == (200, body)
        # Nothing was left over: the HEAD sent no body, the 304 none either.
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)


def test_pipelined_requests_are_answered_in_order(server: Server) -> None:
    with server.connect() as sock:
        reader = Reader(sock)
        sock.sendall(request("/api/v1/releases"))
        _, _, listed = reader.response()
        sock.sendall(request("/feeds/releases.rss"))
        _, _, feed = reader.response()
        # Cached, not cached (the app answers it), cached, a HEAD, then cached again: all
        # in one write, as a pipelining client sends them.
        sock.sendall(
            request("/api/v1/releases")
            + request("/api/v1/sources")
            + request("/feeds/releases.rss")
            + request("/api/v1/releases", method="HEAD")
            + request("/api/v1/releases", "X-Request-ID: pipelined-5")
        )
        status, _, first = reader.response()
        assert (status, first) == (200, listed)
        status, headers, sources = reader.response()
        assert status == 200
        assert headers["content-type"] == "application/json"
        assert b"city-board" in sources
        status, _, third = reader.response()
        assert (status, third) == (200, feed)
        status, head_headers, _ = reader.response(head_only=True)
        assert (status, head_headers["content-length"]) == (200, str(len(listed)))
        status, last_headers, last = reader.response()
        assert (status, last) == (200, listed)
        assert last_headers["x-request-id"] == "pipelined-5"


def test_http_1_0_and_connection_close_end_the_connection(server: Server) -> None:
    path = "/api/v1/releases"
    with server.connect() as sock:
        reader = Reader(sock)
        sock.sendall(request(path))
        _, _, body = reader.response()
    for raw in (request(path, version="1.0"), request(path, "Connection: close")):
        with server.connect() as sock:
            reader = Reader(sock)
            sock.sendall(raw)
            status, headers, again = reader.response()
            assert (status, again) == (200, body)
            assert headers["connection"] == "close"
            assert reader.closed()


def test_a_kept_connection_stays_open_between_polls(server: Server) -> None:
    """A reader polling every second on one connection: the keep-alive timeout (5 s) runs
    from each answer, and no answer from the cache leaves a stale timer behind."""
    with server.connect() as sock:
        reader = Reader(sock)
        for _ in range(4):
            sock.sendall(request("/feeds/events.ics"))
            assert reader.response()[0] == 200
            time.sleep(1.5)


def test_answers_from_the_cache_are_logged(server: Server) -> None:
    path = "/feeds/releases.rss"
    with server.connect() as sock:
        reader = Reader(sock)
        for method, request_id in (("GET", "log-1"), ("GET", "log-2"), ("HEAD", "log-3")):
            sock.sendall(
                request(f"{path}?utm_source=x", f"X-Request-ID: {request_id}", method=method)
            )
            reader.response(head_only=method == "HEAD")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = {line["request_id"]: line for line in server.request_lines()}
        if {"log-1", "log-2", "log-3"} <= lines.keys():
            break
        time.sleep(0.2)
    for request_id, method in (("log-1", "GET"), ("log-2", "GET"), ("log-3", "HEAD")):
        line = lines[request_id]
        assert (line["method"], line["status"]) == (method, 200)
        assert line["route"] == path
        assert line["path"] == f"{path}?utm_source=x"
    assert lines["log-3"]["bytes"] == 0
    assert lines["log-2"]["bytes"] == lines["log-1"]["bytes"] > 0
