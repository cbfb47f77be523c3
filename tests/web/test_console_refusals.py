"""The domain's refusals in the console speak the user's language; the API's stay English."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from press.errors import Conflict, InvalidTransition
from press.web.console.refusals import refusal_text
from tests.conftest import StaffFactory
from tests.web.console import draft, page_token, person, sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")


async def scheduled_by_api(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    ahead: timedelta,
    *,
    embargo: bool = False,
) -> tuple[str, datetime]:
    """An editor signed in to the console, and their release scheduled `ahead` by the API."""
    email, editor = await person(staff, "editor")
    _, approver = await person(staff, "approver")
    await sign_in(client, email)
    release_id = await draft(client, editor)
    for move, who in (("submit", editor), ("approve", approver)):
        moved = await client.post(f"/api/v1/manage/releases/{release_id}/{move}", headers=who)
        assert moved.status_code == 200
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    lift = (now + ahead).replace(microsecond=0)
    scheduled = await client.post(
        f"/api/v1/manage/releases/{release_id}/publish",
        json={"at": lift.isoformat(), "embargo": embargo},
        headers=editor,
    )
    assert scheduled.status_code == 200
    return release_id, lift


async def test_approving_ones_own_release_is_refused_in_finnish_and_in_english_by_the_api(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, approver = await person(staff, "approver")
    await sign_in(client, email)
    release_id = await draft(client, approver)
    submitted = await client.post(f"/api/v1/manage/releases/{release_id}/submit", headers=approver)
    assert submitted.status_code == 200
    refused = await client.post(
        f"/console/releases/{release_id}/move",
        data={"csrf": await page_token(client), "action": "approve"},
    )
    assert refused.status_code == 403
    assert "Et voi hyväksyä sitä, minkä itse kirjoitit" in refused.text
    assert "You cannot approve" not in refused.text
    api = await client.post(f"/api/v1/manage/releases/{release_id}/approve", headers=approver)
    assert api.status_code == 403
    assert api.json()["detail"].startswith("You cannot approve a release you wrote")


async def test_a_move_the_state_does_not_allow_is_refused_in_swedish_naming_the_state(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, editor = await person(staff, "editor")
    await sign_in(client, email)
    client.cookies.set("press_console_lang", "sv", path="/console")
    release_id = await draft(client, editor)
    token = await page_token(client)
    await client.post(
        f"/console/releases/{release_id}/move", data={"csrf": token, "action": "submit"}
    )
    again = await client.post(
        f"/console/releases/{release_id}/move", data={"csrf": token, "action": "submit"}
    )
    assert again.status_code == 409
    assert "med status ”Väntar på godkännande” kan inte skickas för godkännande" in again.text


async def test_an_officer_moving_an_embargo_earlier_is_told_until_when_on_helsinki_clocks(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id, lift = await scheduled_by_api(client, staff, conn, timedelta(hours=5), embargo=True)
    refused = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": await page_token(client), "intent": "now"},
    )
    assert refused.status_code == 403
    assert "Tiedote on luvattu embargon alaisena" in refused.text
    assert f"{lift.astimezone(HELSINKI):%-H.%M}" in refused.text


def test_a_refusal_the_console_does_not_know_keeps_the_domains_words() -> None:
    new = Conflict("Something the console has not heard of yet.")
    assert refusal_text(new, "fi", HELSINKI) == "Something the console has not heard of yet."
    odd = InvalidTransition("A release that is lost cannot be found; allowed now: nothing.")
    assert "lost" in refusal_text(odd, "fi", HELSINKI)


async def test_the_running_countdown_gets_its_words_for_days_from_the_page(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await scheduled_by_api(client, staff, conn, timedelta(days=3))
    client.cookies.set("press_console_lang", "sv", path="/console")
    page = await client.get("/console/")
    assert 'data-day-one="{n} dag" data-day-other="{n} dagar"' in page.text
    assert "2 dagar 23:" in page.text or "3 dagar 0:" in page.text
