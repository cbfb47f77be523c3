"""The journalist registry in a real browser: search, edit and erasure with the keyboard only,
and axe on every registry page at desktop and phone widths."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import Page, expect

from tests.web.conftest import (
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    screenshot,
    unique_word,
)
from tests.web.console import PASSWORD
from tests.web.test_console_browser import email_of, tab_to

SPREADSHEET = (
    "Nimi;Sähköposti;Aiheet\r\n;nobody@x.example;\r\nBad Topic;bad@x.example;astrology\r\n"
)


async def journalist(api: httpx.AsyncClient, server: Server, name: str, **extra: Any) -> str:
    email = f"{unique_word('j')}@media.example"
    made = await api.post(
        "/api/v1/manage/contacts/",
        json={"name": name, "email": email, **extra},
        headers=server.admin,
    )
    assert made.status_code == 201, made.text
    contact_id: str = made.json()["id"]
    return contact_id


async def sign_in_by_keyboard(page: Page, server: Server, path: str) -> None:
    await page.goto(path)
    await expect(page).to_have_url(re.compile(r"/console/sign-in"))
    await page.keyboard.type(await email_of(server, server.admin.id))
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page).not_to_have_url(re.compile(r"/console/sign-in"))


async def test_search_edit_and_erasure_work_with_the_keyboard_only(
    page: Page, server: Server, api: httpx.AsyncClient
) -> None:
    word = unique_word()
    name = f"Olli Äijälä {word}"
    await journalist(api, server, name)
    await sign_in_by_keyboard(page, server, "/console/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Työpöytä")
    await tab_to(page, "nav a[href='/console/contacts']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Toimittajat")
    await tab_to(page, "#q")
    await page.keyboard.type(f"aijala {word}")  # typed without the dots
    await page.keyboard.press("Enter")
    await tab_to(page, f"ul.records a:text-is('{name}')")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await tab_to(page, "a[href$='/edit']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Muokkaa toimittajaa")
    await tab_to(page, "#notes")
    await page.keyboard.type("Tavoittaa parhaiten aamulla.")
    await tab_to(page, "form.record-form button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.locator("dd.notes")).to_have_text("Tavoittaa parhaiten aamulla.")

    await tab_to(page, "a[href$='/erase']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Poista henkilön tiedot")
    await tab_to(page, "#confirm_name")
    await page.keyboard.type("Olli Aijala")  # not the name: nothing is erased
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("mitään ei poistettu")
    await tab_to(page, "#confirm_name")
    await page.keyboard.type(name)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Henkilön tiedot poistettiin")
    await page.goto(f"/console/contacts?q={word}")
    await expect(page.locator("ul.records")).to_have_count(0)


async def test_every_registry_page_is_accessible_at_desktop_and_phone_widths(
    page: Page, server: Server, api: httpx.AsyncClient
) -> None:
    word = unique_word()
    outlet = await api.post(
        "/api/v1/manage/outlets/", json={"name": f"Hufvudstadsbladet {word}"},
        headers=server.admin,
    )  # fmt: skip
    assert outlet.status_code == 201, outlet.text
    first = await journalist(
        api, server, f"Åsa Ström {word}", phones=["+358 40 123"], beats=["economy"],
        outlets=[{"id": outlet.json()["id"], "role": "redaktör"}], embargo_access=True,
        lawful_basis="consent", consent={"text_version": "v1", "channel": "web-form"},
    )  # fmt: skip
    await journalist(api, server, f"Asa Strom {word}")
    await sign_in_by_keyboard(page, server, f"/console/contacts?q={word}")
    pages = [
        ("registry-list", f"/console/contacts?q={word}"),
        ("registry-contact", f"/console/contacts/{first}"),
        ("registry-edit", f"/console/contacts/{first}/edit"),
        ("registry-merge", f"/console/contacts/{first}/merge?q={word}"),
        ("registry-erase", f"/console/contacts/{first}/erase"),
        ("registry-outlets", f"/console/outlets?q={word}"),
        ("registry-outlet-new", "/console/outlets/new"),
        ("registry-outlet", f"/console/outlets/{outlet.json()['id']}"),
        ("registry-import", "/console/contacts/import"),
    ]
    for name, path in pages:
        await page.goto(path)
        await assert_accessible(page)
        await assert_no_sideways_scroll(page)
        await screenshot(page, name)
    await page.goto(f"/console/contacts/{first}/merge?q={word}")
    await page.get_by_role("button", name="Jatka").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vahvista yhdistäminen")
    await assert_accessible(page)
    await screenshot(page, "registry-merge-confirm")
    await page.goto("/console/contacts/import")
    await page.locator("#file").set_input_files(
        files=[{"name": "c.csv", "mimeType": "text/csv", "buffer": SPREADSHEET.encode()}]
    )
    await page.get_by_role("button", name="Tuo", exact=True).click()
    await expect(page.locator("#rejected")).to_have_text("2")
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await screenshot(page, "registry-import-report")
    await page.goto(f"/console/language/sv?next=/console/contacts/{first}")
    await expect(page.get_by_role("heading", name="Ackreditering")).to_be_visible()
    await assert_accessible(page)
