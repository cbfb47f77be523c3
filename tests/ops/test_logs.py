"""Log lines: JSON for machines and text for people, batched, redacted; the request log in
front of the app; prometheus_client left unimported until `press serve` has chosen its mode."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import subprocess
import sys
from typing import Any

import httpx
import pytest

from press.log_redaction import might_hold_secret, redact
from press.ops.logs import LineFormatter, LineWriter, wants_json
from press.ops.metrics import Metrics
from press.ops.request_log import RequestLog, request_lines
from press.settings import Settings, SettingsError


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("press.embargo", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def test_a_background_line_is_one_json_object_with_its_fields() -> None:
    line = LineFormatter(json=True).format(
        record("lifted %d release(s)", 2, event="lift", request_id="lift-1", releases=2)
    )
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "lifted 2 release(s)"
    assert (parsed["event"], parsed["request_id"], parsed["releases"]) == ("lift", "lift-1", 2)
    assert (parsed["level"], parsed["logger"]) == ("info", "press.embargo")
    assert parsed["time"].endswith("Z")


def test_a_text_line_ends_in_its_fields() -> None:
    line = LineFormatter(json=False).format(record("sent", event="mail_send_out", tried=3))
    assert line.endswith("press.embargo: sent event=mail_send_out tried=3")


@pytest.mark.parametrize("json_lines", [True, False])
def test_uvicorns_coloured_copy_of_its_message_is_left_out(json_lines: bool) -> None:
    coloured = "Started server process [\x1b[36m%d\x1b[0m]"
    line = LineFormatter(json=json_lines).format(
        record("Started server process [%d]", 7, color_message=coloured)
    )
    assert "Started server process [7]" in line
    assert "color_message" not in line
    assert "\x1b" not in line


@pytest.mark.parametrize("json_lines", [True, False])
def test_no_token_reaches_a_line_by_message_argument_or_field(json_lines: bool) -> None:
    line = LineFormatter(json=json_lines).format(
        record(
            "GET %s",
            "/feeds/private/pft_abcdefghijklmnop.ics",
            url="https://example.org/hook?token=hunter2",
            error="Authorization: Bearer psj_secretsecret",
        )
    )
    for secret in ("abcdefghijklmnop", "hunter2", "secretsecret"):
        assert secret not in line


@pytest.mark.parametrize(
    "line",
    [
        "/feeds/private/anything/releases.rss",
        "/api/v1/subscriptions/confirm/eyJhbGciOi.sig",
        "/api/v1/privacy/c2lnbmVk.link",
        "/api/v1/embargoed/releases?lang=fi&access_token=x1",
        "token pst_AbC123_-xyz was used",
        "Authorization: Bearer abc.def.ghi",
        "AUTHORIZATION: BEARER abc.def.ghi",
    ],
)
def test_every_secret_the_patterns_find_is_looked_for(line: str) -> None:
    """The request log runs the patterns only on text `might_hold_secret` flags."""
    assert redact(line) != line
    assert might_hold_secret(line)


def test_a_plain_path_is_not_looked_through() -> None:
    assert not might_hold_secret("/api/v1/releases/0b7c3a52-1f0e-4f7e-9d65-2f3c6c1b9e0a")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/releases?lang=sv&utm_source=newsletter",
        "/feeds/releases.rss?_=1733530000",
        "/api/v1/releases?source=city-board&topic=economy&cursor=MjAyNi0xMi0wNg",
    ],
)
def test_a_query_naming_no_credential_is_not_looked_through(path: str) -> None:
    assert redact(path) == path
    assert not might_hold_secret(path)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/releases?KEY=abc",
        "/api/v1/releases?lang=fi&Api_Key=abc",
        "/api/v1/files/1/a.jpg?sig=abc&x=1",
        "/api/v1/files/1/a.jpg?Signature=abc",
        "/api/v1/releases?TOKEN=abc",
        "authorization: bearer abc.def",
    ],
)
def test_a_credential_in_any_case_is_looked_for(path: str) -> None:
    assert redact(path) != path
    assert might_hold_secret(path)


def test_json_unless_a_terminal_or_told() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_json("auto", io.StringIO())
    assert not wants_json("auto", Terminal())
    assert wants_json("json", Terminal())
    assert not wants_json("text", io.StringIO())


def test_the_log_format_setting_is_checked() -> None:
    assert Settings.from_env({"PRESS_LOG_FORMAT": "json"}).log_format == "json"
    assert Settings.from_env({}).request_log
    assert not Settings.from_env({"PRESS_REQUEST_LOG": "off"}).request_log
    with pytest.raises(SettingsError, match="PRESS_LOG_FORMAT"):
        Settings.from_env({"PRESS_LOG_FORMAT": "xml"})


async def test_lines_are_written_together_after_a_short_wait() -> None:
    stream = io.BytesIO()
    writer = LineWriter(stream, batch=3, delay=0.05)
    writer.write(b"one\n")
    writer.write(b"two\n")
    assert stream.getvalue() == b""
    await asyncio.sleep(0.1)
    assert stream.getvalue() == b"one\ntwo\n"
    for word in (b"a\n", b"b\n", b"c\n"):
        writer.write(word)
    assert stream.getvalue().endswith(b"a\nb\nc\n")  # a full batch goes at once


class State:
    def __init__(self) -> None:
        self.public_cache = type("Cache", (), {"hits": 0, "misses": 0, "builds": 0})()
        self.db = None


async def test_the_request_log_names_the_route_and_keeps_tokens_out() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["path"].startswith("/feeds/private/"):
            scope["path_template"] = "/feeds/private/{token:str}"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"12345"})

    stream, metrics = io.BytesIO(), Metrics()
    writer = request_lines(True, stream)
    log = RequestLog(app, metrics, writer)
    transport = httpx.ASGITransport(app=log)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        answer = await client.get("/feeds/private/pft_topsecrettoken.ics")
        unknown = await client.get("/nowhere", headers={"X-Request-ID": "bad id!"})
    writer.flush()
    first, second = (json.loads(x) for x in stream.getvalue().splitlines())
    assert first["route"] == "/feeds/private/{token:str}"
    assert first["path"] == "/feeds/private/[redacted]"
    assert (first["status"], first["bytes"]) == (200, 5)
    assert first["request_id"] == answer.headers["x-request-id"]
    assert second["route"] == "unmatched"
    assert unknown.headers["x-request-id"] != "bad id!"
    metrics.flush(State())
    text = metrics.exposition().decode()
    assert "topsecret" not in text
    assert 'route="/feeds/private/{token:str}"' in text


@pytest.mark.parametrize("json_lines", [True, False])
async def test_every_request_is_one_line_with_its_path_as_sent(json_lines: bool) -> None:
    """Paths with quotes, backslashes, non-ASCII and cache-busting queries, each asked twice
    (a line's path is put together once per distinct request and then reused), in order."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"no"})

    stream = io.BytesIO()
    writer = request_lines(json_lines, stream)
    log = RequestLog(app, Metrics(), writer)
    paths = ['/a"b', "/back\\slash", "/sv/pressmeddelanden/%C3%A5%C3%A4", "/api?_=1", "/api?_=2"]
    transport = httpx.ASGITransport(app=log)
    sent = []
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        for path in paths * 2:
            sent.append((await client.get(path)).headers["x-request-id"])
    writer.flush()
    lines = stream.getvalue().decode().splitlines()
    assert len(lines) == len(sent)
    if json_lines:
        parsed = [json.loads(line) for line in lines]
        assert [p["request_id"] for p in parsed] == sent
        assert [p["path"] for p in parsed] == [
            '/a"b',
            "/back\\slash",
            "/sv/pressmeddelanden/åä",
            "/api?_=1",
            "/api?_=2",
        ] * 2
        assert {(p["method"], p["status"], p["bytes"]) for p in parsed} == {("GET", 404, 2)}
        assert all(p["time"].endswith("Z") and p["duration_ms"] >= 0 for p in parsed)
    else:
        assert all(f"request_id={rid}" in line for rid, line in zip(sent, lines, strict=True))
        assert ' /a"b 404 ' in lines[0]


def test_the_command_does_not_import_prometheus_client() -> None:
    """prometheus_client picks its mode when first imported: `press serve` sets
    PROMETHEUS_MULTIPROC_DIR first, so nothing it imports before may import it."""
    code = "import sys, press.cli; print('prometheus_client' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
