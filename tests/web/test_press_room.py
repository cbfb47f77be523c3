"""The public press room in Chromium: what a journalist does on each page, axe-core at desktop
and phone widths on every page, and nothing wider than a 320 px screen."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar
from playwright.async_api import FloatRect, Page

from tests.web.conftest import (
    Publish,
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    follow,
    screenshot,
    unique_word,
)
from tests.web.content import attach_photo, database_now, photo, press_event

COMPOUND = "Kaupunkiympäristölautakunta"
SUBJECTS = [
    "hyväksyi Länsisataman asemakaavan",
    "esittää pyöräilyn laatukäytävää Mannerheimintielle",
    "käsitteli Malmin lentokenttäalueen kaavaa",
    "päätti katujen talvikunnossapidon linjauksista",
    "puolsi Kalasataman raitiotien yleissuunnitelmaa",
    "hyväksyi puistojen kunnostusohjelman",
    "antoi lausunnon seudullisesta liikennejärjestelmästä",
    "esittää kaupunkipyöräkauden pidentämistä",
    "hyväksyi Kruunuvuorenrannan täydennysrakentamisen",
    "käsitteli ilmastotavoitteiden seurantaraporttia",
    "päätti Hakaniemen torin kehittämisestä",
    "esittää uusia asukaspysäköintialueita",
    "hyväksyi meluntorjunnan toimintasuunnitelman",
]


def texts(title: str, lead: str = "", body: str = "") -> dict[str, str]:
    return {
        "title": title,
        "lead": lead or "Lautakunta käsitteli asiaa kokouksessaan tiistaina.",
        "body": body or "Asiasta päätettiin yksimielisesti.\n\nLisätietoja antaa viestintä.",
    }


async def test_front_page_searches_filters_and_pages_keeping_the_choices(
    page: Page, api: httpx.AsyncClient, server: Server, publish: Publish
) -> None:
    word = unique_word("viite")
    for number, subject in enumerate(SUBJECTS):
        body = f"Asiasta päätettiin yksimielisesti. Viite {word}."
        release = await publish(
            {"fi": texts(f"{COMPOUND} {subject}", body=body)}, topics=["urban-planning"]
        )
        if number % 4 == 0:
            await attach_photo(api, server, release["id"], subject, hue=number * 20)
    council = await publish(
        {"fi": texts("Kaupunginvaltuusto hyväksyi asuntopoliittisen ohjelman", body=word)},
        source="city-council",
        topics=["housing"],
    )
    await page.goto("/fi/")
    # Finnish inflection: the genitive finds the nominative in the titles.
    await page.fill("#q", f"kaupunkiympäristölautakunnan {word}")
    await follow(page.locator("form.filters button[type=submit]"))
    items = page.locator("ol.releases > li")
    assert await items.count() == 12
    assert await page.locator("ol.releases img").count() >= 2  # thumbnails
    await follow(page.locator("a[rel=next]"))
    assert await items.count() == 1
    assert await page.input_value("#q") == f"kaupunkiympäristölautakunnan {word}"
    assert "q=" in page.url
    assert "cursor=" in page.url

    await page.goto("/fi/")
    await page.fill("#q", word)
    await page.select_option("#source", "city-council")
    await follow(page.locator("form.filters button[type=submit]"))
    assert await items.count() == 1
    assert council["translations"]["fi"]["title"] in await items.first.inner_text()
    feeds = page.locator('link[rel=alternate][type="application/rss+xml"]')
    assert "source=city-council" in str(await feeds.first.get_attribute("href"))

    now = (await database_now(server)).astimezone(ZoneInfo("Europe/Helsinki"))
    await page.goto("/fi/")
    await page.select_option("#topic", "urban-planning")
    await page.select_option("#year", str(now.year))
    await page.select_option("#month", str(now.month))
    await follow(page.locator("form.filters button[type=submit]"))
    assert await items.count() == 12
    assert f"year={now.year}" in page.url
    await page.goto(f"/fi/?year={now.year - 1}&topic=urban-planning&q={word}")
    assert await items.count() == 0
    await page.goto(f"/fi/?q={word}")
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await page.goto("/fi/")
    await screenshot(page, "front")


async def box(page: Page, selector: str) -> FloatRect:
    """Where the first element `selector` finds is drawn (it must be)."""
    found = await page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


async def test_a_phone_shows_the_newest_release_on_its_first_screen_and_the_feeds_after_it(
    page: Page, api: httpx.AsyncClient, server: Server, publish: Publish
) -> None:
    word = unique_word("puhelin")
    release = await publish(
        {
            "fi": texts(f"Kaupunginhallitus päätti Pasilan sillasta {word}"),
            "sv": texts(f"Stadsstyrelsen beslutade om Böle bro {word}"),
            "en": texts(f"The City Board decided on the Pasila bridge {word}"),
        }
    )
    await attach_photo(api, server, release["id"], "Pasilan silta", hue=200)
    for lang in ("fi", "sv", "en"):
        await page.set_viewport_size({"width": 390, "height": 844})
        await page.goto(f"/{lang}/?q={word}")
        title = await box(page, "ol.releases > li h3 a")
        photo_box = await box(page, "ol.releases > li img")
        # The filters are there, compact: the release's title on the first screen, its
        # photo a thumbnail beside it rather than a full-width picture above it.
        assert title["y"] + title["height"] <= 844, lang
        assert photo_box["x"] >= title["x"] + title["width"], lang
        assert photo_box["y"] < title["y"] + title["height"], lang
        listed, feeds = await box(page, "ol.releases"), await box(page, "aside.feeds")
        assert feeds["y"] >= listed["y"] + listed["height"], lang  # after the list
        await page.set_viewport_size({"width": 1280, "height": 900})
        filters = await box(page, "form.filters")
        listed, feeds = await box(page, "ol.releases"), await box(page, "aside.feeds")
        # A wide screen: the feeds under the filters, beside the list.
        assert feeds["x"] + feeds["width"] <= listed["x"], lang
        assert feeds["y"] >= filters["y"] + filters["height"], lang
        assert await page.locator("aside.feeds a[type='application/rss+xml']").count() == 1
    await assert_accessible(page)


async def test_release_page_has_the_layout_its_languages_and_its_metadata(
    page: Page, api: httpx.AsyncClient, server: Server, publish: Publish
) -> None:
    title = f"{COMPOUND}n kokous: {COMPOUND}päätös kaupunkiympäristön kehittämisestä"
    release = await publish(
        {
            "fi": texts(title, body="Lautakunta **hyväksyi** esityksen.\n\n- yksi\n- kaksi"),
            "sv": texts("Miljönämnden beslöt om stadsmiljön"),
        },
        decision={"id": "HEL 2026-000123", "url": "https://paatokset.city.example/asia/123"},
    )
    shot = await attach_photo(api, server, release["id"], "Kaupungintalo illalla")
    event = await press_event(
        api, server, "Tiedotustilaisuus kaavasta", timedelta(days=2), releases=[release["id"]]
    )
    response = await page.goto(f"/releases/{release['id']}")
    assert response is not None
    assert response.status == 200
    assert await page.get_attribute("html", "lang") == "fi"
    assert title in await page.locator("h1").inner_text()
    switcher = page.locator("nav.languages li")
    assert await switcher.all_inner_texts() == ["Suomeksi", "På svenska"]
    head = {
        name: await page.get_attribute(f'meta[property="{name}"], meta[name="{name}"]', "content")
        for name in (
            "og:url",
            "og:site_name",
            "og:locale",
            "og:image",
            "og:image:alt",
            "og:title",
            "twitter:card",
            "twitter:image:alt",
        )
    }
    assert head["og:url"] == f"{server.url}/releases/{release['id']}?lang=fi"
    assert head["og:site_name"] == "Kaupungin mediapalvelu"
    assert head["og:locale"] == "fi_FI"
    assert head["og:image:alt"] == head["twitter:image:alt"] == "Kaupungintalo illalla"
    assert str(head["og:image"]).startswith(f"{server.url}/api/v1/files/{shot['id']}/")
    assert head["twitter:card"] == "summary_large_image"
    structured = json.loads(
        await page.locator('script[type="application/ld+json"]').text_content() or "{}"
    )
    assert structured["@type"] == "NewsArticle"
    assert structured["headline"] == title
    assert structured["image"]["url"] == head["og:image"]
    decision = page.locator('a[href="https://paatokset.city.example/asia/123"]')
    assert await decision.inner_text() == "HEL 2026-000123"
    await follow(page.locator("text=Tiedotustilaisuus kaavasta"))
    assert page.url.endswith(f"/fi/events/#event-{event['id']}")

    await page.goto(f"/releases/{release['id']}?lang=en")
    assert await page.get_attribute("html", "lang") == "en"
    notice = await page.locator(".notice").inner_text()
    assert "not published in English" in notice
    assert await page.get_attribute("article", "lang") == "fi"

    await page.goto(f"/releases/{release['id']}")
    await page.emulate_media(media="print")
    assert not await page.locator("nav.sections").is_visible()
    await page.emulate_media(media="screen")
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await screenshot(page, "release")


async def test_events_page_lists_upcoming_and_past_events_each_with_a_calendar_file(
    page: Page, api: httpx.AsyncClient, server: Server
) -> None:
    coming = await press_event(api, server, f"Budjettiinfo {unique_word()}", timedelta(days=3))
    past = await press_event(api, server, f"Vaalikatsaus {unique_word()}", -timedelta(days=4))
    await page.goto("/fi/events/")
    upcoming = page.locator("h2:has-text('Tulevat tilaisuudet') + ul")
    earlier = page.locator("h2:has-text('Menneet tilaisuudet') + ul")
    assert coming["translations"]["fi"]["title"] in await upcoming.inner_text()
    assert past["translations"]["fi"]["title"] in await earlier.inner_text()
    link = page.locator(f"#event-{coming['id']} a:has-text('Lisää kalenteriin')")
    href = str(await link.get_attribute("href"))
    assert href == f"/fi/events/{coming['id']}/calendar.ics"
    calendar_file = await api.get(href)
    assert calendar_file.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(calendar_file.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == coming["translations"]["fi"]["title"]
    assert (
        await api.get(f"/fi/events/{'0' * 8}-0000-4000-8000-{'0' * 12}/calendar.ics")
    ).status_code == 404
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await screenshot(page, "events")


async def test_media_contacts_page_shows_the_registry_and_the_on_call_number(
    page: Page, api: httpx.AsyncClient, server: Server
) -> None:
    name = f"Liisa Kivelä {unique_word('')}"
    created = await api.post(
        "/api/v1/manage/media-contacts/",
        json={
            "name": name,
            "title": {"fi": "Viestintäjohtaja", "sv": "Kommunikationsdirektör"},
            "phone": "+358 9 310 36000",
            "email": "viestinta@city.example",
            "topics": ["economy"],
            "languages": ["fi", "sv", "en"],
        },
        headers=server.admin,
    )
    assert created.status_code == 201, created.text
    await page.goto("/sv/contacts/")
    card = page.locator(f"ul.cards li:has-text('{name}')")
    assert "Kommunikationsdirektör" in await card.inner_text()
    assert await card.locator('a[href="tel:+358931036000"]').count() == 1
    on_call = page.locator(".on-call")
    assert "+358 9 310 11111" in await on_call.inner_text()
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await screenshot(page, "contacts")


async def test_media_bank_shows_credit_licence_alt_text_and_download_sizes(
    page: Page, api: httpx.AsyncClient, server: Server
) -> None:
    alt = f"Senaatintori talvella {unique_word()}"
    shot = await photo(
        api,
        server,
        alt,
        credit="Kuvaaja Anna Virtanen",
        collection="logos",
        public=True,
        title={"fi": "Senaatintori", "en": "Senate Square"},
    )
    await page.goto("/en/media-bank/")
    card = page.locator(f"ul.cards li:has(img[alt='{alt} (en)'])")
    text = await card.inner_text()
    assert "Kuvaaja Anna Virtanen" in text
    assert "CC BY 4.0" in text
    assert f"{alt} (en)" in text
    assert "1200 \N{MULTIPLICATION SIGN} 800 px" in text
    sizes = card.locator("a[download]")
    assert await sizes.count() == 2  # the original and the 320 px rendition
    for href in await sizes.evaluate_all("links => links.map(link => link.href)"):
        assert (await api.get(href)).status_code == 200
    assert shot["id"] in str(await sizes.first.get_attribute("href"))
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await screenshot(page, "media-bank")


async def test_about_page_shows_the_departments_text_and_what_an_admin_saves(
    page: Page, api: httpx.AsyncClient, server: Server
) -> None:
    for lang, heading, text in (
        ("fi", "Viestintäosasto", "Osastoa johtaa viestintäjohtaja Liisa Kivelä."),
        ("sv", "Kommunikationsavdelningen", "leds av kommunikationsdirektör Liisa Kivelä"),
        ("en", "About the communications department", "Director of Communications"),
    ):
        await page.goto(f"/{lang}/about/")
        assert await page.locator("h1").inner_text() == heading
        assert text in await page.locator("main").inner_text()
    await assert_accessible(page)
    await assert_no_sideways_scroll(page)
    await page.goto("/fi/about/")
    await screenshot(page, "about")
    url = "/api/v1/manage/site-texts/about/en"
    refused = await api.put(url, json={"body": "Changed"}, headers=server.editor)
    assert refused.status_code == 403
    saved = await api.put(
        url, json={"body": "We answer the media **every day**.\n\n<script>x</script>"},
        headers=server.admin,
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    # The server's cache hears of the change from the database (NOTIFY) within moments.
    started = time.monotonic()
    while "We answer the media <strong>every day</strong>." not in (
        about := (await api.get("/en/about/")).text
    ):
        assert time.monotonic() - started < 1, "the about page kept the old text"
    assert "<script>" not in about


async def test_unknown_address_is_a_page_a_reader_can_go_on_from(page: Page) -> None:
    response = await page.goto("/sv/finns-inte/")
    assert response is not None
    assert response.status == 404
    assert await page.locator("h1").inner_text() == "Sidan hittades inte"
    await follow(page.locator("text=Se de nyaste pressmeddelandena"))
    assert page.url.endswith("/sv/")
    await page.goto("/sv/finns-inte/")
    await assert_accessible(page)
