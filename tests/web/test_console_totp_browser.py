"""The second factor in a real browser: an approver sets it up from the QR code's page,
keeps the recovery codes, and signs in again with a code; axe on each new page at desktop
and phone widths. And the running countdown's words, from the page."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pyotp
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from press.db import connect
from tests.conftest import _fast_hash, staff_user
from tests.web.conftest import (
    WIDE,
    Publish,
    Server,
    assert_accessible,
    screenshot,
    unique_word,
)
from tests.web.console import PASSWORD
from tests.web.content import database_now


@pytest.fixture
async def tab(browser: Browser, server: Server) -> AsyncIterator[Page]:
    context: BrowserContext = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI"
    )
    yield await context.new_page()
    await context.close()


async def new_approver(server: Server) -> str:
    """An approver of their own (a second factor is the user's, once)."""
    conn = await connect(server.database_url)
    try:
        user = await staff_user(conn, "approver", None, await _fast_hash())
        email: str = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", user.id)
        return email
    finally:
        await conn.close()


async def password_step(page: Page, email: str) -> None:
    await page.goto("/console/")
    await page.get_by_label("Sähköpostiosoite").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu").click()


async def test_an_approver_sets_up_the_second_factor_and_signs_in_with_a_code(
    tab: Page, server: Server
) -> None:
    email = await new_approver(server)
    await password_step(tab, email)
    await expect(tab.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    await tab.get_by_role("link", name="Toinen tunnistustekijä").click()
    await expect(tab.get_by_role("img", name=re.compile("QR-koodina"))).to_be_visible()
    await assert_accessible(tab)
    await screenshot(tab, "console-second-factor")
    secret = (await tab.locator("code.secret").text_content() or "").replace(" ", "")
    totp = pyotp.TOTP(secret)
    await tab.get_by_label("Sovelluksen nyt näyttämä kuusinumeroinen koodi").fill(totp.now())
    await tab.get_by_role("button", name="Ota toinen tunnistustekijä käyttöön").click()
    await expect(tab.get_by_role("heading", name="Varakoodisi")).to_be_visible()
    await expect(tab.locator("ul.recovery-codes li")).to_have_count(10)
    await assert_accessible(tab)
    await screenshot(tab, "console-recovery-codes")

    await tab.get_by_role("button", name="Kirjaudu ulos").click()
    await password_step(tab, email)
    await expect(tab.get_by_role("heading", level=1)).to_have_text("Anna koodi sovelluksestasi")
    await tab.get_by_label("Koodi", exact=True).fill("000000")
    await tab.get_by_role("button", name="Kirjaudu").click()
    await expect(tab.get_by_role("alert")).to_contain_text("Koodi on väärä")
    await assert_accessible(tab)
    await screenshot(tab, "console-sign-in-code")
    # The next step's code: the one the set-up used is spent.
    await tab.get_by_label("Koodi", exact=True).fill(totp.at(time.time() + 30))
    await tab.get_by_role("button", name="Kirjaudu").click()
    await expect(tab.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    # The dashboard's new parts (news of my releases, e-mail to journalists) pass axe too.
    await expect(tab.get_by_role("heading", name="Sähköposti toimittajille")).to_be_visible()
    await assert_accessible(tab)
    await screenshot(tab, "console-dashboard-news")


async def test_the_running_countdown_names_days_in_the_users_language(
    tab: Page, server: Server, publish: Publish
) -> None:
    title = f"Kahden päivän päästä {unique_word()}"
    lift = await database_now(server) + timedelta(days=2, hours=1)
    await publish({"fi": {"title": title, "lead": "", "body": "Teksti."}}, at=lift.isoformat())
    await password_step(tab, await new_approver(server))
    await tab.goto("/console/language/sv?next=/console/")
    clock = tab.locator("li", has_text=title).locator("[data-countdown]")
    # Rendered by the server, then kept running by the script in the same words.
    await expect(clock).to_have_text(re.compile(r"^2 dagar \d+:\d\d:\d\d$"))
    first = await clock.text_content()
    await expect(clock).not_to_have_text(first or "")
    await expect(clock).to_have_text(re.compile(r"^2 dagar \d+:\d\d:\d\d$"))
