"""Events, webhooks and the audit log in a real browser: an approver creates a press event on
Helsinki clocks, subscribes a webhook, sends a failed delivery again and finds that in the
audit log; axe on each of these pages at desktop and phone widths."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from press.db import connect
from tests.web.conftest import (
    WIDE,
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    follow,
    screenshot,
    unique_word,
)
from tests.web.content import database_now
from tests.web.test_console_browser import email_of, sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
async def tab(browser: Browser, server: Server) -> AsyncIterator[Page]:
    """A Finnish browser profile of its own, signed in as the server's approver."""
    context = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI"
    )
    page = await context.new_page()
    await sign_in(page, await email_of(server, server.approver.id))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    yield page
    await context.close()


async def failed_delivery(server: Server, webhook_id: str) -> None:
    """A delivery that failed for good at a receiver that answered 500, as the sender records
    one (the test server runs no sender: nothing here connects anywhere)."""
    conn = await connect(server.database_url)
    try:
        # An event as press writes one (the server's database is shared with the other
        # browser tests, whose mail round reads it): of a release that is not there.
        release_id = uuid4()
        outbox_id = await conn.fetchval(
            "INSERT INTO outbox (event_type, aggregate_id, dedupe_key, payload) "
            "VALUES ('release.published', $1, $2, $3::jsonb) RETURNING id",
            release_id,
            unique_word("browser-"),
            {"id": str(release_id)},
        )
        delivery_id = await conn.fetchval(
            "INSERT INTO webhook_deliveries (webhook_id, outbox_id, event_type, state, attempts,"
            " last_status, last_error) VALUES ($1, $2, 'release.published', 'failed', 1, 500,"
            " 'HTTP 500') RETURNING id",
            webhook_id,
            outbox_id,
        )
        await conn.execute(
            "INSERT INTO webhook_attempts (delivery_id, status, error, duration_ms)"
            " VALUES ($1, 500, 'HTTP 500', 12)",
            delivery_id,
        )
    finally:
        await conn.close()


async def test_an_approver_makes_an_event_and_a_webhook_and_retries_a_delivery(
    tab: Page, server: Server
) -> None:
    title = f"Budjettiinfo {unique_word()}"
    await tab.get_by_role("link", name="Tiedotustilaisuudet").click()
    await expect(tab.get_by_role("heading", level=1)).to_have_text("Tiedotustilaisuudet")
    await tab.get_by_role("link", name="Uusi tiedotustilaisuus").click()
    starts = (await database_now(server) + timedelta(days=3)).astimezone(HELSINKI)
    starts = starts.replace(minute=0, second=0, microsecond=0)
    await tab.get_by_label("Lähde").select_option(label="Kaupunginhallitus")
    await tab.get_by_label("Alkaa").fill(starts.replace(tzinfo=None).isoformat(timespec="minutes"))
    ends = (starts + timedelta(hours=1)).replace(tzinfo=None)
    await tab.get_by_label("Päättyy").fill(ends.isoformat(timespec="minutes"))
    await tab.get_by_label("Paikka").fill("Kaupungintalo")
    suomi = tab.locator("fieldset.language").first
    await suomi.get_by_label("Otsikko").fill(title)
    await suomi.get_by_label("Kuvaus").fill("Pormestari esittelee talousarvion.")
    await assert_accessible(tab)
    await tab.get_by_role("button", name="Luo tilaisuus").click()
    await expect(tab.get_by_role("status").first).to_have_text("Tallennettu.")
    await expect(tab.get_by_label("Alkaa")).to_have_value(
        starts.replace(tzinfo=None).isoformat(timespec="minutes")
    )
    await assert_accessible(tab)
    await screenshot(tab, "console-event")
    await tab.get_by_role("link", name="Takaisin tiedotustilaisuuksiin").click()
    upcoming = tab.locator("section", has=tab.locator("#ahead-heading"))
    await expect(upcoming.get_by_role("link", name=title)).to_be_visible()
    await assert_accessible(tab)
    await assert_no_sideways_scroll(tab)
    await screenshot(tab, "console-events")

    await follow(tab.get_by_role("link", name="Webhookit"))
    await assert_accessible(tab)
    address = f"https://www.city.example/hooks/{unique_word()}"
    await tab.get_by_label("Osoite (URL)").fill(address)
    await tab.get_by_label("Tapahtumat").fill("release.published event.*")
    await tab.get_by_role("button", name="Luo webhook").click()
    await expect(tab.locator("#secret")).to_contain_text("whsec_")
    await screenshot(tab, "console-webhooks")
    await tab.get_by_role("link", name="Takaisin webhookeihin").click()
    await tab.get_by_role("link", name=address).click()
    webhook_id = tab.url.rstrip("/").rsplit("/", 1)[1]
    await failed_delivery(server, webhook_id)
    await tab.reload()
    await expect(tab.locator("tr.delivery-failed")).to_contain_text("HTTP 500")
    await assert_accessible(tab)
    await assert_no_sideways_scroll(tab)
    await screenshot(tab, "console-webhook")
    await tab.get_by_role("button", name="Lähetä uudelleen").click()
    await expect(tab.get_by_role("status")).to_have_text(
        "Toimitus on jonossa lähetettäväksi uudelleen."
    )
    await expect(tab.locator("tr.delivery-pending")).to_contain_text("Odottaa lähetystä")

    await tab.get_by_role("link", name="Tapahtumaloki").click()
    await tab.get_by_label("Toimenpide").select_option(label="Webhook-toimitus lähetetty uudelleen")
    await tab.get_by_role("button", name="Näytä").click()
    await expect(tab.locator("tbody tr").first).to_contain_text(webhook_id)
    await assert_accessible(tab)
    await assert_no_sideways_scroll(tab)
    await screenshot(tab, "console-audit")


async def test_reloading_a_new_webhooks_page_makes_no_second_webhook(
    tab: Page, server: Server
) -> None:
    await tab.get_by_role("link", name="Webhookit").click()
    address = f"https://www.city.example/hooks/{unique_word()}"
    await tab.get_by_label("Osoite (URL)").fill(address)
    await tab.get_by_label("Tapahtumat").fill("release.published")
    await tab.get_by_role("button", name="Luo webhook").click()
    secret = await tab.locator("#secret").text_content()
    assert secret
    assert secret.startswith("whsec_")
    await tab.reload()  # the browser sends the form again
    await expect(tab.locator("#made-before")).to_have_text(
        "Tämä lomake oli jo luonut tämän webhookin: mitään uutta ei tehty."
    )
    await expect(tab.locator("#secret")).to_have_text(secret)
    await assert_accessible(tab)
    await tab.get_by_role("link", name="Takaisin webhookeihin").click()
    await expect(tab.get_by_role("link", name=address)).to_have_count(1)
    conn = await connect(server.database_url)
    try:
        made = await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", address)
    finally:
        await conn.close()
    assert made == 1
