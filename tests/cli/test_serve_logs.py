"""What `press serve` logs when code fails or a client sends what it should not: no secret
of the request (a private feed's token in the path, a token in the query) reaches the log,
whichever logger writes the line (press's error handler, uvicorn's, asyncio's), in JSON
and in text; and in JSON every line, a traceback's included, is one object. Tested on a real
process (tests/cli/serve_with_faults.py: `press serve` with handlers that fail)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve import serving_a_clone

LAUNCHER = str(Path(__file__).with_name("serve_with_faults.py"))


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path, json: bool):
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.log = log
        self.json = json

    def get(self, path: str) -> int:
        return httpx.get(self.base + path, timeout=10).status_code

    def send_raw(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            return received

    def text_after(self, *marks: str, seconds: float = 10) -> str:
        """The log, once every one of `marks` is in it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.log.read_text()
            if all(mark in text for mark in marks):
                return text
            time.sleep(0.05)
        raise AssertionError(f"{marks} not logged:\n{self.log.read_text()[-3000:]}")

    def entries(self, *marks: str) -> list[dict[str, object]]:
        """The log's lines as JSON objects, once every one of `marks` is in it; each line
        but the command's own greeting must be one."""
        text = self.text_after(*marks)
        lines = [line for line in text.splitlines() if not line.startswith("press serving on")]
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module", params=["json", "text"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with serving_a_clone(
        tmp_path_factory, "logs", (LAUNCHER,), PRESS_LOG_FORMAT=request.param
    ) as served:
        yield Server(*served, json=request.param == "json")


def assert_kept_out(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret} reached the log:\n{text[-3000:]}"


def test_a_handlers_error_naming_a_private_feed_url_is_logged_redacted(server: Server) -> None:
    status = server.get("/feeds/private/pft_HandlerPathSecret/raises?token=HandlerQuerySecret")
    assert status == 500
    mark = "raises?token=[redacted]"
    text = server.text_after("unhandled error on GET /feeds/private/[redacted]/raises", mark)
    assert_kept_out(text, "HandlerPathSecret", "HandlerQuerySecret")
    assert "Traceback (most recent call last)" in text
    if server.json:
        [entry] = [e for e in server.entries(mark) if e.get("logger") == "press"]
        assert entry["level"] == "error"
        assert str(entry["message"]).startswith("unhandled error on GET /feeds/private/[redacted]")
        assert "RuntimeError: cannot read http://" in str(entry["message"])


def test_uvicorns_traceback_of_an_error_out_of_the_app_is_logged_redacted(server: Server) -> None:
    assert server.get("/escapes?token=EscapedQuerySecret&lang=fi") == 500
    mark = "cannot read /escapes?token=[redacted]&lang=fi"
    text = server.text_after("Exception in ASGI application", mark)
    assert_kept_out(text, "EscapedQuerySecret")
    if server.json:
        [entry] = [e for e in server.entries(mark) if mark in str(e.get("message"))]
        assert (entry["logger"], entry["level"]) == ("uvicorn.error", "error")
        assert "Traceback (most recent call last)" in str(entry["message"])


def test_a_librarys_logged_error_goes_through_press_lines_redacted(server: Server) -> None:
    """asyncio's logger, like any library's, reaches the root logger's handler: press's
    (a framework that put its own there wrote such lines as unredacted text)."""
    assert server.get("/in-callback?access_token=CallbackQuerySecret") == 404
    mark = "Exception in callback"
    text = server.text_after(mark, "cannot read /in-callback?access_token=[redacted]")
    assert_kept_out(text, "CallbackQuerySecret")
    if server.json:
        [entry] = [e for e in server.entries(mark) if mark in str(e.get("message"))]
        assert (entry["logger"], entry["level"]) == ("asyncio", "error")
        assert "RuntimeError: cannot read" in str(entry["message"])
    else:
        [line] = [line for line in text.splitlines() if mark in line]
        assert " ERROR   asyncio: Exception in callback" in line


def test_an_invalid_request_is_refused_without_logging_its_bytes(server: Server) -> None:
    answer = server.send_raw(
        b"GET /feeds/private/pft_InvalidPathSecret/releases.rss?token=InvalidQuerySecret"
        b" HTTP/1.1\r\nHost: press.test\r\nAuthorization: Bearer InvalidBearerSecret\r\n"
        b"Bad\x01Header: 1\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 400 ")
    text = server.text_after("Invalid HTTP request received.")
    assert_kept_out(text, "InvalidPathSecret", "InvalidQuerySecret", "InvalidBearerSecret")


def test_the_protocols_refusals_log_no_request(server: Server) -> None:
    answer = server.send_raw(
        b"GET /feeds/private/pft_RefusedPathSecret/releases.rss?token=RefusedQuerySecret"
        b" HTTP/1.1\r\nHost: press.test\r\nX-Padding: " + b"a" * 20_000 + b"\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 431 ")
    # A request after it, so that anything the refusal logged is in the log by then.
    assert server.get("/escapes?token=AfterRefusal&after=refusal") == 500
    text = server.text_after("/escapes?token=[redacted]&after=refusal")
    assert_kept_out(text, "RefusedPathSecret", "RefusedQuerySecret", "AfterRefusal")


def test_lines_carry_no_terminal_codes_and_in_json_are_one_object_each(server: Server) -> None:
    # A line (and a traceback) from each of the three loggers: press's, uvicorn's, asyncio's.
    assert server.get("/feeds/private/pft_x/raises?token=x&lines=checked") == 500
    assert server.get("/in-callback?token=x&lines=checked") == 404
    assert server.get("/escapes?token=x&lines=checked") == 500
    text = server.text_after(
        "raises?token=[redacted]&lines=checked",
        "/in-callback?token=[redacted]&lines=checked",
        "/escapes?token=[redacted]&lines=checked",
    )
    assert "\x1b" not in text
    assert "color_message" not in text  # uvicorn's message again, in colour
    if server.json:
        # The request's own line is written after its answer (and the error line before).
        request_line = '"path":"/feeds/private/[redacted]/raises?token=[redacted]&lines=checked"'
        entries = server.entries(request_line)
        assert {"press", "uvicorn.error", "asyncio"} <= {str(e.get("logger")) for e in entries}
        assert all({"time", "level"} <= e.keys() for e in entries)
        paths = {e["path"] for e in entries if e.get("event") == "request"}
        assert "/feeds/private/[redacted]/raises?token=[redacted]&lines=checked" in paths
