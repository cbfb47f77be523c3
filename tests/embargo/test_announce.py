"""What the WebSub pinger and the CDN purger share (press.embargo.announce): an endpoint that
is down hears of a change when it is back, once; a scheduled release is announced only after
its lift, by the worker that lifts it."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs

import asyncpg
import pytest

from press.cdn import CdnPurger
from press.db import PoolDatabase
from press.embargo.announce import Announcer
from press.embargo.lift import LiftLoop
from press.feeds.websub import HubPinger, topic_urls
from tests.embargo.outbox import emit
from tests.embargo.receiver import Received, Receiver
from tests.embargo.scheduling import scheduled_release
from tests.embargo.waiting import eventually, running

PUBLIC = "http://press.test"
MakeAnnouncer = Callable[[PoolDatabase, str, Receiver], Announcer]


def _names_release(kind: str, request: Received, release_id: uuid.UUID) -> bool:
    if kind == "websub":
        return parse_qs(request.body.decode())["hub.url"] == topic_urls(PUBLIC)
    return f"{PUBLIC}/api/v1/releases/{release_id}" in request.json()["urls"]


@pytest.fixture(params=["websub", "cdn"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def announcer(kind: str) -> MakeAnnouncer:
    cls = HubPinger if kind == "websub" else CdnPurger

    def make(db: PoolDatabase, url: str, endpoint: Receiver) -> Announcer:
        return cls(db, url, endpoint.url, PUBLIC, timeout_seconds=2, backoff_base=0.2)

    return make


async def test_an_endpoint_that_is_down_hears_of_the_change_when_it_is_back(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
    announcer: MakeAnnouncer,
) -> None:
    receiver.status = 503
    await emit(fresh_conn, "release.published", uuid.uuid4())
    async with running(announcer(fresh_db, fresh_database_url, receiver).run()):
        await eventually(lambda: len(receiver.requests) >= 2)  # retried
        receiver.status = 202
        accepted = len(receiver.requests) + 1
        await eventually(lambda: len(receiver.requests) >= accepted)
        await asyncio.sleep(1.5)
        assert len(receiver.requests) == accepted  # accepted once: not announced again


async def test_a_scheduled_release_is_announced_only_after_its_lift(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
    announcer: MakeAnnouncer,
    kind: str,
) -> None:
    async with (
        running(announcer(fresh_db, fresh_database_url, receiver).run()),
        running(LiftLoop(fresh_database_url, poll_seconds=30).run()),
    ):
        release_id = await scheduled_release(fresh_conn, 1.5)
        publish_at = await fresh_conn.fetchval(
            "SELECT publish_at FROM releases WHERE id = $1", release_id
        )
        await eventually(lambda: receiver.requests, within=5)
        announced_at = time.time()
    assert announced_at >= publish_at.timestamp()
    assert _names_release(kind, receiver.requests[0], release_id)
