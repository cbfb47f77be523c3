"""Nothing of a release shows anywhere before its publish_at, and all of it right after —
with no lift loop running: visibility is the database predicate alone."""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, act, approved

PUBLIC = "/api/v1/releases"


async def scheduled_canary(
    client: httpx.AsyncClient, staff: StaffFactory, seconds: float, *, embargo: bool
) -> tuple[dict[str, Any], str]:
    """A release whose title and body carry a word found nowhere else."""
    canary = "kanarialintu" + secrets.token_hex(4)
    editor, approver = await staff("editor"), await staff("approver")
    text = {"title": f"Salainen {canary}", "lead": canary, "body": f"Sisältö {canary}."}
    release = await approved(client, editor, approver, translations={"fi": text})
    at = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
    scheduled = await act(client, editor, release["id"], "publish", {"at": at, "embargo": embargo})
    return scheduled, canary


async def db_now(conn: asyncpg.Connection) -> datetime:
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    return now


def surfaces(release: dict[str, Any], canary: str) -> list[tuple[str, dict[str, str]]]:
    slug = release["translations"]["fi"]["slug"]
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return [
        (PUBLIC, {}),
        (PUBLIC, {"q": canary}),
        (PUBLIC, {"q": canary, "lang": "fi"}),
        (PUBLIC, {"updated_since": an_hour_ago}),
        (PUBLIC, {"source": "city-board", "limit": "100"}),
        (f"{PUBLIC}/{release['id']}", {}),
        (f"{PUBLIC}/{slug}", {}),
        (f"{PUBLIC}/{release['id']}", {"lang": "xx"}),  # an error body
        ("/feeds/releases.rss", {}),
        ("/feeds/releases.atom", {"lang": "fi"}),
        ("/feeds/releases.rss", {"source": "city-board"}),
        (f"/releases/{release['id']}", {}),  # the HTML page
        (f"/releases/{slug}", {}),
        *PRESS_ROOM_WITH_RELEASES,
        ("/fi/", {"q": canary}),
        ("/fi/", {"source": "city-board", "utm_source": canary}),
        *PRESS_ROOM_WITHOUT_RELEASES,
    ]


# The press room's pages: those that list releases show a release from its lift on; the
# others never name one, before or after.
PRESS_ROOM_WITH_RELEASES = [("/fi/", {}), ("/sv/", {}), ("/en/", {})]
PRESS_ROOM_WITHOUT_RELEASES = [
    ("/fi/events/", {}),
    ("/sv/contacts/", {}),
    ("/en/media-bank/", {}),
    ("/fi/about/", {}),
]


async def test_leak_hunter_sees_nothing_before_publish_at_and_everything_right_after(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    # Lifts a few seconds away: the hunt polls the API, the feeds and every page many times.
    hunted = [
        await scheduled_canary(client, staff, 6.0, embargo=True),
        await scheduled_canary(client, staff, 6.5, embargo=False),
    ]
    unknown_404 = (await client.get(f"{PUBLIC}/{uuid4()}")).content
    lifts = sorted(datetime.fromisoformat(r["publish_at"]) for r, _ in hunted)
    last_lift = lifts[-1]
    before = after = 0
    etags_before: set[str] = set()
    etags_after: set[str] = set()
    while (start := await db_now(conn)) < last_lift + timedelta(seconds=1.0):
        for release, canary in hunted:
            publish_at = datetime.fromisoformat(release["publish_at"])
            responses = [await client.get(p, params=q) for p, q in surfaces(release, canary)]
            end = await db_now(conn)
            if end < lifts[0]:
                etags_before.add(responses[0].headers["etag"])
            elif start >= last_lift:
                etags_after.add(responses[0].headers["etag"])
            if end < publish_at:
                before += 1
                for response in responses:
                    assert hidden_text(response, canary) not in response.text, response.url
                    assert release["id"] not in response.text, response.url
                    _max_age_within(response, (publish_at - start).total_seconds())
                assert responses[5].content == unknown_404
                assert responses[5].headers["cache-control"] == "no-store"
                assert responses[6].content == unknown_404
            elif start >= publish_at:
                after += 1
                shown = len(responses) - len(PRESS_ROOM_WITHOUT_RELEASES)
                for response in responses[:7] + responses[8:shown]:
                    assert response.status_code == 200, response.url
                    assert canary in response.text, response.url
                for response in responses[shown:]:
                    assert canary not in response.text, response.url
                assert release["id"] not in responses[7].text
        await asyncio.sleep(0.05)
    assert before >= 10  # the hunt polled many times before each lift…
    assert len(etags_before) == 1  # nothing changed in public before the first lift
    assert etags_after
    assert etags_before.isdisjoint(etags_after)
    assert after >= 2  # …and saw each release the moment after it


def hidden_text(response: httpx.Response, canary: str) -> str:
    """What must not show: the canary, or on a search page, which says what was searched
    for, the release's title."""
    if response.url.path == "/fi/" and response.url.params.get("q") == canary:
        return f"Salainen {canary}"
    return canary


def _max_age_within(response: httpx.Response, seconds_to_lift: float) -> None:
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    if match:
        assert int(match.group(1)) <= seconds_to_lift + 0.001, response.url


async def test_pre_lift_validators_get_the_new_content_after_the_lift(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    release, canary = await scheduled_canary(client, staff, 1.0, embargo=True)
    before = await client.get(PUBLIC)
    etag, last_modified = before.headers["etag"], before.headers.get("last-modified")
    not_modified = await client.get(PUBLIC, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    for header in ("etag", "cache-control", "vary"):
        assert not_modified.headers[header] == before.headers[header]
    await asyncio.sleep(1.05)
    after = await client.get(PUBLIC, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert canary in after.text
    assert after.headers["etag"] != etag
    fresh_date = after.headers["last-modified"]
    both = await client.get(
        PUBLIC, headers={"If-None-Match": etag, "If-Modified-Since": fresh_date}
    )
    assert both.status_code == 200  # the stale ETag decides, not the fresh date
    assert last_modified is None or last_modified != fresh_date
    assert after.headers["last-modified"] == _http_date(release["publish_at"])


def _http_date(instant: str) -> str:
    when = datetime.fromisoformat(instant).astimezone(UTC)
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


async def test_editing_an_embargoed_release_changes_no_public_response(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    public = await approved(client, editor, approver)
    await act(client, editor, public["id"], "publish", {})
    secret, canary = await scheduled_canary(client, staff, 3600, embargo=True)
    before = await client.get(PUBLIC)
    url = f"{MANAGE}/{secret['id']}"
    etag = (await client.get(url, headers=approver)).headers["etag"]
    change = {"translations": {"fi": {"title": f"Muutettu {canary}", "body": "Uusi."}}}
    edited = await client.patch(url, json=change, headers={**approver, "If-Match": etag})
    assert edited.status_code == 202  # held for another approver, then approved
    await act(client, await staff("approver"), secret["id"], "approve-change")
    after = await client.get(PUBLIC)
    assert after.content == before.content
    assert after.headers["etag"] == before.headers["etag"]
    assert after.headers["last-modified"] == before.headers["last-modified"]
    assert (await client.get(f"{PUBLIC}/{secret['id']}")).status_code == 404


async def test_no_client_supplied_time_or_header_unlocks_a_release(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    release, canary = await scheduled_canary(client, staff, 3600, embargo=True)
    ahead = datetime.now(UTC) + timedelta(days=365 * 50)
    future = ahead.strftime("%Y-%m-%dT%H:%M:%SZ")
    tricks: list[tuple[str, dict[str, str], dict[str, str]]] = [
        (PUBLIC, {"now": future, "at": future, "preview": "1"}, {}),
        (PUBLIC, {"until": future, "since": "2000-01-01T00:00:00Z"}, {}),
        (
            f"{PUBLIC}/{release['id']}",
            {"now": future},
            {"Date": format_datetime(ahead, usegmt=True)},
        ),
        (PUBLIC, {"q": canary}, {"X-Forwarded-For": "127.0.0.1", "If-Modified-Since": future}),
    ]
    for path, params, headers in tricks:
        response = await client.get(path, params=params, headers=headers)
        assert canary not in response.text
        assert release["id"] not in response.text


async def test_unknown_not_yet_public_and_withdrawn_before_lift_ids_answer_alike(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    pending, _ = await scheduled_canary(client, staff, 3600, embargo=True)
    pulled, _ = await scheduled_canary(client, staff, 3600, embargo=False)
    await act(client, await staff("editor"), pulled["id"], "withdraw", {"reason": "Cancelled"})
    answers = [
        await client.get(f"{PUBLIC}/{key}") for key in (uuid4(), pending["id"], pulled["id"])
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert {a.headers["cache-control"] for a in answers} == {"no-store"}
    assert len({tuple(sorted(a.headers.keys())) for a in answers}) == 1
