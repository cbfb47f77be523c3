"""The console in a real browser: an officer writes and submits, an approver approves and
schedules under embargo, the public page appears at the lift while an accredited journalist's
private feed had the release all along; once more with the keyboard only; axe on every
console page at desktop and phone widths."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from press.db import connect
from tests.feeds.helpers import journalist_token
from tests.web.conftest import (
    ARTEFACTS,
    WIDE,
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    screenshot,
    unique_word,
)
from tests.web.console import PASSWORD
from tests.web.content import database_now

HELSINKI = ZoneInfo("Europe/Helsinki")


async def email_of(server: Server, user_id: str) -> str:
    conn = await connect(server.database_url)
    try:
        email: str = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", user_id)
        return email
    finally:
        await conn.close()


@pytest.fixture
async def contexts(browser: Browser, server: Server) -> AsyncIterator[list[BrowserContext]]:
    """Browser profiles of their own (cookies apart), Finnish, closed after the test."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        await context.close()


async def new_tab(browser: Browser, server: Server, made: list[BrowserContext]) -> Page:
    context = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI"
    )
    made.append(context)
    return await context.new_page()


async def sign_in(page: Page, email: str, next_page: str = "/console/") -> None:
    await page.goto(next_page)
    await expect(page).to_have_url(re.compile(r"/console/sign-in"))
    await page.get_by_label("Sähköpostiosoite").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu").click()


async def test_an_officer_writes_and_an_approver_schedules_a_release_under_embargo(
    browser: Browser, server: Server, contexts: list[BrowserContext]
) -> None:
    title_fi, title_sv = f"Uusi kirjasto {unique_word()}", f"Nytt bibliotek {unique_word()}"
    officer = await new_tab(browser, server, contexts)
    await officer.goto("/console/")
    assert "/console/sign-in" in officer.url
    await assert_accessible(officer)
    await screenshot(officer, "console-sign-in")
    await officer.get_by_label("Sähköpostiosoite").fill(await email_of(server, server.editor.id))
    await officer.get_by_label("Salasana").fill(PASSWORD)
    await officer.get_by_role("button", name="Kirjaudu").click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Työpöytä")

    await officer.get_by_role("link", name="Uusi tiedote").first.click()
    await officer.get_by_label("Lähde").select_option(label="Kaupunginhallitus")
    await officer.get_by_label("Talous").check()
    suomi = officer.locator("fieldset.language[data-lang=fi]")
    await suomi.get_by_label("Otsikko").fill(title_fi)
    await suomi.get_by_label("Ingressi").fill("Kaupunki avaa kirjaston keskustaan.")
    await suomi.get_by_label("Teksti").fill(
        "Kirjasto avataan **maanantaina**.\n\n## Aukioloajat\n\nJoka päivä."
    )
    svenska = officer.locator("fieldset.language[data-lang=sv]")
    await svenska.get_by_label("Otsikko").fill(title_sv)
    await svenska.get_by_label("Teksti").fill("Biblioteket öppnas på **måndag**.")
    await officer.get_by_role("button", name="Esikatselu").click()
    preview = officer.locator("fieldset.language[data-lang=fi] .preview")
    await expect(preview.locator("strong")).to_have_text("maanantaina")
    await expect(preview.locator("h2", has_text="Aukioloajat")).to_be_visible()
    await assert_accessible(officer)
    await screenshot(officer, "console-editor")
    await officer.get_by_role("button", name="Tallenna").click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text(title_fi)
    release_id = officer.url.rsplit("/", 1)[1]
    await assert_accessible(officer)
    reporter = await accredited_journalist(server)
    await officer.get_by_role("button", name="Lähetä hyväksyttäväksi").click()
    await expect(officer.locator("#state")).to_have_text("Odottaa hyväksyntää")
    await screenshot(officer, "console-submitted")

    approver = await new_tab(browser, server, contexts)
    await sign_in(approver, await email_of(server, server.approver.id))
    waiting = approver.locator("section", has=approver.locator("#waiting-heading"))
    await expect(waiting.get_by_role("link", name=title_fi)).to_be_visible()
    await assert_accessible(approver)
    await waiting.get_by_role("link", name=title_fi).click()
    await approver.get_by_role("button", name="Hyväksy").click()
    await expect(approver.locator("#state")).to_have_text("Hyväksytty")
    await assert_accessible(approver)

    # Ten seconds ahead of the database's clock, typed on Helsinki clocks.
    lift = (await database_now(server) + timedelta(seconds=10)).replace(microsecond=0)
    field = lift.astimezone(HELSINKI).replace(tzinfo=None).isoformat(timespec="seconds")
    await approver.get_by_label("Julkaisuaika (Helsingin aikaa)").fill(field)
    await approver.get_by_role("checkbox", name="Embargo").check()
    await approver.get_by_role("button", name="Tarkista aika").click()
    await expect(approver.locator("#checked")).to_contain_text(
        f"{lift.astimezone(HELSINKI).astimezone(ZoneInfo('UTC')):%Y-%m-%d %H:%M:%S} UTC"
    )
    ARTEFACTS.mkdir(exist_ok=True)
    await approver.screenshot(path=ARTEFACTS / f"console-schedule-{WIDE}.png", full_page=True)
    await approver.get_by_role("button", name="Ajasta", exact=True).click()
    await expect(approver.locator("#state")).to_have_text("Ajastettu")

    async with httpx.AsyncClient(base_url=server.url, timeout=10) as public:
        assert (await public.get(f"/releases/{release_id}")).status_code == 404
        # The accredited journalist's feed reader has it before the public does.
        private = await public.get(f"/feeds/private/{reporter}/releases.rss")
        assert private.status_code == 200
        titles = [entry.title for entry in feedparser.parse(private.content).entries]
        assert any(title_fi in title for title in titles), titles
        assert await database_now(server) < lift
        await approver.goto("/console/")
        scheduled = approver.locator("section", has=approver.locator("#scheduled-heading"))
        await expect(scheduled.get_by_role("link", name=title_fi)).to_be_visible()
        countdown = scheduled.locator("li", has_text=title_fi).locator("[data-countdown]")
        await expect(countdown).to_have_text(re.compile(r"^0:00:\d\d$"))
        # It runs: the script counts down the seconds left.
        first = await countdown.text_content()
        await expect(countdown).not_to_have_text(first or "")
        await screenshot(approver, "console-dashboard")
        status = await public_status_until_lift(public, server, release_id, lift)
    assert status == 200


async def accredited_journalist(server: Server) -> str:
    """An accredited journalist with embargo access; their private feed's token."""
    conn = await connect(server.database_url)
    try:
        return await journalist_token(conn)
    finally:
        await conn.close()


async def public_status_until_lift(
    public: httpx.AsyncClient, server: Server, release_id: str, lift: datetime
) -> int:
    """The public page's status, asked until it is public: 404 until then, and never
    public before the lift by the database's clock."""
    status = 0
    for _ in range(60):
        status = (await public.get(f"/releases/{release_id}")).status_code
        answered_by = await database_now(server)
        if status == 200:
            assert answered_by >= lift, f"public by {answered_by}, before the lift at {lift}"
            return status
        assert status == 404
        await asyncio.sleep(0.5)
    return status


async def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element `selector` names has the focus (it is reachable)."""
    target = page.locator(selector)
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab on {page.url}")


async def test_the_whole_flow_works_with_the_keyboard_only(
    browser: Browser, server: Server, contexts: list[BrowserContext]
) -> None:
    title = f"Näppäimistöllä {unique_word()}"
    officer = await new_tab(browser, server, contexts)
    await officer.goto("/console/")
    # The e-mail field has the focus when the sign-in page opens.
    await officer.keyboard.type(await email_of(server, server.editor.id))
    await officer.keyboard.press("Tab")
    await officer.keyboard.type(PASSWORD)
    await officer.keyboard.press("Enter")
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    await tab_to(officer, "nav a[href='/console/releases/new']")
    await officer.keyboard.press("Enter")
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Uusi tiedote")
    await tab_to(officer, "#source")
    await tab_to(officer, "input[name=topics][value=economy]")
    await officer.keyboard.press("Space")
    await tab_to(officer, "#title_fi")
    await officer.keyboard.type(title)
    await tab_to(officer, "#body_fi")
    await officer.keyboard.type("Kirjoitettu ilman hiirtä.")
    await tab_to(officer, "button[value=save]")
    await officer.keyboard.press("Enter")
    await expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    await tab_to(officer, "button[value=submit]")
    await officer.keyboard.press("Enter")
    await expect(officer.locator("#state")).to_have_text("Odottaa hyväksyntää")
    await tab_to(officer, ".sign-out button")
    await officer.keyboard.press("Enter")
    await expect(officer).to_have_url(re.compile(r"/console/sign-in"))

    approver = await new_tab(browser, server, contexts)
    await approver.goto("/console/")
    await approver.keyboard.type(await email_of(server, server.approver.id))
    await approver.keyboard.press("Tab")
    await approver.keyboard.type(PASSWORD)
    await approver.keyboard.press("Enter")
    await expect(approver.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    await tab_to(approver, f"#waiting-heading ~ ul a:text-is('{title}')")
    await approver.keyboard.press("Enter")
    await tab_to(approver, "button[value=approve]")
    await approver.keyboard.press("Enter")
    await expect(approver.locator("#state")).to_have_text("Hyväksytty")
    await tab_to(approver, "button[value=now]")
    await approver.keyboard.press("Enter")
    await expect(approver.locator("#state")).to_have_text("Julkaistu")


async def test_every_console_page_is_accessible_in_each_language(
    browser: Browser, server: Server, contexts: list[BrowserContext]
) -> None:
    page = await new_tab(browser, server, contexts)
    await sign_in(page, await email_of(server, server.admin.id))
    for lang in ("sv", "en"):
        await page.goto(f"/console/language/{lang}?next=/console/releases/new")
        assert await page.get_attribute("html", "lang") == lang
        await assert_accessible(page)
    await page.goto("/console/releases/00000000-0000-4000-8000-000000000000")
    await expect(page.get_by_role("alert")).to_be_visible()
    await assert_accessible(page)


async def test_leaving_the_editor_with_unsaved_changes_asks_first(
    browser: Browser, server: Server, contexts: list[BrowserContext]
) -> None:
    page = await new_tab(browser, server, contexts)
    await sign_in(page, await email_of(server, server.editor.id), "/console/releases/new")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Uusi tiedote")
    note = page.locator("[data-guard-note]")
    await expect(note).to_be_hidden()
    long_word = "Kaupunginvaltuustoryhmäneuvottelukokouspöytäkirjaluonnos" * 2
    await page.locator("#title_fi").click()
    await page.keyboard.type(long_word)
    await expect(note).to_be_visible()
    asked: list[str] = []

    async def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        await dialog.dismiss()

    page.on("dialog", answer)
    await page.get_by_role("link", name="Työpöytä").click(no_wait_after=True)
    for _ in range(50):
        if asked:
            break
        await asyncio.sleep(0.1)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/console/releases/new")
    await assert_no_sideways_scroll(page)
