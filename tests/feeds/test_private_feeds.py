"""Accredited journalists' private feeds: embargoed releases marked, and never cached."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import feedparser
import httpx
import icalendar
import pytest
import vobject

from press.feeds.render import entry_id
from tests.conftest import StaffFactory
from tests.embargo.test_journalists import EMBARGOED, bearer, contact, issue
from tests.events.helpers import create_event
from tests.feeds.helpers import journalist_token
from tests.releases.helpers import act, approved, published

HELSINKI = ZoneInfo("Europe/Helsinki")


async def helsinki_morning(conn: asyncpg.Connection, month: int) -> datetime:
    """09:00 in Helsinki on the 15th of `month` next year, by the database's clock: always
    ahead, in winter time for January and in summer time for July."""
    year = (await conn.fetchval("SELECT now()")).year + 1
    return datetime(year, month, 15, 9, tzinfo=HELSINKI)


def lift_label(instant: datetime) -> str:
    return f"{instant:%Y-%m-%d} 09:00 " + (
        "EET (UTC+02:00)" if instant.month == 1 else "EEST (UTC+03:00)"
    )


async def embargoed(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], at: str, title: str
) -> dict[str, object]:
    release = await approved(client, editor, approver, translations={"fi": {"title": title}})
    return await act(client, editor, str(release["id"]), "publish", {"at": at, "embargo": True})


@pytest.mark.parametrize("kind", ["rss", "atom"])
async def test_private_feed_holds_embargoed_releases_marked_with_lift_time(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, kind: str
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    winter_at, summer_at = await helsinki_morning(conn, 1), await helsinki_morning(conn, 7)
    public = await published(client, editor, approver)
    winter = await embargoed(client, editor, approver, winter_at.isoformat(), "Budjettiesitys")
    summer = await embargoed(client, editor, approver, summer_at.isoformat(), "Kesäpäätös")
    scheduled = await approved(
        client, editor, approver, translations={"fi": {"title": "Ajastettu"}}
    )
    await act(client, editor, scheduled["id"], "publish", {"at": winter_at.isoformat()})
    token = await journalist_token(conn)
    response = await client.get(f"/feeds/private/{token}/releases.{kind}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    titles = {e.dc_identifier.removeprefix("urn:uuid:"): e.title for e in feed.entries}
    assert titles[str(winter["id"])] == f"[EMBARGO until {lift_label(winter_at)}] Budjettiesitys"
    assert titles[str(summer["id"])].startswith(f"[EMBARGO until {lift_label(summer_at)}]")
    assert titles[public["id"]] == "Kaupunginhallitus päätti talousarviosta"
    # Scheduled without embargo: nobody outside sees it before its time.
    assert scheduled["id"] not in titles
    winter_entry = next(e for e in feed.entries if e.dc_identifier.endswith(str(winter["id"])))
    assert f"ei julkaistavaksi ennen {lift_label(winter_at)}" in winter_entry.content[0].value
    # The public feed shows none of it.
    public_feed = (await client.get(f"/feeds/releases.{kind}")).text
    assert "Budjettiesitys" not in public_feed
    assert "EMBARGO" not in public_feed


async def test_private_calendar_holds_lift_times_and_public_events(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    lift_at = await helsinki_morning(conn, 1)
    release = await embargoed(client, editor, approver, lift_at.isoformat(), "Budjettiesitys")
    event = await create_event(client, editor)
    token = await journalist_token(conn)
    response = await client.get(f"/feeds/private/{token}/releases.ics")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    calendar = icalendar.Calendar.from_ical(response.content)
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    lift = by_uid[f"embargo-{release['id']}@press.test"]
    assert lift.decoded("DTSTART").astimezone(UTC) == lift_at.astimezone(UTC)
    assert "Budjettiesitys" in str(lift["SUMMARY"])
    assert f"{event['id']}@press.test" in by_uid
    assert len(vobject.readOne(response.text).vevent_list) == 2
    public = (await client.get("/feeds/events.ics")).text
    assert "Budjettiesitys" not in public
    assert "embargo-" not in public


async def test_revoked_unknown_or_unaccredited_token_gets_404(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    token = await journalist_token(conn)
    unaccredited = await journalist_token(conn, accredited=False)
    for kind in ("rss", "atom", "ics"):
        assert (await client.get(f"/feeds/private/{token}/releases.{kind}")).status_code == 200
    await conn.execute("UPDATE journalist_tokens SET revoked_at = now() WHERE revoked_at IS NULL")
    for bad in (token, unaccredited, "pjt_unknown"):
        for kind in ("rss", "atom", "ics"):
            response = await client.get(f"/feeds/private/{bad}/releases.{kind}")
            assert response.status_code == 404
            assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("revoked_by", ["journalist", "staff"])
async def test_a_feed_token_revoked_through_the_api_closes_every_feed_at_once(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, revoked_by: str
) -> None:
    """The journalist revokes their feed token with their API token (or staff revoke it):
    the next read of each feed is the 404 of an unknown token, never a 200 or 304 kept from
    before, and the API token it was made with keeps working."""
    editor, approver = await staff("editor"), await staff("approver")
    lift_at = await helsinki_morning(conn, 1)
    await embargoed(client, editor, approver, lift_at.isoformat(), "Budjettiesitys")
    contact_id = await contact(conn)
    api = bearer(await issue(client, editor, contact_id))
    made = await client.post("/api/v1/journalist/tokens", json={"scope": "feed"}, headers=api)
    assert made.status_code == 201, made.text
    feed = made.json()
    urls = [f"/feeds/private/{feed['token']}/releases.{kind}" for kind in ("rss", "atom", "ics")]
    etags = {}
    for url in urls:
        opened = await client.get(url)
        assert opened.status_code == 200
        assert "Budjettiesitys" in opened.text
        etags[url] = opened.headers["etag"]

    if revoked_by == "journalist":
        gone = await client.delete(f"/api/v1/journalist/tokens/{feed['id']}", headers=api)
    else:
        revoke = f"/api/v1/manage/contacts/{contact_id}/tokens/{feed['id']}"
        gone = await client.delete(revoke, headers=editor)
    assert gone.status_code == 204, gone.text
    for url in urls:
        for headers in ({}, {"If-None-Match": etags[url]}):
            closed = await client.get(url, headers=headers)
            assert closed.status_code == 404, (url, headers)
            assert closed.headers["cache-control"] == "no-store"
            assert "Budjettiesitys" not in closed.text
    assert (await client.get(EMBARGOED, headers=api)).status_code == 200


async def test_lifted_embargo_entry_keeps_its_id_and_loses_its_mark(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    release = await embargoed(client, editor, approver, at, "Pian julki")
    token = await journalist_token(conn)
    url = f"/feeds/private/{token}/releases.atom"
    before = feedparser.parse((await client.get(url)).content).entries
    assert before[0].title.startswith("[EMBARGO until")
    await asyncio.sleep(1.2)
    after = feedparser.parse((await client.get(url)).content).entries
    assert [e.id for e in after] == [e.id for e in before] == [entry_id(UUID(release["id"]), "fi")]
    assert after[0].title == "Pian julki"
