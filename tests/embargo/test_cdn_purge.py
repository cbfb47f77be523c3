"""CDN purging: each public change is announced once, after it committed and never before a
lift, with the keys every public answer names in its Surrogate-Key header."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx

from press.cdn import CdnPurger
from press.db import PoolDatabase
from tests.conftest import StaffFactory
from tests.embargo.outbox import emit
from tests.embargo.receiver import Receiver
from tests.embargo.waiting import eventually, running
from tests.events.helpers import create_event
from tests.releases.helpers import published

PUBLIC = "http://press.test"


def purger(db: PoolDatabase, url: str, endpoint: Receiver) -> CdnPurger:
    return CdnPurger(
        db, url, endpoint.url, PUBLIC, token="purge-secret", timeout_seconds=2, backoff_base=0.2
    )


async def test_each_public_change_is_purged_once_by_key_and_by_url(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    release, event = uuid.uuid4(), uuid.uuid4()
    await emit(fresh_conn, "release.withdrawn", release)
    async with (
        running(purger(fresh_db, fresh_database_url, receiver).run()),
        running(purger(fresh_db, fresh_database_url, receiver).run()),
    ):
        await eventually(lambda: receiver.requests)
        await asyncio.sleep(1.5)  # both instances have looked again
        assert len(receiver.requests) == 1
        request = receiver.requests[0]
        assert request.headers["authorization"] == "Bearer purge-secret"
        assert request.headers["content-type"] == "application/json"
        purge = request.json()
        assert purge["surrogate_keys"] == ["releases"]
        for url in (
            f"{PUBLIC}/api/v1/releases/{release}",
            f"{PUBLIC}/releases/{release}",
            f"{PUBLIC}/api/v1/releases",
            f"{PUBLIC}/feeds/releases.rss?lang=sv",
            f"{PUBLIC}/sitemap.xml",
        ):
            assert url in purge["urls"]
        assert not any("/events" in url for url in purge["urls"])
        # Internal events are not announced; a rolled-back change leaves nothing to announce.
        await emit(fresh_conn, "release.embargoed", release)
        try:
            async with fresh_conn.transaction():
                await emit(fresh_conn, "release.updated", release)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        await asyncio.sleep(1.5)
        assert len(receiver.requests) == 1
        await emit(fresh_conn, "event.cancelled", event)
        await eventually(lambda: len(receiver.requests) == 2)
        purge = receiver.requests[1].json()
        assert purge["surrogate_keys"] == ["events"]
        assert f"{PUBLIC}/api/v1/events/{event}" in purge["urls"]
        assert f"{PUBLIC}/feeds/events.ics" in purge["urls"]


async def test_public_answers_name_the_keys_their_changes_purge(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await create_event(client, editor)
    releases = (
        "/api/v1/releases",
        "/api/v1/releases?q=tiedote",
        f"/api/v1/releases/{release['id']}",
        f"/releases/{release['id']}",
        f"/api/v1/releases/{release['id']}/press-kit.zip",
        "/feeds/releases.rss",
        "/feeds/releases.atom",
        "/sitemap.xml",
    )
    for path in releases:
        response = await client.get(path)
        assert response.status_code == 200, path
        # A release answer shows related events: an event's change purges it too.
        assert set(response.headers["surrogate-key"].split()) == {
            "press",
            "releases",
            "events",
        }, path
    for path in ("/api/v1/events", "/feeds/events.ics"):
        response = await client.get(path)
        assert set(response.headers["surrogate-key"].split()) == {"press", "events"}, path
    # Not public, not for a shared cache: no key.
    staff_view = await client.get(f"/api/v1/manage/releases/{release['id']}", headers=editor)
    assert staff_view.status_code == 200
    assert "surrogate-key" not in staff_view.headers
