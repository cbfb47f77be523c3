"""WebSub: a hub hears of each public change once, after it committed, never before a lift."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import asyncpg
import httpx
import msgspec

from press.app import create_app
from press.db import PoolDatabase
from press.feeds.websub import HubPinger, topic_urls
from press.settings import Settings
from tests.embargo.outbox import emit
from tests.embargo.receiver import Receiver
from tests.embargo.waiting import eventually, running

PUBLIC = "http://press.test"


def pinger(db: PoolDatabase, url: str, hub: Receiver) -> HubPinger:
    return HubPinger(db, url, hub.url, PUBLIC, timeout_seconds=2, backoff_base=0.2)


def form(hub: Receiver, n: int) -> dict[str, list[str]]:
    return parse_qs(hub.requests[n].body.decode())


async def test_two_instances_ping_the_hub_once_per_change_with_every_feed(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    await emit(fresh_conn, "release.published")
    async with (
        running(pinger(fresh_db, fresh_database_url, receiver).run()),
        running(pinger(fresh_db, fresh_database_url, receiver).run()),
    ):
        await eventually(lambda: receiver.requests)
        await asyncio.sleep(1.5)  # both instances have looked again
        assert len(receiver.requests) == 1
        request = receiver.requests[0]
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert form(receiver, 0) == {"hub.mode": ["publish"], "hub.url": topic_urls(PUBLIC)}
        # Internal events are not announced; a rolled-back change leaves nothing to announce.
        await emit(fresh_conn, "release.embargoed")
        try:
            async with fresh_conn.transaction():
                await emit(fresh_conn, "release.updated")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        await asyncio.sleep(1.5)
        assert len(receiver.requests) == 1
        await emit(fresh_conn, "release.withdrawn")
        await eventually(lambda: len(receiver.requests) == 2)


async def test_feeds_name_the_hub_and_themselves(
    fresh_db: PoolDatabase, settings: Settings
) -> None:
    hub = "https://hub.example/"
    app = create_app(msgspec.structs.replace(settings, websub_hub=hub), database=fresh_db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
        for path in ("/feeds/releases.rss", "/feeds/releases.atom?lang=sv"):
            response = await client.get(path)
            assert response.headers["link"] == f'<{hub}>; rel="hub", <{PUBLIC}{path}>; rel="self"'
        atom = await client.get("/feeds/releases.atom")
        assert f'href="{hub}" rel="hub"' in atom.text
    plain = create_app(settings, database=fresh_db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=plain), base_url=PUBLIC
    ) as client:
        assert "link" not in (await client.get("/feeds/releases.rss")).headers
