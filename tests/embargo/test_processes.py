"""Three real app processes against one database and a real webhook receiver: every
publication gives exactly one event and one delivery per subscription, even when the leader
is killed with SIGKILL in the middle of a burst of lifts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID

import asyncpg
import httpx

from tests.embargo.processes import app_processes
from tests.embargo.receiver import Receiver
from tests.embargo.scheduling import published_events, scheduled_release
from tests.embargo.test_webhooks import subscribe
from tests.embargo.waiting import eventually


async def _all_lifted_and_delivered(conn: asyncpg.Connection, releases: int, hooks: int) -> bool:
    row = await conn.fetchrow(
        "SELECT (SELECT count(*) FROM releases WHERE state = 'scheduled') AS waiting,"
        " (SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered') AS delivered"
    )
    return row["waiting"] == 0 and row["delivered"] == releases * hooks


async def _check_exactly_once(
    conn: asyncpg.Connection, ids: list[UUID], receivers: list[Receiver]
) -> None:
    events = await published_events(conn)
    assert sorted(e["aggregate_id"] for e in events) == sorted(ids)  # one each, none twice
    early = await conn.fetchval(
        "SELECT count(*) FROM outbox o JOIN releases r ON r.id = o.aggregate_id"
        " WHERE o.event_type = 'release.published' AND o.created_at < r.publish_at"
    )
    assert early == 0
    for receiver in receivers:
        released = sorted(UUID(r.json()["data"]["id"]) for r in receiver.requests)
        assert sorted(set(released)) == sorted(ids)  # every release reached every receiver
        assert len(set(receiver.ids())) == len(ids)  # one delivery (webhook-id) per release


async def test_three_instances_give_exactly_one_event_and_delivery_per_publication(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    receivers = [Receiver(), Receiver()]
    for receiver in receivers:
        await receiver.start()
        await subscribe(fresh_conn, receiver.url, "release.*")
    async with app_processes(fresh_database_url, tmp_path, 3):
        ids = [await scheduled_release(fresh_conn, 0.5 + n * 0.05) for n in range(30)]
        ids += [await scheduled_release(fresh_conn, 1.5) for _ in range(10)]  # same instant
        await eventually(lambda: _all_lifted_and_delivered(fresh_conn, 40, 2), within=15)
        await asyncio.sleep(0.5)  # room for a duplicate to show up, if there were one
    await _check_exactly_once(fresh_conn, ids, receivers)
    for receiver in receivers:
        assert len(receiver.requests) == 40  # a healthy receiver is not sent anything twice
        await receiver.stop()


async def test_killing_the_leader_mid_burst_loses_and_duplicates_nothing(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    receiver = Receiver()
    await receiver.start()
    await subscribe(fresh_conn, receiver.url, "release.*")
    async with app_processes(fresh_database_url, tmp_path, 3) as apps, httpx.AsyncClient() as c:
        ids = [await scheduled_release(fresh_conn, 0.3 + n * 0.05) for n in range(60)]
        await asyncio.sleep(1.0)  # the burst is under way
        leaders = [app for app in apps if await app.metric(c, "press_lift_leader") == 1]
        assert len(leaders) == 1
        leaders[0].kill()
        survivors = [app for app in apps if app is not leaders[0]]
        await eventually(lambda: _all_lifted_and_delivered(fresh_conn, 60, 1), within=20)
        assert sum([await app.metric(c, "press_lift_leader") for app in survivors]) == 1
    await _check_exactly_once(fresh_conn, ids, [receiver])
    await receiver.stop()


async def test_releases_due_while_every_instance_was_down_are_lifted_on_start_in_order(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    receiver = Receiver()
    await receiver.start()
    await subscribe(fresh_conn, receiver.url, "release.published")
    # Due 10 minutes, 1 minute and 1 second ago: nobody was running to lift them.
    ids = [await scheduled_release(fresh_conn, -seconds) for seconds in (600, 60, 1)]
    async with app_processes(fresh_database_url, tmp_path, 1):
        await eventually(lambda: _all_lifted_and_delivered(fresh_conn, 3, 1), within=15)
    await _check_exactly_once(fresh_conn, ids, [receiver])
    assert [e["aggregate_id"] for e in await published_events(fresh_conn)] == ids
    # Webhooks are sent side by side: their arrival order is not promised, only each one.
    await receiver.stop()
