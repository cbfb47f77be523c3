"""The lift loop: once, on time or after, never early, one leader, catching up."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg
import pytest

from press.embargo.lift import LiftLoop, lift_due_releases, lift_pass
from press.outbox import publication_key
from tests.embargo.scheduling import published_events, release_state, scheduled_release
from tests.embargo.waiting import eventually, running


async def test_catch_up_lifts_everything_due_in_order_with_one_event_each(
    fresh_conn: asyncpg.Connection,
) -> None:
    # All workers were down across these lifts: the next start records them, oldest first.
    ids = [await scheduled_release(fresh_conn, -s) for s in (5, 600, 30)]
    later = await scheduled_release(fresh_conn, 60)
    assert await lift_due_releases(fresh_conn) == 3
    assert await lift_due_releases(fresh_conn) == 0
    events = await published_events(fresh_conn)
    assert [e["aggregate_id"] for e in events] == [ids[1], ids[2], ids[0]]
    for event in events:
        at = await fresh_conn.fetchval(
            "SELECT publish_at FROM releases WHERE id = $1", event["aggregate_id"]
        )
        assert event["dedupe_key"] == publication_key(event["aggregate_id"], at)
    assert await release_state(fresh_conn, later) == "scheduled"


async def test_rolled_back_lift_leaves_neither_state_nor_event(
    fresh_conn: asyncpg.Connection,
) -> None:
    release_id = await scheduled_release(fresh_conn, -1)
    transaction = fresh_conn.transaction()
    await transaction.start()
    await lift_due_releases(fresh_conn)
    await transaction.rollback()
    assert await release_state(fresh_conn, release_id) == "scheduled"
    assert await published_events(fresh_conn) == []


async def test_published_now_then_lifted_gives_one_event(fresh_conn: asyncpg.Connection) -> None:
    # The publish-now path and the loop share the key: a lift after it adds nothing.
    release_id = await scheduled_release(fresh_conn, -1)
    at = await fresh_conn.fetchval("SELECT publish_at FROM releases WHERE id = $1", release_id)
    await fresh_conn.execute(
        "INSERT INTO outbox (event_type, aggregate_id, dedupe_key) VALUES ($1, $2, $3)",
        "release.published",
        release_id,
        publication_key(release_id, at),
    )
    await lift_due_releases(fresh_conn)
    assert len(await published_events(fresh_conn)) == 1


async def test_loop_lifts_at_publish_at_and_never_before(
    fresh_database_url: str, fresh_conn: asyncpg.Connection
) -> None:
    async with running(LiftLoop(fresh_database_url, poll_seconds=30).run()):
        await asyncio.sleep(0.3)  # the loop sleeps; only the NOTIFY can wake it in time
        release_id = await scheduled_release(fresh_conn, 1.0)
        publish_at = await fresh_conn.fetchval(
            "SELECT publish_at FROM releases WHERE id = $1", release_id
        )
        while await fresh_conn.fetchval("SELECT statement_timestamp() < $1", publish_at):
            assert await release_state(fresh_conn, release_id) == "scheduled"
            assert await published_events(fresh_conn) == []
            await asyncio.sleep(0.02)
        await eventually(lambda: published_events(fresh_conn), within=2.0)
    event = (await published_events(fresh_conn))[0]
    assert event["created_at"] >= publish_at
    lag = await fresh_conn.fetchval(
        "SELECT $1::timestamptz - $2::timestamptz", event["created_at"], publish_at
    )
    assert lag.total_seconds() < 2.0  # far below the 30 s poll: the NOTIFY woke it


async def test_lost_notify_is_caught_by_the_poll(
    fresh_database_url: str, fresh_conn: asyncpg.Connection
) -> None:
    await fresh_conn.execute("ALTER TABLE releases DISABLE TRIGGER USER")
    async with running(LiftLoop(fresh_database_url, poll_seconds=1).run()):
        await asyncio.sleep(0.2)
        release_id = await scheduled_release(fresh_conn, 0.2)
        await eventually(
            lambda: published_events(fresh_conn), within=3.0
        )  # poll interval 1 s, with margin
    assert await release_state(fresh_conn, release_id) == "published"


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE releases SET publish_at = publish_at + interval '1 hour' WHERE id = $1",
        "UPDATE releases SET state = 'approved', publish_at = NULL WHERE id = $1",
        "UPDATE releases SET state = 'withdrawn', withdrawn_at = now() WHERE id = $1",
        "DELETE FROM releases WHERE id = $1",
    ],
    ids=["rescheduled-later", "unscheduled", "withdrawn", "deleted"],
)
async def test_a_release_changed_before_its_lift_is_left_alone(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, change: str
) -> None:
    async with running(LiftLoop(fresh_database_url, poll_seconds=30).run()):
        release_id = await scheduled_release(fresh_conn, 0.6)
        await asyncio.sleep(0.1)  # the loop now sleeps until the old publish_at
        await fresh_conn.execute(change, release_id)
        await asyncio.sleep(0.9)
    assert await published_events(fresh_conn) == []
    assert await release_state(fresh_conn, release_id) != "published"


@pytest.mark.parametrize(
    "change",
    [
        "DELETE FROM releases WHERE id = $1",
        "UPDATE releases SET state = 'withdrawn', withdrawn_at = now() WHERE id = $1",
    ],
    ids=["deleted", "withdrawn"],
)
async def test_a_lift_for_a_release_gone_since_does_nothing_and_the_loop_lifts_the_next(
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    caplog: pytest.LogCaptureFixture,
    change: str,
) -> None:
    # Without the trigger's NOTIFY the loop learns nothing of the change: it wakes at the
    # gone release's time, finds nothing to lift, and must go on to the next one.
    caplog.set_level(logging.INFO, logger="press")
    await fresh_conn.execute("ALTER TABLE releases DISABLE TRIGGER USER")
    gone = await scheduled_release(fresh_conn, 0.6)
    following = await scheduled_release(fresh_conn, 1.2)
    loop = LiftLoop(fresh_database_url, poll_seconds=30)
    async with running(loop.run()):
        await eventually(lambda: loop.is_leader)
        await fresh_conn.execute(change, gone)
        await eventually(lambda: published_events(fresh_conn), within=3.0)
        await asyncio.sleep(0.3)
        assert loop.is_leader
    assert [e["aggregate_id"] for e in await published_events(fresh_conn)] == [following]
    assert await release_state(fresh_conn, following) == "published"
    lifts = await fresh_conn.fetch("SELECT entity_id FROM audit_log WHERE action = 'release.lift'")
    assert [r["entity_id"] for r in lifts] == [str(following)]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    leads = [r for r in caplog.records if r.getMessage() == "this instance now leads the lift loop"]
    assert len(leads) == 1  # never restarted


async def test_one_leader_and_a_standby_takes_over_when_it_stops(
    fresh_database_url: str, fresh_conn: asyncpg.Connection
) -> None:
    first, second = LiftLoop(fresh_database_url), LiftLoop(fresh_database_url)
    first_task = asyncio.create_task(first.run())
    await eventually(lambda: first.is_leader)
    async with running(second.run()):
        await asyncio.sleep(1.2)  # the standby tries every second, and must fail
        assert not second.is_leader
        await scheduled_release(fresh_conn, -1)
        await eventually(lambda: _count(fresh_conn, 1))
        first_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await first_task
        await eventually(lambda: second.is_leader, within=4)
        await scheduled_release(fresh_conn, 0.3)
        await eventually(lambda: _count(fresh_conn, 2), within=4)
    assert len(await published_events(fresh_conn)) == 2


async def _count(conn: asyncpg.Connection, n: int) -> bool:
    return len(await published_events(conn)) >= n


async def test_each_lift_reports_its_lag_from_the_scheduled_instant_to_the_commit(
    fresh_conn: asyncpg.Connection,
) -> None:
    # Scheduled 600 s and 30 s before now, lifted now: lags of about that, none negative.
    for seconds in (600, 30):
        await scheduled_release(fresh_conn, -seconds)
    lags: list[float] = []
    lifted, _ = await lift_pass(fresh_conn, lags=lags)
    assert lifted == 2
    assert len(lags) == 2
    assert 600 <= max(lags) < 660
    assert 30 <= min(lags) < 90
