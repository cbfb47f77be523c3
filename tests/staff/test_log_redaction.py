"""Secrets in URLs never reach a log line: the access log of a real `press serve` included."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from press.db import connect
from press.embargo.journalists import journalist_token_digest, new_journalist_token
from press.log_redaction import RedactSecrets, redact
from tests.cli.test_serve import free_port, start, wait_ready


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            '"GET /feeds/private/pft_abc-DEF_123/releases.rss HTTP/1.1" 200',
            "/feeds/private/[redacted]/releases.rss",
        ),
        ("GET /api/v1/subscriptions/confirm/eyJhbGciOi.sig HTTP/1.1", "/confirm/[redacted] HTTP"),
        ("GET /api/v1/privacy/c2lnbmVk.link", "/api/v1/privacy/[redacted]"),
        (
            "GET /api/v1/embargoed/releases?lang=fi&access_token=pjt_x1 200",
            "?lang=fi&access_token=[redacted] 200",
        ),
        ("token pst_AbC123_-xyz was used", "token pst_[redacted] was used"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"),
    ],
)
def test_secrets_in_a_line_are_redacted_and_the_rest_kept(line: str, kept: str) -> None:
    assert kept in redact(line)
    assert redact(redact(line)) == redact(line)


def test_the_access_log_record_keeps_its_five_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/feeds/private/pft_secret/releases.ics", "1.1", 200), None,
    )  # fmt: skip
    assert RedactSecrets().filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5 - "GET /feeds/private/[redacted]/releases.ics HTTP/1.1" 200'
    )


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="press-logs-")) / "data"
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


async def test_press_serve_writes_no_token_of_a_url_to_its_log(
    fresh_database_url: str, data_dir: Path
) -> None:
    conn = await connect(fresh_database_url)
    try:
        contact_id = await conn.fetchval(
            "INSERT INTO contacts (name, email, embargo_access)"
            " VALUES ('T', 't@news.example', true) RETURNING id"
        )
        feed, api = new_journalist_token("feed"), new_journalist_token("api")
        for token, scope in ((feed, "feed"), (api, "api")):
            await conn.execute(
                "INSERT INTO journalist_tokens (contact_id, token_hash, scope) VALUES ($1, $2, $3)",
                contact_id, journalist_token_digest(token), scope,
            )  # fmt: skip
    finally:
        await conn.close()
    link = secrets.token_urlsafe(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))}
    env |= {"DATABASE_URL": fresh_database_url, "PRESS_DATA_DIR": str(data_dir)}
    port = free_port()
    server = start(env, port)
    try:
        wait_ready(port, server)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.get(f"/feeds/private/{feed}/releases.rss")).status_code == 200
            await client.get(f"/feeds/private/{api}/releases.atom")
            await client.get("/api/v1/embargoed/releases", params={"access_token": api})
            await client.get(f"/api/v1/subscriptions/confirm/{link}")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "/feeds/private/[redacted]/releases.rss" in output, output[-3000:]
    for secret in (feed, api, link, feed.removeprefix("pft_"), api.removeprefix("pjt_")):
        assert secret not in output
