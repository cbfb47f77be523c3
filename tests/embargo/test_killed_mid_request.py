"""A real app process killed with SIGKILL while its outbound request is held open by the
endpoint, then started again: the endpoint is sent the change again, accepts it, and is sent
nothing more.

- The CDN purger and the WebSub pinger (press/embargo/announce.py) move their outbox position
  only when the endpoint answered 2xx, in the transaction that read the events: a kill rolls
  it back, and the next process announces the same change again at once.
- A webhook delivery is claimed with a lease (request timeout + 5 s): a kill leaves the claim,
  which lapses, and the delivery is sent again with the same `webhook-id`. At least once, the
  same id, for the receiver to deduplicate (docs/embargo.md, "Webhooks").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs
from uuid import UUID

import asyncpg
import httpx
import pytest

from tests.embargo.processes import AppProcess, start_app, wait_until_up
from tests.embargo.receiver import Receiver, signature_is_valid
from tests.embargo.scheduling import scheduled_release
from tests.embargo.test_webhooks import subscribe
from tests.embargo.waiting import eventually

HELD = 120.0  # the endpoint holds the request open far longer than the test waits for it
QUIET = 2.5  # a few of the workers' 1 s polls: room for a repeat to show up, if there were one


@contextlib.asynccontextmanager
async def app_process(database_url: str, log_dir: Path, **env: str) -> AsyncIterator[AppProcess]:
    """One app process with its workers, up and answering; stopped afterwards (if alive)."""
    app = start_app(database_url, log_dir, (), **env)
    try:
        async with httpx.AsyncClient() as client:
            await wait_until_up(client, app)
        yield app
    finally:
        app.stop()


async def kill_in_flight(app: AppProcess, endpoint: Receiver) -> None:
    """SIGKILL `app` once `endpoint` has the request (and is holding it open)."""
    endpoint.delay = HELD
    await eventually(lambda: endpoint.requests, within=20)
    assert app.process.poll() is None, "the app process ended before the kill"
    app.kill()
    endpoint.delay = 0.0  # from now on the endpoint accepts at once
    assert len(endpoint.requests) == 1


async def position(conn: asyncpg.Connection, consumer: str) -> tuple[str, int]:
    row = await conn.fetchrow(
        "SELECT last_txid::text, last_seq FROM outbox_consumers WHERE name = $1", consumer
    )
    return row["last_txid"], row["last_seq"]


# The announcer's position in the outbox, its setting, and what its request names the
# release by: the CDN purge lists the release's own URLs; the hub ping names only the feeds.
ANNOUNCERS = [
    pytest.param("cdn", "PRESS_CDN_PURGE_URL", id="cdn-purge"),
    pytest.param("websub", "PRESS_WEBSUB_HUB", id="websub-ping"),
]


@pytest.mark.parametrize(("consumer", "setting"), ANNOUNCERS)
async def test_an_announcement_cut_off_by_a_kill_is_made_again_after_restart_and_only_then(
    consumer: str,
    setting: str,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    env = {
        setting: receiver.url,
        "PRESS_PUBLIC_URL": "http://press.test",
        # Longer than the kill can take to land: the request is cut off, not timed out.
        "PRESS_WEBHOOK_TIMEOUT_SECONDS": "30",
    }
    before = await position(fresh_conn, consumer)
    async with app_process(fresh_database_url, tmp_path, **env) as app:
        release = await scheduled_release(fresh_conn, 0.5)
        await kill_in_flight(app, receiver)
    assert await position(fresh_conn, consumer) == before, "the cut-off request moved on"
    cut_off = receiver.requests[0]
    if consumer == "cdn":
        assert f"http://press.test/api/v1/releases/{release}" in cut_off.json()["urls"]
    else:
        assert parse_qs(cut_off.body.decode())["hub.mode"] == ["publish"]

    async with app_process(fresh_database_url, tmp_path, **env):
        await eventually(lambda: len(receiver.requests) >= 2, within=20)
        await eventually(lambda: _moved(fresh_conn, consumer, before), within=10)
        await asyncio.sleep(QUIET)
        assert len(receiver.requests) == 2, "accepted, yet announced again"
    assert receiver.requests[1].body == cut_off.body  # the same change, announced again


async def _moved(conn: asyncpg.Connection, consumer: str, before: tuple[str, int]) -> bool:
    return await position(conn, consumer) != before


async def _delivery(conn: asyncpg.Connection) -> asyncpg.Record:
    rows = await conn.fetch(
        "SELECT d.id, d.state, d.attempts, (SELECT count(*) FROM webhook_attempts a"
        " WHERE a.delivery_id = d.id) AS recorded FROM webhook_deliveries d"
    )
    assert len(rows) == 1
    return rows[0]


async def test_a_webhook_cut_off_by_a_kill_is_sent_again_with_the_same_id_and_only_then(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, receiver: Receiver, tmp_path: Path
) -> None:
    # The lease is the request timeout + 5 s: 2 s leaves the kill room to land mid-request
    # while the retry after the restart comes within seconds.
    env = {"PRESS_WEBHOOK_TIMEOUT_SECONDS": "2"}
    _, secret = await subscribe(fresh_conn, receiver.url, "release.published")
    async with app_process(fresh_database_url, tmp_path, **env) as app:
        release = await scheduled_release(fresh_conn, 0.5)
        await kill_in_flight(app, receiver)
    cut_off = await _delivery(fresh_conn)
    # Claimed once and no result recorded: the kill cut the request off (it did not time out).
    assert (cut_off["state"], cut_off["attempts"], cut_off["recorded"]) == ("pending", 1, 0)

    async with app_process(fresh_database_url, tmp_path, **env):
        await eventually(lambda: len(receiver.requests) >= 2, within=20)
        await eventually(lambda: _delivered(fresh_conn), within=10)
        await asyncio.sleep(QUIET)
        assert len(receiver.requests) == 2, "delivered, yet sent again"
    done = await _delivery(fresh_conn)
    assert (done["state"], done["attempts"], done["recorded"]) == ("delivered", 2, 1)
    first, again = receiver.requests
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == f"msg_{done['id'].hex}"
    assert first.body == again.body
    assert UUID(again.json()["data"]["id"]) == release
    assert signature_is_valid(secret, first)
    assert signature_is_valid(secret, again)


async def _delivered(conn: asyncpg.Connection) -> bool:
    return bool((await _delivery(conn))["state"] == "delivered")
