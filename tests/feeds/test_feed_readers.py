"""Real feed readers against the app served over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import uvicorn

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.feeds.helpers import seed_public_releases

RSS = "/feeds/releases.rss"
ATOM = "/feeds/releases.atom"


@pytest.fixture
async def served(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[tuple[str, list[tuple[str, int]]]]:
    """The app on an ephemeral port; yields its base URL and the (path, status) it sent."""
    app = create_app(settings, database=SingleConnectionDatabase(conn))
    answered: list[tuple[str, int]] = []

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def send_status(message: Any) -> None:
            if message["type"] == "http.response.start":
                answered.append((scope["path"], message["status"]))
            await send(message)

        await app(scope, receive, send_status)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(recording, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):  # uvicorn offers no event to wait on; poll its flag (5 s at most)
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", answered
    finally:
        server.should_exit = True
        await task
        sock.close()


async def newsboat_reload(home: Path, *urls: str) -> None:
    (home / "urls").write_text("".join(url + "\n" for url in urls))
    process = await asyncio.create_subprocess_exec(
        "newsboat",
        "-u",
        str(home / "urls"),
        "-c",
        str(home / "cache.db"),
        "-C",
        str(home / "config"),
        "-x",
        "reload",
        env={"HOME": str(home), "LANG": "C.UTF-8", "TERM": "dumb"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode == 0, err


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="newsboat is not installed")
@pytest.mark.parametrize("feed", [RSS, ATOM])
async def test_newsboat_caches_items_and_its_third_reload_gets_304(
    served: tuple[str, list[tuple[str, int]]],
    conn: asyncpg.Connection,
    tmp_path: Path,
    feed: str,
) -> None:
    base, answered = served
    await seed_public_releases(conn, 3)
    (tmp_path / "config").write_text("")
    for _ in range(3):
        await newsboat_reload(tmp_path, base + feed)
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        assert cache.execute("SELECT count(*) FROM rss_item").fetchone() == (3,)
        assert cache.execute("SELECT count(*) FROM rss_item WHERE pubDate > 0").fetchone() == (3,)
        links = cache.execute("SELECT url FROM rss_item").fetchall()
    assert all(url.startswith("http") for (url,) in links)  # each item links to its page
    statuses = [status for path, status in answered if path == feed]
    assert statuses[0] == 200
    assert statuses[2] == 304


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="newsboat is not installed")
async def test_newsboat_following_the_finnish_and_swedish_feeds_keeps_both_translations(
    served: tuple[str, list[tuple[str, int]]], conn: asyncpg.Connection, tmp_path: Path
) -> None:
    base, _ = served
    fi = await seed_public_releases(conn, 2)
    await conn.execute(
        "INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug) "
        "SELECT release_id, 'sv', 'Meddelande', 'Ingress', 'Text', '<p>Text</p>', slug || '-sv' "
        "FROM release_translations WHERE release_id = ANY($1::uuid[])",
        fi,
    )
    (tmp_path / "config").write_text("")
    await newsboat_reload(tmp_path, f"{base}{RSS}?lang=fi", f"{base}{RSS}?lang=sv")
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        rows = cache.execute("SELECT feedurl, title FROM rss_item ORDER BY feedurl").fetchall()
    assert len(rows) == 4
    assert sorted({url.rsplit("=", 1)[1] for url, _ in rows}) == ["fi", "sv"]
    assert sum(title == "Meddelande" for _, title in rows) == 2
