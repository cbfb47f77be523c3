"""The mail workers: started by the app itself when it has an SMTP server and workers
enabled; two at once send each mail once; mail of a release gone since is dropped and the
worker goes on."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from pathlib import Path

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from press.app import create_app
from press.db import PoolDatabase, connect
from press.delivery.queue import expand_pending_events
from press.delivery.sender import SenderConfig
from press.delivery.worker import run_mail_workers
from press.ops.metrics import Metrics
from press.settings import Settings
from tests.delivery.conftest import Inbox
from tests.delivery.test_crash import published_release, seed_send_out, wait_for


async def test_app_lifespan_runs_the_mail_workers(
    fresh_database_url: str, smtp: Inbox, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=fresh_database_url,
        data_dir=tmp_path,
        secret_key="lifespan",
        smtp_url=smtp.url,
        run_workers=True,
        mail_rate=1000,
    )
    conn = await connect(fresh_database_url)
    try:
        await seed_send_out(conn, 5)
        async with AsyncTestClient(create_app(settings)) as client:
            assert (await client.get("/healthz")).status_code == 200

            async def all_received() -> bool:
                return len(smtp.received) == 5

            await wait_for(all_received, 10)
        await asyncio.sleep(0.1)
        assert len(smtp.received) == 5
    finally:
        await conn.close()


async def test_app_without_smtp_url_sends_nothing(
    fresh_database_url: str, smtp: Inbox, tmp_path: Path
) -> None:
    settings = Settings(database_url=fresh_database_url, data_dir=tmp_path, secret_key="x")
    conn = await connect(fresh_database_url)
    try:
        await seed_send_out(conn, 2)
        async with AsyncTestClient(create_app(settings)) as client:
            assert (await client.get("/healthz")).status_code == 200
            await asyncio.sleep(0.3)
        assert smtp.received == []
        assert await conn.fetchval("SELECT count(*) FROM mail_deliveries") == 0
    finally:
        await conn.close()


async def test_two_mail_workers_at_once_send_each_release_mail_once(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, smtp: Inbox, settings: Settings
) -> None:
    # Two instances, each with its own pool, expander and sender, over one send-out: small
    # leases, so both take part in it.
    await seed_send_out(fresh_conn, 200)
    mail_settings = msgspec.structs.replace(settings, smtp_url=smtp.url)
    config = SenderConfig(rate=400, batch=5, connections=2, lease_seconds=30)
    databases = [await PoolDatabase.open(fresh_database_url, 1, 4) for _ in range(2)]
    tallies = [Metrics(), Metrics()]
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(
            run_mail_workers(db, mail_settings, config, stop, poll_seconds=0.05, metrics=m)
        )
        for db, m in zip(databases, tallies, strict=True)
    ]
    try:

        async def all_received() -> bool:
            return len(smtp.received) >= 200

        await wait_for(all_received, 20)
        await asyncio.sleep(0.5)  # rounds enough for a second copy, were one queued
    finally:
        stop.set()
        await asyncio.gather(*workers)
        for db in databases:
            await db.close()
    per_address = Counter(r for rcpts, _ in smtp.received for r in rcpts)
    assert len(per_address) == 200
    assert set(per_address.values()) == {1}
    states = dict(await fresh_conn.fetch("SELECT state, count(*) FROM mail_deliveries GROUP BY 1"))
    assert states == {"sent": 200}
    assert await fresh_conn.fetchval("SELECT recipients FROM mail_outbox_events") == 200
    sent = [
        m.registry.get_sample_value("press_mail_attempts_total", {"outcome": "sent"})
        for m in tallies
    ]
    assert sum(s or 0 for s in sent) == 200
    assert all(sent), f"one worker sent nothing: {sent}"


@pytest.mark.parametrize(
    "change",
    [
        "DELETE FROM releases WHERE id = $1",
        "UPDATE releases SET state = 'withdrawn', withdrawn_at = now() WHERE id = $1",
    ],
    ids=["deleted", "withdrawn"],
)
async def test_mail_of_a_gone_release_is_dropped_once_and_the_worker_goes_on(
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    smtp: Inbox,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    change: str,
) -> None:
    caplog.set_level(logging.INFO, logger="press")
    queued = await seed_send_out(fresh_conn, 3)
    await expand_pending_events(fresh_conn)  # its mail waits in the queue
    unexpanded = await published_release(fresh_conn)  # its event waits in the outbox
    for release_id in (queued, unexpanded):
        await fresh_conn.execute(change, release_id)
    mail_settings = msgspec.structs.replace(settings, smtp_url=smtp.url)
    config = SenderConfig(rate=10_000, batch=100, connections=1)
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_mail_workers(fresh_db, mail_settings, config, stop, poll_seconds=0.05)
    )
    try:

        async def dropped() -> bool:
            open_rows = await fresh_conn.fetchval(
                "SELECT count(*) FROM mail_deliveries WHERE state <> 'cancelled'"
            )
            expanded = await fresh_conn.fetchval("SELECT count(*) FROM mail_outbox_events")
            return bool(open_rows == 0 and expanded == 2)

        await wait_for(dropped, 10)
        dropped_rows = await fresh_conn.fetch("SELECT * FROM mail_deliveries ORDER BY id")
        # The same running worker mails the next release.
        following = await published_release(fresh_conn)

        async def following_sent() -> bool:
            return len(smtp.received) >= 3

        await wait_for(following_sent, 10)
        await asyncio.sleep(0.3)  # rounds enough to retry the dropped mail, were it retried
    finally:
        stop.set()
        await worker
    assert len(smtp.received) == 3
    assert all(str(following) in m["Message-ID"] for _, m in smtp.received)
    # Dropped for good: never tried, and nothing about it changed in later rounds.
    assert [dict(r) for r in dropped_rows] == [
        dict(r)
        for r in await fresh_conn.fetch(
            "SELECT * FROM mail_deliveries WHERE release_id = $1 ORDER BY id", queued
        )
    ]
    assert {(r["state"], r["attempts"]) for r in dropped_rows} == {("cancelled", 0)}
    nothing = await fresh_conn.fetchval(
        "SELECT recipients FROM mail_outbox_events m JOIN outbox o ON o.id = m.event_id"
        " WHERE o.aggregate_id = $1",
        unexpanded,
    )
    assert nothing == 0
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
