"""Press events: the staff API, its audit and outbox, and the public list."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.events.helpers import MANAGE_EVENTS, create_event, event_body, update_event
from tests.releases.helpers import approved, published

PUBLIC = "/api/v1/events"


async def test_editor_creates_event_and_public_reads_it_in_its_language(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    event = await create_event(client, editor)
    assert event["sequence"] == 0
    assert event["status"] == "confirmed"
    public = await client.get(f"{PUBLIC}/{event['id']}", params={"lang": "sv"})
    assert public.status_code == 200
    body = public.json()
    assert body["title"] == "Presskonferens om budgeten"
    assert body["lang"] == "sv"
    assert body["source"] == {"slug": "city-board", "name": "Stadsstyrelsen"}
    assert body["location"]["latitude"] == 60.1676
    assert body["starts_at"] == "2026-12-03T08:00:00Z"
    assert public.headers["content-language"] == "sv"


async def test_viewer_cannot_write_events_and_unknown_fields_are_refused(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    viewer, editor = await staff("viewer"), await staff("editor")
    refused = await client.post(MANAGE_EVENTS + "/", json=event_body(), headers=viewer)
    assert refused.status_code == 403
    extra = await client.post(MANAGE_EVENTS + "/", json=event_body(sequence=5), headers=editor)
    assert extra.status_code == 422
    naive = await client.post(
        MANAGE_EVENTS + "/", json=event_body(starts_at="2026-12-03T10:00:00"), headers=editor
    )
    assert naive.status_code == 422
    backwards = await client.post(
        MANAGE_EVENTS + "/",
        json=event_body(ends_at="2026-12-03T09:00:00+02:00"),
        headers=editor,
    )
    assert backwards.status_code == 422
    zone = await client.post(
        MANAGE_EVENTS + "/", json=event_body(timezone="Mars/Olympus"), headers=editor
    )
    assert zone.status_code == 422


async def test_patch_needs_current_etag_and_sequence_counts_calendar_changes(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    event = await create_event(client, editor)
    url = f"{MANAGE_EVENTS}/{event['id']}"
    assert (
        await client.patch(url, json={"accreditation_required": False}, headers=editor)
    ).status_code == 428
    etag = (await client.get(url, headers=editor)).headers["etag"]
    quiet = await client.patch(
        url, json={"accreditation_required": False}, headers={**editor, "If-Match": etag}
    )
    assert quiet.status_code == 200
    assert quiet.json()["sequence"] == 0  # not something a calendar shows
    stale = await client.patch(
        url, json={"starts_at": "2026-12-03T09:00:00+02:00"}, headers={**editor, "If-Match": etag}
    )
    assert stale.status_code == 412
    moved = await update_event(
        client, editor, event["id"], {"starts_at": "2026-12-03T09:00:00+02:00"}
    )
    assert moved["sequence"] == 1
    relocated = await update_event(client, editor, event["id"], {"location": {"name": "Online"}})
    assert relocated["sequence"] == 2
    cancelled = await update_event(client, editor, event["id"], {"status": "cancelled"})
    assert cancelled["sequence"] == 3
    outbox = await conn.fetch(
        "SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY created_at, id",
        cancelled["id"],
    )
    types = [r["event_type"] for r in outbox]
    assert types.count("event.created") == 1
    assert types.count("event.updated") == 3
    assert types.count("event.cancelled") == 1
    audit = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity = 'event' AND entity_id = $1", event["id"]
    )
    assert sorted(r["action"] for r in audit) == ["event.create"] + ["event.update"] * 4


async def test_hidden_event_is_404_and_absent_until_it_becomes_visible(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    visible_from = datetime.now(UTC) + timedelta(seconds=1.5)
    hidden = await create_event(client, editor, visible_from=visible_from.isoformat())
    unknown = await client.get(f"{PUBLIC}/00000000-0000-4000-8000-000000000000")
    early = await client.get(f"{PUBLIC}/{hidden['id']}")
    assert early.status_code == unknown.status_code == 404
    assert early.json().keys() == unknown.json().keys()
    assert early.headers["cache-control"] == "no-store"
    listing = await client.get(PUBLIC)
    assert listing.json()["items"] == []
    assert int(listing.headers["cache-control"].split("max-age=")[1]) <= 2
    await asyncio.sleep(max(0.0, (visible_from - datetime.now(UTC)).total_seconds()) + 0.2)
    assert (await client.get(f"{PUBLIC}/{hidden['id']}")).status_code == 200
    assert [i["id"] for i in (await client.get(PUBLIC)).json()["items"]] == [hidden["id"]]


async def test_public_event_lists_only_related_releases_that_are_public(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    public = await published(client, editor, approver)
    draft = await approved(client, editor, approver)
    event = await create_event(client, editor, releases=[public["id"], draft["id"]])
    assert event["releases"] == [public["id"], draft["id"]]
    shown = (await client.get(f"{PUBLIC}/{event['id']}")).json()
    assert shown["releases"] == [public["id"]]


async def test_public_list_filters_by_range_source_and_language_with_cursor_and_etag(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    days = [
        await create_event(
            client,
            editor,
            starts_at=f"2026-12-{day:02d}T10:00:00+02:00",
            ends_at=f"2026-12-{day:02d}T11:00:00+02:00",
        )
        for day in (1, 2, 3, 4)
    ]
    council = await create_event(
        client,
        editor,
        source="city-council",
        translations={"fi": {"title": "Valtuuston kokous"}},
        starts_at="2026-12-02T17:00:00+02:00",
        ends_at="2026-12-02T21:00:00+02:00",
    )
    ranged = (await client.get(PUBLIC, params={"from": "2026-12-02", "to": "2026-12-04"})).json()
    assert [i["id"] for i in ranged["items"]] == [days[1]["id"], council["id"], days[2]["id"]]
    by_source = (await client.get(PUBLIC, params={"source": "city-council"})).json()["items"]
    assert [i["id"] for i in by_source] == [council["id"]]
    in_english = (await client.get(PUBLIC, params={"lang": "en"})).json()["items"]
    assert council["id"] not in [i["id"] for i in in_english]
    seen, url = [], PUBLIC + "?limit=2"
    while url:
        page = (await client.get(url)).json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert sorted(seen) == sorted({*seen})
    assert len(seen) == 5
    first = await client.get(PUBLIC)
    again = await client.get(PUBLIC, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert (await client.get(PUBLIC, params={"from": "yesterday"})).status_code == 422


async def test_public_event_cannot_be_deleted_but_a_hidden_one_can(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    public = await create_event(client, editor)
    assert (
        await client.delete(f"{MANAGE_EVENTS}/{public['id']}", headers=editor)
    ).status_code == 409
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    hidden = await create_event(client, editor, visible_from=later)
    assert (
        await client.delete(f"{MANAGE_EVENTS}/{hidden['id']}", headers=editor)
    ).status_code == 204
    assert (await client.get(f"{MANAGE_EVENTS}/{hidden['id']}", headers=editor)).status_code == 404


async def test_public_release_names_its_public_events_in_the_readers_language(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    event = await create_event(client, editor, releases=[release["id"]])
    hidden_from = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await create_event(client, editor, releases=[release["id"]], visible_from=hidden_from)
    shown = (await client.get(f"/api/v1/releases/{release['id']}", params={"lang": "sv"})).json()
    assert [e["id"] for e in shown["events"]] == [event["id"]]
    assert shown["events"][0]["title"] == "Presskonferens om budgeten"
    assert shown["events"][0]["status"] == "confirmed"


async def test_an_event_of_an_unknown_source_is_refused_by_name(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    refused = await client.post(
        MANAGE_EVENTS + "/", json=event_body(source="no-such-source"), headers=editor
    )
    assert refused.status_code == 422
    assert "no-such-source" in refused.json()["detail"]
    event = await create_event(client, editor)
    url = f"{MANAGE_EVENTS}/{event['id']}"
    etag = (await client.get(url, headers=editor)).headers["etag"]
    moved = await client.patch(
        url, json={"source": "no-such-source"}, headers={**editor, "If-Match": etag}
    )
    assert moved.status_code == 422
