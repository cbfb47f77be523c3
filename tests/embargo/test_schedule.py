"""Staff and the schedule: breaking or moving an embargo, the lift list, DST, the alarm."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest

from press.delivery.workflow_mail import WORKFLOW_EVENTS
from press.outbox import publication_key
from tests.conftest import StaffFactory, database_state
from tests.embargo.conftest import METRICS_TOKEN
from tests.embargo.scheduling import scheduled_release
from tests.releases.helpers import MANAGE, act, approved


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def embargoed(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], seconds: float
) -> dict[str, Any]:
    release = await approved(client, editor, approver)
    return await act(
        client, editor, release["id"], "publish", {"at": later(seconds), "embargo": True}
    )


async def audit_of(
    client: httpx.AsyncClient, headers: dict[str, str], release_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/manage/audit",
        params={"entity": "release", "entity_id": release_id},
        headers=headers,
    )
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_breaking_an_embargo_needs_an_approver_and_a_reason_and_is_audited(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await embargoed(client, editor, approver, 3600)
    url_id = release["id"]
    await act(client, editor, url_id, "publish", {}, status=403)
    await act(client, approver, url_id, "publish", {}, status=422)
    done = await act(client, approver, url_id, "publish", {"reason": "Leaked by a paper"})
    assert done["state"] == "published"
    assert (await client.get(f"/api/v1/releases/{url_id}")).status_code == 200
    [event] = await conn.fetch(
        "SELECT dedupe_key FROM outbox WHERE aggregate_id = $1 AND event_type = $2",
        UUID(url_id),
        "release.published",
    )
    at = datetime.fromisoformat(done["publish_at"])
    assert event["dedupe_key"] == publication_key(UUID(url_id), at)
    entries = await audit_of(client, approver, url_id)
    assert entries[0]["action"] == "release.publish"
    assert entries[0]["changes"]["reason"] == "Leaked by a paper"


async def test_moving_an_embargo_earlier_needs_an_approver_later_does_not(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await embargoed(client, editor, approver, 3600)
    moved = await act(
        client, editor, release["id"], "publish", {"at": later(7200), "embargo": True}
    )
    assert moved["publish_at"] > release["publish_at"]
    earlier = {"at": later(1800), "embargo": True}
    await act(client, editor, release["id"], "publish", earlier, status=403)
    await act(client, approver, release["id"], "publish", {**earlier, "reason": "Meeting moved"})
    entries = await audit_of(client, approver, release["id"])
    assert entries[0]["action"] == "release.schedule"
    assert "publish_at" in entries[0]["changes"]
    assert entries[0]["changes"]["reason"] == "Meeting moved"


async def test_an_already_public_release_cannot_be_put_back_under_embargo(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await embargoed(client, editor, approver, 3600)
    # Its time passes with no lift loop running: it is public by the predicate alone.
    await conn.execute(
        "UPDATE releases SET publish_at = statement_timestamp() - interval '1 second'"
        " WHERE id = $1",
        release["id"],
    )
    again = {"at": later(3600), "embargo": True, "reason": "too late"}
    await act(client, approver, release["id"], "publish", again, status=409)
    await act(client, approver, release["id"], "unschedule", status=409)
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 200


async def test_schedule_lists_everything_scheduled_in_lift_order(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    second = await embargoed(client, editor, approver, 7200)
    first = await embargoed(client, editor, approver, 3600)
    response = await client.get("/api/v1/manage/schedule", headers=await staff("viewer"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    items = response.json()["items"]
    assert [i["id"] for i in items] == [first["id"], second["id"]]
    assert items[0]["publish_at"] == first["publish_at"]
    assert items[0]["embargo"] is True
    assert 3500 < items[0]["seconds_to_lift"] <= 3600
    assert items[0]["title"] == "Kaupunginhallitus päätti talousarviosta"


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


async def dst_days(conn: asyncpg.Connection) -> dict[str, date]:
    """Next year's EU clock changes (last Sundays of March and October), by the database's
    clock, so that these lift times are always ahead."""
    year = (await conn.fetchval("SELECT now()")).year + 1
    return {"spring": last_sunday(year, 3), "autumn": last_sunday(year, 10)}


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        ("{spring}T02:59:59+02:00", "{spring}T00:59:59+00:00"),  # before spring forward
        ("{spring}T04:00:00+03:00", "{spring}T01:00:00+00:00"),  # after it
        ("{autumn}T03:30:00+03:00", "{autumn}T00:30:00+00:00"),  # first 03:30 in autumn
        ("{autumn}T03:30:00+02:00", "{autumn}T01:30:00+00:00"),  # the repeated 03:30
    ],
)
async def test_lift_times_across_helsinki_dst_are_the_instants_given(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory, local: str, utc: str
) -> None:
    days = await dst_days(conn)
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    at = local.format(**days)
    await act(client, editor, release["id"], "publish", {"at": at, "embargo": True})
    stored = await conn.fetchval("SELECT publish_at FROM releases WHERE id = $1", release["id"])
    assert stored == datetime.fromisoformat(utc.format(**days))


async def test_a_lift_time_without_offset_is_refused(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    spring = (await dst_days(conn))["spring"]
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    naive = {"at": f"{spring}T03:30:00", "embargo": True}  # inside the spring-forward gap
    await act(client, editor, release["id"], "publish", naive, status=422)


async def test_an_overdue_lift_shows_in_readiness_and_metrics(
    monitored: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    client = monitored
    metrics_token = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    ready = await client.get("/readyz")
    assert ready.json() == {"status": "ok"}
    metrics = (await client.get("/metrics", headers=metrics_token)).text
    assert "press_lift_overdue_releases 0" in metrics
    await scheduled_release(conn, -2)  # due, but not overdue yet (threshold 10 s)
    assert (await client.get("/readyz")).json() == {"status": "ok"}
    await scheduled_release(conn, -60)  # nobody lifted it for a minute
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "lift overdue"
    assert ready.json()["lift"]["overdue_releases"] == 1
    assert ready.json()["lift"]["oldest_overdue_seconds"] >= 60
    metrics = (await client.get("/metrics", headers=metrics_token)).text
    assert "press_lift_overdue_releases 1" in metrics
    assert "press_webhook_deliveries_pending 0" in metrics


@pytest.mark.parametrize(
    ("action", "body", "follower"),
    [
        ("withdraw", {"reason": "Wrong figures"}, "release.withdrawn"),
        ("correct", {"note": "Figure fixed", "changes": {}}, "release.updated"),
    ],
)
async def test_a_change_to_a_public_but_unlifted_release_records_its_publication_first(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    staff: StaffFactory,
    action: str,
    body: dict[str, Any],
    follower: str,
) -> None:
    # No lift loop runs here: the release is public by the predicate alone when staff act.
    editor, approver = await staff("editor"), await staff("approver")
    release = await embargoed(client, editor, approver, 0.5)
    await asyncio.sleep(0.6)
    if action == "correct":
        # Held until another approver approves it: then it is public, and updated.
        await act(client, editor, release["id"], action, body, status=202)
        await act(client, approver, release["id"], "approve-change")
    else:
        await act(client, editor, release["id"], action, body)
    # What the public's consumers read (webhooks, feeds' hubs, the CDN); the workflow's own
    # events, which only mail staff, are beside them in the outbox.
    events = await conn.fetch(
        "SELECT event_type, dedupe_key FROM outbox WHERE aggregate_id = $1"
        " AND NOT event_type = ANY($2) ORDER BY txid, seq",
        UUID(release["id"]),
        list(WORKFLOW_EVENTS),
    )
    at = datetime.fromisoformat(release["publish_at"])
    assert [e["event_type"] for e in events] == ["release.embargoed", "release.published", follower]
    assert events[1]["dedupe_key"] == publication_key(UUID(release["id"]), at)


async def db_later(conn: asyncpg.Connection, seconds: float) -> str:
    """An instant `seconds` after the database's clock, as the API takes it."""
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    return (now + timedelta(seconds=seconds)).isoformat()


async def promised_release(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    editor: dict[str, str],
    approver: dict[str, str],
    seconds: float = 3600,
) -> dict[str, Any]:
    release = await approved(client, editor, approver)
    under_embargo = {"at": await db_later(conn, seconds), "embargo": True}
    return await act(client, editor, release["id"], "publish", under_embargo)


@pytest.mark.parametrize("embargo", [False, True], ids=["plain", "embargo"])
@pytest.mark.parametrize("seconds_ago", [2, 86400])
@pytest.mark.parametrize("starting", ["approved", "scheduled"])
async def test_a_publish_time_in_the_past_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    staff: StaffFactory,
    embargo: bool,
    seconds_ago: float,
    starting: str,
) -> None:
    """Refused (422), not published at once with a backdated time: "publish now" is publish
    without `at`. Sent by an approver with a reason, so nothing but the time can refuse it."""
    editor, approver = await staff("editor"), await staff("approver")
    if starting == "scheduled":
        release = await promised_release(client, conn, editor, approver)
    else:
        release = await approved(client, editor, approver)
    public_list = (await client.get("/api/v1/releases")).content
    before = await database_state(conn)
    past = {"at": await db_later(conn, -seconds_ago), "embargo": embargo, "reason": "Nyt"}
    refused = await client.post(f"{MANAGE}/{release['id']}/publish", json=past, headers=approver)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "`at` is in the past; leave it out to publish now." in refused.json()["detail"]
    assert await database_state(conn) == before  # state, publish_at, outbox, audit: all
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404
    assert (await client.get("/api/v1/releases")).content == public_list
    now = await act(client, approver, release["id"], "publish", {"reason": "Nyt"})
    assert now["state"] == "published"


async def test_unscheduling_keeps_the_embargo_so_an_editor_cannot_then_publish_now(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await promised_release(client, conn, editor, approver)
    release_id, promised = release["id"], release["publish_at"]
    unscheduled = await act(client, editor, release_id, "unschedule")
    assert unscheduled["state"] == "approved"
    assert unscheduled["embargo_promised_at"] == promised
    refused = await act(client, editor, release_id, "publish", {}, status=403)
    assert "approver" in refused["detail"]
    await act(client, approver, release_id, "publish", {}, status=422)
    await act(client, approver, release_id, "publish", {"reason": "   "}, status=422)
    assert (await client.get(f"/api/v1/releases/{release_id}")).status_code == 404
    done = await act(client, approver, release_id, "publish", {"reason": "Council met early"})
    assert done["state"] == "published"
    [entry, *_] = await audit_of(client, approver, release_id)
    assert entry["action"] == "release.publish"
    assert entry["changes"]["embargo_break"] == {
        "promised_at": datetime.fromisoformat(promised).isoformat(),
        "public_at": datetime.fromisoformat(done["publish_at"]).isoformat(),
        "reason": "Council met early",
    }


async def test_the_embargo_promise_survives_return_to_draft_and_a_new_approval(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver, second = (
        await staff("editor"),
        await staff("approver"),
        await staff("approver"),
    )
    release = await promised_release(client, conn, editor, approver)
    release_id, promised = release["id"], datetime.fromisoformat(release["publish_at"])
    await act(client, editor, release_id, "unschedule")
    await act(client, approver, release_id, "return", {"reason": "Figures to check"})
    await act(client, editor, release_id, "submit")
    await act(client, second, release_id, "approve")
    await act(client, editor, release_id, "publish", {}, status=403)
    early = {"at": (promised - timedelta(minutes=10)).isoformat()}
    await act(client, editor, release_id, "publish", early, status=403)
    # At or after the promised instant, the editor needs no one.
    kept = {"at": (promised + timedelta(minutes=10)).isoformat()}
    assert (await act(client, editor, release_id, "publish", kept))["state"] == "scheduled"


async def test_dropping_the_embargo_flag_does_not_drop_the_promise(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await promised_release(client, conn, editor, approver, 3600)
    plain_later = {"at": await db_later(conn, 7200), "embargo": False}
    moved = await act(client, editor, release["id"], "publish", plain_later)
    assert moved["embargo"] is False
    assert moved["embargo_promised_at"] == release["publish_at"]
    plain_earlier = {"at": await db_later(conn, 1800), "embargo": False}
    await act(client, editor, release["id"], "publish", plain_earlier, status=403)
    await act(client, approver, release["id"], "publish", {**plain_earlier, "reason": "Moved"})


async def test_no_other_route_makes_an_embargoed_release_public_early(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await promised_release(client, conn, editor, approver)
    url = f"/api/v1/manage/releases/{release['id']}"
    etag = (await client.get(url, headers=approver)).headers["etag"]
    for field in ({"publish_at": await db_later(conn, 1)}, {"state": "published"}):
        patched = await client.patch(url, json=field, headers={**approver, "If-Match": etag})
        assert patched.status_code == 422
    await act(client, editor, release["id"], "withdraw", {"reason": "Cancelled"})
    await act(client, approver, release["id"], "publish", {"reason": "Back"}, status=409)
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404
