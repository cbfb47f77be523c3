"""The outbox gauges an operator's alert reads (`PressOutboxStuck`): a consumer whose
endpoint refuses shows its waiting event, growing older, until the endpoint accepts it."""

from __future__ import annotations

import asyncio
import re
import uuid

import asyncpg
import msgspec

from press.cdn import CdnPurger
from press.db import PoolDatabase
from press.ops.scrape import database_gauges
from press.settings import Settings
from tests.embargo.outbox import emit
from tests.embargo.receiver import Receiver
from tests.embargo.waiting import eventually, running


async def cdn_backlog(conn: asyncpg.Connection, settings: Settings) -> tuple[float, float]:
    """The CDN purger's waiting events and the oldest one's age, as /metrics shows them."""
    text = "\n".join(await database_gauges(conn, settings))

    def sample(name: str) -> float:
        found = re.search(rf'^{name}{{consumer="cdn"}} (\S+)$', text, re.M)
        assert found, f"{name} for the CDN purger missing from:\n{text}"
        return float(found.group(1))

    return sample("press_outbox_backlog_events"), sample("press_outbox_oldest_seconds")


async def test_a_refusing_cdn_shows_in_the_gauges_until_it_accepts(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
    settings: Settings,
) -> None:
    configured = msgspec.structs.replace(settings, run_workers=True, cdn_purge_url=receiver.url)
    purger = CdnPurger(
        fresh_db, fresh_database_url, receiver.url, "http://press.test", backoff_base=0.2
    )
    assert await cdn_backlog(fresh_conn, configured) == (0, 0)
    receiver.status = 503
    async with running(purger.run()):
        await emit(fresh_conn, "release.withdrawn", uuid.uuid4())
        await eventually(lambda: len(receiver.requests) >= 2)  # refused, and tried again
        waiting, age = await cdn_backlog(fresh_conn, configured)
        assert waiting == 1
        assert age > 0
        await asyncio.sleep(0.5)
        assert (await cdn_backlog(fresh_conn, configured))[1] >= age + 0.4  # older by then
        receiver.status = 202
        await eventually(lambda: _drained(fresh_conn, configured))
    assert await cdn_backlog(fresh_conn, configured) == (0, 0)


async def _drained(conn: asyncpg.Connection, settings: Settings) -> bool:
    return await cdn_backlog(conn, settings) == (0, 0)
