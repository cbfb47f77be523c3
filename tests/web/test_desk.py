"""The journalist's desk in a real browser: a resident subscribes and manages the
subscription from the e-mails, a person asks for their data and for its erasure, and an
accredited journalist reads under embargo in the reading room. Mail goes through a real SMTP
server (aiosmtpd) and press's own sender; axe checks every page at desktop and phone widths.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import httpx
import pytest
from playwright.async_api import Browser, Page

from press.db import connect
from press.settings import Settings
from tests.delivery.conftest import Inbox
from tests.delivery.conftest import smtp as smtp  # the fixture, for this module
from tests.delivery.helpers import deliver
from tests.web.conftest import (
    NARROW,
    Publish,
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    screenshot,
    unique_word,
)
from tests.web.content import database_now


@dataclass
class Mailroom:
    """press's sender run against the server's database, into the test's SMTP server."""

    server: Server
    inbox: Inbox

    async def deliver(self) -> None:
        conn = await connect(self.server.database_url)
        try:
            settings = Settings(public_url=self.server.url, secret_key="test")
            await deliver(conn, settings, self.inbox.url)
        finally:
            await conn.close()

    def last_to(self, address: str) -> EmailMessage:
        mails = self.inbox.to(address)
        assert mails, f"no mail to {address}"
        return mails[-1]

    def link(self, address: str, kind: str) -> str:
        """The desk link of `kind` in the last mail to `address`, as a path of the server."""
        part = self.last_to(address).get_body(("plain",))
        assert part is not None
        found = re.search(rf"https?://\S+/desk/{kind}/\S+", str(part.get_content()))
        assert found is not None, part.get_content()
        assert found.group(0).startswith(self.server.url)
        return found.group(0).removeprefix(self.server.url)


@pytest.fixture
def mailroom(server: Server, smtp: Inbox) -> Mailroom:
    return Mailroom(server, smtp)


async def sql(server: Server, query: str, *args: object) -> object:
    conn = await connect(server.database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def heading(page: Page) -> str:
    return (await page.locator("h1").inner_text()).strip()


async def subscription_state(server: Server, email: str) -> object:
    return await sql(
        server,
        "SELECT jsonb_build_object('state', s.state, 'sources', s.sources) FROM subscriptions s "
        "JOIN contacts c ON c.id = s.contact_id WHERE c.email = $1",
        email,
    )


async def test_a_resident_subscribes_confirms_changes_pauses_and_unsubscribes(
    page: Page, browser: Browser, server: Server, mailroom: Mailroom, publish: Publish
) -> None:
    email = f"{unique_word('asukas')}@koti.example"
    await page.goto("/fi/desk/subscribe")
    await assert_accessible(page)
    await screenshot(page, "desk-subscribe")
    await page.fill("#email", email)
    await page.check("#source-city-council")
    await page.check("#consent")
    await page.get_by_role("button", name="Tilaa", exact=True).click()
    assert await heading(page) == "Katso sähköpostisi"
    await assert_accessible(page)

    await mailroom.deliver()
    confirm = mailroom.link(email, "confirm")
    assert confirm.startswith("/fi/desk/confirm/")
    await page.goto(confirm)
    assert await heading(page) == "Vahvista tilauksesi"
    await assert_accessible(page)
    await page.get_by_role("button", name="Vahvista").click()
    assert await heading(page) == "Tilaus vahvistettu"
    await assert_accessible(page)
    preferences = await page.get_by_role("link", name="Asetuksesi").get_attribute("href")
    assert preferences is not None

    used = await page.goto(confirm)
    assert used is not None
    assert used.status == 404
    assert used.headers["content-type"] == "text/html; charset=utf-8"
    assert await heading(page) == "Linkkiä on jo käytetty"
    assert await page.get_by_role("link", name="Tilaa uudelleen").count() == 1
    await assert_accessible(page)
    await screenshot(page, "desk-used-link")

    await page.goto(preferences)
    content = await page.content()
    assert email in content
    assert "desk-2026-12" in content  # the consent, with the version of its text
    await assert_accessible(page)
    await screenshot(page, "desk-preferences")
    await page.uncheck("#source-city-council")
    await page.check("#source-city-board")
    await page.get_by_role("button", name="Tallenna valintani").click()
    assert "Valintasi on tallennettu." in await page.locator("[role=status]").inner_text()
    assert await subscription_state(server, email) == {
        "state": "confirmed", "sources": ["city-board"],
    }  # fmt: skip

    # A release of the City Board reaches them, with a link back to their preferences that
    # opens on a phone at its width, in the e-mail's language whatever the phone's.
    title = f"Kaupunginhallitus päätti {unique_word()}"
    await publish({"fi": {"title": title, "lead": "Ingressi.", "body": "Teksti."}})
    await mailroom.deliver()
    assert mailroom.last_to(email)["Subject"] == title
    assert mailroom.link(email, "preferences") == preferences
    phone = await browser.new_context(
        base_url=server.url, viewport={"width": NARROW, "height": 800}, is_mobile=True,
        has_touch=True, locale="en-GB",
    )  # fmt: skip
    try:
        tab = await phone.new_page()
        await tab.goto(preferences)
        assert await tab.get_attribute("html", "lang") == "fi"
        assert await tab.evaluate("document.documentElement.clientWidth") == NARROW
        await assert_no_sideways_scroll(tab, 320)
    finally:
        await phone.close()

    await page.get_by_role("button", name="Keskeytä tilaus").click()
    assert "keskeytetty" in await page.locator("[role=status]").inner_text()
    assert (await subscription_state(server, email))["state"] == "paused"  # type: ignore[index]
    await page.get_by_role("button", name="Jatka tilausta").click()
    assert (await subscription_state(server, email))["state"] == "confirmed"  # type: ignore[index]
    await page.get_by_role("button", name="Peru kaikki tilaukset").click()
    assert await heading(page) == "Tilaus peruttu"
    await assert_accessible(page)
    assert (await subscription_state(server, email))["state"] == "unsubscribed"  # type: ignore[index]


async def ask_privacy(page: Page, lang: str, email: str, kind: str) -> None:
    await page.goto(f"/{lang}/desk/privacy")
    await page.fill("#email", email)
    await page.check(f"#kind-{kind}")
    await page.locator("form.desk-form button[type=submit]").click()


async def test_a_person_downloads_their_data_and_erases_it_in_the_emails_language(
    page: Page, api: httpx.AsyncClient, server: Server, mailroom: Mailroom
) -> None:
    email = f"{unique_word('henkilo')}@media.example"
    made = await api.post(
        "/api/v1/manage/contacts/", json={"name": "Henrika Holm", "email": email},
        headers=server.editor,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    await page.goto("/sv/desk/privacy")
    await assert_accessible(page)
    await screenshot(page, "desk-privacy")
    await ask_privacy(page, "sv", email, "access")
    assert await heading(page) == "Titta i din e-post"
    await mailroom.deliver()
    link = mailroom.link(email, "privacy")
    assert link.startswith("/sv/desk/privacy/")
    await page.goto(link)
    assert await heading(page) == "Dina uppgifter"
    await assert_accessible(page)
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Ladda ner mina uppgifter").click()
    download = await download_info.value
    path = await download.path()
    data = json.loads(path.read_text())
    assert data["contact"]["email"] == email
    again = await page.goto(link)
    assert again is not None
    assert again.status == 404
    assert await heading(page) == "Länken har redan använts"

    await ask_privacy(page, "en", email, "erasure")
    await mailroom.deliver()
    link = mailroom.link(email, "privacy")
    assert link.startswith("/en/desk/privacy/")
    await page.goto(link)
    assert await heading(page) == "Erase your data"
    await assert_accessible(page)
    await screenshot(page, "desk-erase")
    await page.get_by_role("button", name="Erase my data").click()  # the box is not ticked
    assert await heading(page) == "Erase your data"
    assert await sql(server, "SELECT status FROM contacts WHERE email = $1", email) == "active"
    await page.check("#confirm")
    await page.get_by_role("button", name="Erase my data").click()
    assert await heading(page) == "Data erased"
    await assert_accessible(page)
    assert await sql(server, "SELECT count(*) FROM contacts WHERE email = $1", email) == 0


async def wait_for_database_clock(server: Server, moment: datetime) -> None:
    """Until the database's clock, the authority for "now", has passed `moment`."""
    await asyncio.sleep(max(0.0, (moment - await database_now(server)).total_seconds()))
    assert await database_now(server) >= moment


@pytest.fixture
async def journalist(api: httpx.AsyncClient, server: Server) -> dict[str, str]:
    email = f"{unique_word('toimittaja')}@lehti.example"
    made = await api.post(
        "/api/v1/manage/contacts/",
        json={"name": "Tiina Toimittaja", "email": email, "embargo_access": True},
        headers=server.editor,
    )
    assert made.status_code == 201, made.text
    contact: dict[str, str] = made.json()
    return contact


async def test_an_accredited_journalist_reads_under_embargo_until_suspended(
    page: Page, api: httpx.AsyncClient, server: Server, mailroom: Mailroom, publish: Publish,
    journalist: dict[str, str],
) -> None:  # fmt: skip
    now = await database_now(server)
    # "Soon" leaves time to sign in through a mailed link on a busy machine.
    soon, later = now + timedelta(seconds=20), now + timedelta(hours=1)
    near_title, far_title = f"Pian {unique_word()}", f"Myöhemmin {unique_word()}"
    near = await publish({"en": {"title": near_title, "lead": "Soon.", "body": "Soon."}},
                         at=soon.isoformat())  # fmt: skip
    far = await publish(
        {"en": {"title": far_title, "lead": "Later.", "body": "The **budget** in full."}},
        at=later.isoformat(),
    )

    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Refused" in m.text else None)
    room = await page.goto("/en/desk/room")
    assert room is not None
    assert room.status == 401
    await assert_accessible(page)
    await screenshot(page, "room-sign-in")
    await page.fill("#email", journalist["email"])
    await page.get_by_role("button", name="Send me a sign-in link").click()
    assert await heading(page) == "Check your e-mail"
    await mailroom.deliver()
    link = mailroom.link(journalist["email"], "room/sign-in")
    await page.goto(link)
    await assert_accessible(page)
    await page.get_by_role("button", name="Sign in").click()
    assert page.url == server.url + "/en/desk/room"
    [cookie] = [c for c in await page.context.cookies() if c["name"] == "press_room"]
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    # The room's list as the page shows it once loaded (the click's navigation may commit
    # before the document is read in full).
    await page.locator("ol.releases h2").first.wait_for()
    listed = await page.locator("ol.releases h2").all_inner_texts()
    assert listed[:2] == [near_title, far_title] or {near_title, far_title} <= set(listed)
    assert await page.locator(".countdown").first.inner_text()
    assert "(Europe/Helsinki, UTC+0" in await page.locator(".lift").first.inner_text()
    await assert_accessible(page)
    await screenshot(page, "room")
    countdown = await page.locator(".countdown").first.inner_text()  # seconds away
    await page.wait_for_function(  # the countdown's script runs under the room's policy
        "text => document.querySelector('.countdown').textContent !== text", arg=countdown
    )

    href = await page.get_by_role("link", name=far_title).get_attribute("href")
    assert href == f"/en/desk/room/releases/{far['id']}"
    response = await page.goto(href)
    assert response is not None
    assert response.headers["cache-control"] == "private, no-store"
    assert await heading(page) == far_title
    assert "budget" in await page.locator(".body strong").inner_text()
    await assert_accessible(page)
    await screenshot(page, "room-release")
    reads = await api.get(
        f"/api/v1/manage/releases/{far['id']}/embargo-reads", headers=server.editor
    )
    assert journalist["id"] in {r["contact_id"] for r in reads.json()["items"]}

    spent = await page.context.new_page()
    await spent.goto(link)
    assert await heading(spent) == "This link has already been used"
    await spent.close()

    public = await api.get("/en/")
    assert near_title not in public.text
    await wait_for_database_clock(server, soon)
    public = await api.get("/en/")
    assert near_title in public.text
    await page.goto("/en/desk/room")
    assert near_title not in await page.content()  # lifted: public now, not in the room
    assert near["id"] != far["id"]

    suspended = await api.post(
        f"/api/v1/manage/contacts/{journalist['id']}/accreditation/suspend",
        json={"reason": "broke an embargo"}, headers=server.editor,
    )  # fmt: skip
    assert suspended.status_code == 200, suspended.text
    ended = await page.reload()
    assert ended is not None
    assert ended.status == 401
    assert await heading(page) == "Embargo reading room"
    assert far_title not in await page.content()
    assert blocked == [], blocked  # no script or style refused by the pages' policies
