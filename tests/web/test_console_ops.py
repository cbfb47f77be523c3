"""Press events, webhooks and the audit log in the console: events typed on Helsinki clocks,
the webhook address rules, a real receiver's failure in the delivery log and a retry it
then gets, the audit log's filters and pages, and the roles and form tokens of it all."""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import PoolDatabase
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.schemas import StaffUser
from tests.conftest import StaffFactory, _fast_hash, staff_user
from tests.embargo.outbox import emit
from tests.embargo.receiver import Receiver
from tests.embargo.test_webhooks import LOOPBACK, sender
from tests.embargo.waiting import eventually, running
from tests.web.console import form_token, page_token, person, sign_in
from tests.web.test_console_releases import etag_in, helsinki_field

HELSINKI = ZoneInfo("Europe/Helsinki")
ENGLISH = {"Accept-Language": "en"}


async def signed_in_as(client: httpx.AsyncClient, staff: StaffFactory, role: str) -> str:
    email, _ = await person(staff, role)
    response = await sign_in(client, email)
    assert response.status_code == 303, response.text
    return email


def event_form(token: str, **fields: str) -> dict[str, str]:
    return {
        "csrf": token,
        "source": "city-board",
        "title_fi": "Tiedotustilaisuus",
        "description_fi": "Pormestari kertoo budjetista.",
        "title_sv": "Presskonferens",
        "starts_at": "2026-06-15T10:00",
        "ends_at": "2026-06-15T11:30",
        "location_name": "Kaupungintalo",
        "location_address": "Pohjoisesplanadi 11",
        **fields,
    }


async def test_an_editor_creates_and_edits_an_event_on_helsinki_clocks(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    form = await client.get("/console/events/new")
    assert form.status_code == 200
    assert 'type="datetime-local"' in form.text
    created = await client.post("/console/events/new", data=event_form(form_token(form.text)))
    assert created.status_code == 303, created.text
    event_id = created.headers["location"].split("/")[-1].split("?")[0]
    row = await conn.fetchrow("SELECT * FROM events WHERE id = $1", event_id)
    # 10.00 in June is summer time in Helsinki (UTC+3).
    assert row["starts_at"] == datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
    assert row["ends_at"] == datetime(2026, 6, 15, 8, 30, tzinfo=UTC)
    assert row["timezone"] == "Europe/Helsinki"
    assert set(row["translations"]) == {"fi", "sv"}
    assert row["location_name"] == "Kaupungintalo"

    edit = await client.get(f"/console/events/{event_id}")
    assert 'value="2026-06-15T10:00"' in edit.text
    changed = event_form(
        form_token(edit.text),
        etag=etag_in(edit.text),
        starts_at="2026-01-15T10:00",
        ends_at="2026-01-15T12:00",
        title_sv="",
    )
    saved = await client.post(f"/console/events/{event_id}", data=changed)
    assert saved.status_code == 303, saved.text
    row = await conn.fetchrow("SELECT * FROM events WHERE id = $1", event_id)
    # 10.00 in January is winter time (UTC+2).
    assert row["starts_at"] == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert set(row["translations"]) == {"fi"}
    assert row["sequence"] == 1
    audit = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", event_id
    )
    assert [a["action"] for a in audit] == ["event.create", "event.update"]


async def test_events_are_listed_upcoming_and_past_and_a_cancelled_one_says_so(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    token = await page_token(client, "/console/events/")
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    ahead = now + timedelta(days=20)
    future = event_form(
        token,
        title_fi="Tuleva tilaisuus",
        starts_at=helsinki_field(ahead),
        ends_at=helsinki_field(ahead + timedelta(hours=1)),
    )
    made = await client.post("/console/events/new", data=future)
    assert made.status_code == 303, made.text
    future_id = made.headers["location"].split("/")[-1].split("?")[0]
    past = event_form(token, title_fi="Mennyt tilaisuus")
    assert (await client.post("/console/events/new", data=past)).status_code == 303

    listed = (await client.get("/console/events/", headers=ENGLISH)).text
    upcoming, gone = listed.split('id="past-heading"')
    assert "Tuleva tilaisuus" in upcoming
    assert "Mennyt tilaisuus" not in upcoming
    assert "Mennyt tilaisuus" in gone

    page = await client.get(f"/console/events/{future_id}")
    cancel = {"csrf": token, "etag": etag_in(page.text)}
    cancelled = await client.post(f"/console/events/{future_id}/cancel", data=cancel)
    assert cancelled.status_code == 303, cancelled.text
    status = await conn.fetchval("SELECT status FROM events WHERE id = $1", future_id)
    assert status == "cancelled"
    outbox = await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'event.cancelled' AND aggregate_id = $1",
        future_id,
    )
    assert outbox == 1
    assert "Cancelled" in (await client.get("/console/events/", headers=ENGLISH)).text


async def test_only_an_event_never_public_is_deleted_a_public_one_is_kept(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    token = await page_token(client, "/console/events/new")
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    hidden = event_form(token, visible_from=helsinki_field(now + timedelta(days=1)))
    made = [
        (await client.post("/console/events/new", data=fields)).headers["location"]
        for fields in (hidden, event_form(token))
    ]
    hidden_id, public_id = (m.split("/")[-1].split("?")[0] for m in made)
    deleted = await client.post(f"/console/events/{hidden_id}/delete", data={"csrf": token})
    assert deleted.status_code == 303
    assert await conn.fetchval("SELECT count(*) FROM events WHERE id = $1", hidden_id) == 0
    kept = await client.post(
        f"/console/events/{public_id}/delete", data={"csrf": token}, headers=ENGLISH
    )
    assert kept.status_code == 409
    assert "This event is public: cancel it" in kept.text
    assert await conn.fetchval("SELECT count(*) FROM events WHERE id = $1", public_id) == 1


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"starts_at": "2026-03-29T03:30", "ends_at": "2026-03-29T05:00"}, "does not exist"),
        ({"starts_at": "tomorrow"}, "Starts: Give the date and time"),
        ({"starts_at": "0001-01-01T00:00"}, "Starts: Give the date and time"),
        ({"ends_at": "2026-06-15T09:00"}, "ends_at is before starts_at"),
        ({"source": "no-such-source"}, "is not one of ours"),
        ({"title_fi": "", "title_sv": "", "description_fi": ""}, "translations"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
    ],
)
async def test_an_event_that_cannot_be_saved_is_shown_again_with_the_reason(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    fields: dict[str, str],
    said: str,
) -> None:
    await signed_in_as(client, staff, "editor")
    before = await conn.fetchval("SELECT count(*) FROM events")
    token = await page_token(client, "/console/events/new")
    answer = await client.post(
        "/console/events/new", data=event_form(token, **fields), headers=ENGLISH
    )
    assert answer.status_code == 422, answer.text
    assert said in html.unescape(answer.text)
    assert 'value="Kaupungintalo"' in answer.text  # what was typed stays in the form
    assert await conn.fetchval("SELECT count(*) FROM events") == before


async def test_an_event_saved_by_someone_else_meanwhile_is_not_overwritten(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    token = await page_token(client, "/console/events/new")
    made = await client.post("/console/events/new", data=event_form(token))
    event_id = made.headers["location"].split("/")[-1].split("?")[0]
    stale = etag_in((await client.get(f"/console/events/{event_id}")).text)
    await conn.execute("UPDATE events SET version = version + 1 WHERE id = $1", event_id)
    answer = await client.post(
        f"/console/events/{event_id}",
        data=event_form(token, etag=stale, title_fi="Minun otsikkoni"),
        headers=ENGLISH,
    )
    assert answer.status_code == 412
    assert "Someone else changed this event" in answer.text
    assert 'value="Minun otsikkoni"' in answer.text
    title = await conn.fetchval(
        "SELECT translations->'fi'->>'title' FROM events WHERE id = $1", event_id
    )
    assert title == "Tiedotustilaisuus"


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/hooks", "http://127.0.0.1:9/", "http://169.254.169.254/latest/"]
)
async def test_a_webhook_to_a_private_address_is_refused_with_the_domains_reason(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, url: str
) -> None:
    await signed_in_as(client, staff, "approver")
    token = await page_token(client, "/console/webhooks/")
    answer = await client.post(
        "/console/webhooks/",
        data={"csrf": token, "url": url, "event_types": "release.*"},
        headers=ENGLISH,
    )
    assert answer.status_code == 422
    assert "url must reach a public address" in answer.text
    assert f'value="{url}"' in answer.text
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", url) == 0


async def test_a_webhook_is_created_its_secret_shown_once_and_its_text_escaped(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "approver")
    token = await page_token(client, "/console/webhooks/")
    hostile = '<script>alert("x")</script>'
    created = await client.post(
        "/console/webhooks/",
        data={
            "csrf": token,
            "url": "https://www.city.example/hooks?a=1&b=<x>",
            "event_types": "release.published, event.*",
            "description": hostile,
        },
    )
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "private, no-store"
    secret = re.search(r'<code id="secret">(whsec_[^<]+)</code>', created.text)
    assert secret
    row = await conn.fetchrow("SELECT * FROM webhooks WHERE secret = $1", secret.group(1))
    assert row["event_types"] == ["event.*", "release.published"]
    assert hostile not in created.text
    assert "&lt;script&gt;" in created.text
    again = await client.get(f"/console/webhooks/{row['id']}")
    assert secret.group(1) not in again.text
    assert "&lt;x&gt;" in again.text

    off = await client.post(
        f"/console/webhooks/{row['id']}/active", data={"csrf": token, "active": "off"}
    )
    assert off.status_code == 303
    assert await conn.fetchval("SELECT active FROM webhooks WHERE id = $1", row["id"]) is False
    gone = await client.post(f"/console/webhooks/{row['id']}/delete", data={"csrf": token})
    assert gone.status_code == 303
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE id = $1", row["id"]) == 0
    actions = await conn.fetch(
        "SELECT action, changes FROM audit_log WHERE entity_id = $1 ORDER BY id", str(row["id"])
    )
    assert [a["action"] for a in actions] == ["webhook.create", "webhook.update", "webhook.delete"]
    assert secret.group(1) not in str([a["changes"] for a in actions])


@pytest.fixture
async def loopback_client(
    fresh_db: PoolDatabase, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The app on a database of the test's own (every request commits), whose webhooks may
    reach the tests' receivers on 127.0.0.1 (as an operator allows a network)."""
    allowed = msgspec.structs.replace(settings, webhook_allow_networks=LOOPBACK)
    transport = httpx.ASGITransport(app=create_app(allowed, database=fresh_db))
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


async def test_a_failed_delivery_is_in_the_log_and_a_retry_reaches_the_receiver(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    loopback_client: httpx.AsyncClient,
    receiver: Receiver,
) -> None:
    email = f"approver-{secrets.token_hex(4)}@city.example"
    await staff_user(fresh_conn, "approver", email, await _fast_hash())
    assert (await sign_in(loopback_client, email)).status_code == 303
    token = await page_token(loopback_client, "/console/webhooks/")
    created = await loopback_client.post(
        "/console/webhooks/",
        data={"csrf": token, "url": receiver.url, "event_types": "release.published"},
    )
    assert created.status_code == 201, created.text
    webhook_id = await fresh_conn.fetchval("SELECT id FROM webhooks")
    receiver.status = 500
    await emit(fresh_conn, "release.published", id="r1")
    async with running(sender(fresh_db, fresh_database_url, max_attempts=1).run()):
        await eventually(
            lambda: fresh_conn.fetchval("SELECT state = 'failed' FROM webhook_deliveries")
        )
        log = await loopback_client.get(f"/console/webhooks/{webhook_id}", headers=ENGLISH)
        assert 'class="delivery-failed"' in log.text
        assert "HTTP 500" in log.text
        assert "Failed" in log.text
        delivery_id = await fresh_conn.fetchval("SELECT id FROM webhook_deliveries")
        retry_path = f"/console/webhooks/{webhook_id}/deliveries/{delivery_id}/retry"
        assert f'action="{retry_path}"' in log.text

        receiver.status = 204
        retried = await loopback_client.post(retry_path, data={"csrf": token})
        assert retried.status_code == 303
        await eventually(
            lambda: fresh_conn.fetchval("SELECT state = 'delivered' FROM webhook_deliveries")
        )
    assert len(receiver.requests) == 2
    assert len(set(receiver.ids())) == 1  # the same delivery, sent again
    after = await loopback_client.get(f"/console/webhooks/{webhook_id}", headers=ENGLISH)
    assert "Delivered" in after.text
    assert "Send again" not in after.text
    audit = await fresh_conn.fetchval(
        "SELECT changes->>'delivery_id' FROM audit_log WHERE action = 'webhook.retry'"
    )
    assert audit == str(delivery_id)


async def test_an_unknown_delivery_is_refused_alike_by_the_api_and_the_console(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    # An unknown delivery: the same refusal from both.
    await signed_in_as(client, staff, "approver")
    _, headers = await person(staff, "approver")
    hook = await client.post(
        "/api/v1/manage/webhooks",
        json={"url": "https://www.city.example/h", "event_types": ["*"]},
        headers=headers,
    )
    hook_id, unknown = hook.json()["id"], "00000000-0000-4000-8000-000000000000"
    api = await client.post(
        f"/api/v1/manage/webhooks/{hook_id}/deliveries/{unknown}/retry", headers=headers
    )
    token = await page_token(client, "/console/webhooks/")
    console = await client.post(
        f"/console/webhooks/{hook_id}/deliveries/{unknown}/retry", data={"csrf": token}
    )
    assert api.status_code == console.status_code == 404
    assert api.json()["detail"] in console.text


async def audit_entries(conn: asyncpg.Connection, actor: StaffUser, n: int, entity_id: str) -> None:
    for _ in range(n):
        await staff_repository.record_audit(conn, actor, "webhook.retry", "webhook", entity_id)


async def test_the_audit_log_filters_by_actor_action_subject_and_days_in_the_users_language(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor_email, editor = await person(staff, "editor")
    release = await client.post(
        "/api/v1/manage/releases/",
        json={
            "source": "city-board",
            "topics": ["economy"],
            "translations": {"fi": {"title": "Budjetti", "lead": "", "body": "Teksti."}},
        },
        headers=editor,
    )
    release_id = release.json()["id"]
    approver_email = await signed_in_as(client, staff, "approver")
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    today = now.astimezone(HELSINKI).date().isoformat()
    tomorrow = (now.astimezone(HELSINKI) + timedelta(days=1)).date().isoformat()

    by_subject = await client.get("/console/audit/", params={"entity_id": release_id})
    assert by_subject.status_code == 200
    assert "Tiedote luotu" in by_subject.text  # release.create, in Finnish
    assert editor_email in by_subject.text
    assert f'href="/console/releases/{release_id}"' in by_subject.text
    swedish = await client.get(
        "/console/audit/", params={"entity_id": release_id}, headers={"Accept-Language": "sv"}
    )
    assert "Pressmeddelande skapat" in swedish.text

    by_actor = await client.get("/console/audit/", params={"actor": approver_email})
    assert release_id not in by_actor.text
    by_editor = await client.get(
        "/console/audit/", params={"actor": editor_email, "action": "release.create"}
    )
    assert release_id in by_editor.text
    other_action = await client.get(
        "/console/audit/", params={"actor": editor_email, "action": "event.create"}
    )
    assert release_id not in other_action.text
    in_range = await client.get(
        "/console/audit/", params={"entity_id": release_id, "from": today, "to": today}
    )
    assert release_id in in_range.text.split("<tbody>", 1)[1]
    later = await client.get("/console/audit/", params={"entity_id": release_id, "from": tomorrow})
    assert "<tbody>" not in later.text
    unknown = await client.get(
        "/console/audit/", params={"actor": "nobody@city.example"}, headers=ENGLISH
    )
    assert "No staff user has this e-mail address." in unknown.text
    for field, value in [("from", "31.12."), ("to", "9999-12-31"), ("from", "2026-02-30")]:
        wrong_day = await client.get("/console/audit/", params={field: value}, headers=ENGLISH)
        assert wrong_day.status_code == 422
        assert f"{field.title()}: give a date" in wrong_day.text
    unnamed = await client.get("/console/audit/", params={"action": "release.something_new"})
    assert '<option value="release.something_new" selected>' in unnamed.text
    for before in ("x", "-1", "9" * 30):  # a page position press did not make: the first page
        assert (await client.get("/console/audit/", params={"before": before})).status_code == 200


async def test_the_audit_log_is_paged_by_fifty_and_keeps_the_filters(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email = await signed_in_as(client, staff, "approver")
    actor = await conn.fetchrow("SELECT * FROM staff_users WHERE email = $1", email)
    user = StaffUser(actor["id"], email, actor["name"], actor["role"], actor["created_at"])
    subject = str(secrets.token_hex(6))
    await audit_entries(conn, user, 53, subject)
    first = await client.get("/console/audit/", params={"entity_id": subject})
    assert first.text.count("<tr>") == 51  # the header row and fifty entries
    older = re.search(r'href="(/console/audit/\?[^"]+)" rel="next"', first.text)
    assert older
    assert f"entity_id={subject}" in html.unescape(older.group(1))
    second = await client.get(html.unescape(older.group(1)))
    assert second.text.count("<tr>") == 4
    assert 'rel="next"' not in second.text


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("viewer", "/console/webhooks/"),
        ("viewer", "/console/audit/"),
        ("editor", "/console/webhooks/"),
        ("editor", "/console/audit/"),
    ],
)
async def test_webhooks_and_the_audit_log_are_refused_below_approver(
    client: httpx.AsyncClient, staff: StaffFactory, role: str, path: str
) -> None:
    await signed_in_as(client, staff, role)
    refused = await client.get(path, headers=ENGLISH)
    assert refused.status_code == 403
    assert "needs approver or higher" in refused.text.lower()  # the role named as the UI names it


async def test_a_viewer_may_read_events_but_not_write_them(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "viewer")
    listed = await client.get("/console/events/")
    assert listed.status_code == 200
    assert "/console/events/new" not in listed.text
    assert "/console/webhooks/" not in listed.text
    token = await page_token(client, "/console/events/")
    refused = await client.post("/console/events/new", data=event_form(token), headers=ENGLISH)
    assert refused.status_code == 403
    assert "may not write events" in refused.text
    assert (
        await conn.fetchval("SELECT count(*) FROM events WHERE location_name = 'Kaupungintalo'")
        == 0
    )


@pytest.mark.parametrize("token", [None, "0" * 64])
async def test_a_form_without_this_sessions_token_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, token: str | None
) -> None:
    await signed_in_as(client, staff, "approver")
    data = event_form(token or "")
    if token is None:
        del data["csrf"]
    refused = await client.post("/console/events/new", data=data)
    assert refused.status_code == 403
    hook = {"url": "https://www.city.example/h", "event_types": "*", "csrf": data.get("csrf", "")}
    assert (await client.post("/console/webhooks/", data=hook)).status_code == 403
    assert (
        await conn.fetchval("SELECT count(*) FROM events WHERE location_name = 'Kaupungintalo'")
        == 0
    )
    assert await conn.fetchval("SELECT count(*) FROM webhooks") == 0


async def test_the_new_pages_ask_for_a_session(client: httpx.AsyncClient) -> None:
    for path in ("/console/events/", "/console/webhooks/", "/console/audit/?action=x"):
        answer = await client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/console/sign-in?next=")
