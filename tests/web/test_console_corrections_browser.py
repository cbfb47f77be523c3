"""Corrections, pending changes, the history and the embargo list in a real browser: an
officer corrects a published release, an approver sees the change against the published
text and approves it, the public page shows the correction; axe at 1280 and 390 px on each
new page, and screenshots for people to look at."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, expect

from press.db import connect
from tests.web.conftest import (
    Publish,
    Server,
    assert_accessible,
    follow,
    screenshot,
    unique_word,
)
from tests.web.test_console_browser import email_of, new_tab, sign_in


@pytest.fixture
async def tabs(browser: Browser, server: Server) -> AsyncIterator[list[BrowserContext]]:
    """Browser profiles of their own (cookies apart), closed after the test."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        await context.close()


async def accredited_journalist(server: Server, name: str) -> None:
    conn = await connect(server.database_url)
    try:
        await conn.execute(
            "INSERT INTO contacts (name, email, embargo_access) VALUES ($1, $2, true)",
            name,
            f"{secrets.token_hex(4)}@news.example",
        )
    finally:
        await conn.close()


async def test_an_officer_corrects_and_another_approver_takes_the_correction_live(
    browser: Browser, server: Server, tabs: list[BrowserContext], publish: Publish
) -> None:
    word = unique_word("kirjasto")
    release = await publish(
        {"fi": {"title": f"Korjattava {word}", "body": "Kirjasto avataan maanantaina."}}
    )
    release_id = release["id"]
    officer = await new_tab(browser, server, tabs)
    await sign_in(
        officer, await email_of(server, server.editor.id), f"/console/releases/{release_id}"
    )
    await officer.get_by_role("link", name="Korjaa", exact=True).click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text("Korjaa tiedote")
    await assert_accessible(officer)
    await screenshot(officer, "console-correct")
    suomi = officer.locator("fieldset.language[data-lang=fi]")
    await suomi.get_by_label("Teksti").fill("Kirjasto avataan tiistaina.")
    await officer.get_by_label("Korjausmerkintä (näkyy julkisesti)").fill("Avajaispäivä korjattu.")
    await officer.get_by_role("button", name="Tallenna").click()
    pending = officer.locator("section.pending")
    await expect(pending.locator("ins")).to_contain_text("tiistaina")
    await expect(pending.locator("del")).to_contain_text("maanantaina")
    await expect(pending.get_by_role("button", name="Hyväksy muutos")).to_have_count(0)
    await assert_accessible(officer)
    await screenshot(officer, "console-pending-change")

    approver = await new_tab(browser, server, tabs)
    await sign_in(
        approver, await email_of(server, server.approver.id), f"/console/releases/{release_id}"
    )
    await expect(approver.locator("section.pending del")).to_contain_text("maanantaina")
    await follow(approver.get_by_role("button", name="Hyväksy muutos"))
    await expect(approver.locator("section.pending")).to_have_count(0)
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as public:
        page = await public.get(f"/releases/{release_id}", params={"lang": "fi"})
    assert "Avajaispäivä korjattu." in page.text
    assert "tiistaina" in page.text

    await approver.get_by_role("link", name="Historia").click()
    await expect(approver.get_by_role("heading", level=1)).to_contain_text("Historia")
    diff = approver.locator("dl.diff")
    await expect(diff.locator("del")).to_contain_text("maanantaina")
    await expect(diff.locator("ins")).to_contain_text("tiistaina")
    await assert_accessible(approver)
    await screenshot(approver, "console-history")


async def test_the_embargo_list_is_picked_with_a_search(
    browser: Browser, server: Server, tabs: list[BrowserContext], api: httpx.AsyncClient
) -> None:
    first, second = f"Aino {unique_word('Aamu')}", f"Bertil {unique_word('Blad')}"
    for name in (first, second):
        await accredited_journalist(server, name)
    body = {"source": "city-board", "translations": {"fi": {"title": unique_word("Embargo")}}}
    created = await api.post("/api/v1/manage/releases/", json=body, headers=server.editor)
    release_id = created.json()["id"]
    for action, who in (("submit", server.editor), ("approve", server.approver)):
        moved = await api.post(f"/api/v1/manage/releases/{release_id}/{action}", headers=who)
        assert moved.status_code == 200, moved.text
    page = await new_tab(browser, server, tabs)
    await sign_in(page, await email_of(server, server.editor.id), f"/console/releases/{release_id}")
    await page.get_by_label("Vain alla valitut toimittajat").check()
    search = page.get_by_label("Etsi toimittaja")
    await expect(search).to_be_visible()  # the script shows the search it runs
    await search.fill(first.split()[1])
    await expect(page.get_by_label(first)).to_be_visible()
    await expect(page.get_by_label(second)).to_be_hidden()
    await page.get_by_label(first).check()
    await assert_accessible(page)
    await screenshot(page, "console-embargo-list")
