"""What every page shares: the layout, languages, catalogs, dates, static files, 404s."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from babel.messages.pofile import read_po
from playwright.async_api import Page

from press.web import i18n
from tests.conftest import StaffFactory
from tests.releases.helpers import published
from tests.web.conftest import Server, assert_accessible, assert_no_sideways_scroll

WEB = Path(__file__).resolve().parents[2] / "press" / "web"


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [("sv-FI,sv;q=0.9,en;q=0.5", "sv"), ("en-GB", "en"), ("de, fi;q=0.2", "fi"), (None, "fi")],
)
async def test_front_door_sends_the_reader_to_their_language(
    client: httpx.AsyncClient, accept_language: str | None, lang: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = await client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["location"] == f"/{lang}/"
    assert "Accept-Language" in response.headers["vary"]


@pytest.mark.parametrize(
    ("path", "accept_language", "lang", "heading"),
    [
        ("/no/such/page", "sv", "sv", "Sidan hittades inte"),
        ("/en/no-such-section/", "fi", "en", "Page not found"),
        ("/fi/ei-ole", "en", "fi", "Sivua ei löydy"),
    ],
)
async def test_unknown_address_is_a_page_in_the_readers_language(
    client: httpx.AsyncClient, path: str, accept_language: str, lang: str, heading: str
) -> None:
    response = await client.get(path, headers={"Accept-Language": accept_language})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{lang}">' in response.text
    assert heading in response.text
    assert response.headers["cache-control"] == "no-store"
    assert 'name="viewport"' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/releases/x/y/z"])
async def test_unknown_api_address_stays_a_problem_document(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_stylesheets_are_served_by_press_itself(client: httpx.AsyncClient) -> None:
    page = await client.get("/fi/")
    assert page.status_code == 200
    for sheet in ("/static/press.css", "/static/print.css"):
        assert f'href="{sheet}"' in page.text
        response = await client.get(sheet)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")
    policy = page.headers["content-security-policy"]
    assert "style-src 'self'" in policy
    assert "script-src" not in policy
    assert "https://" not in page.text.replace("https://schema.org", "")


def test_every_message_of_the_pages_is_translated_in_finnish_and_swedish(
    tmp_path: Path,
) -> None:
    template = tmp_path / "messages.pot"
    config = str(WEB / "locales" / "babel.cfg")
    extract = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", config]
    extract += ["-k", "gettext_noop", "-o", str(template), str(WEB)]
    subprocess.run(extract, check=True, capture_output=True)
    with template.open("rb") as pot:
        wanted = {m.id for m in read_po(pot) if m.id}
    assert len(wanted) > 40
    for lang in ("fi", "sv", "en"):
        catalog = []
        for domain in (i18n.DOMAIN, *i18n.MORE_DOMAINS):
            with (WEB / "locales" / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as po:
                catalog += list(read_po(po))
        known = {m.id for m in catalog if m.id}
        assert wanted <= known, f"{lang}: not in the catalog: {sorted(wanted - known)}"
        if lang != "en":
            untranslated = sorted(m.id for m in catalog if m.id in wanted and not m.string)
            assert not untranslated, f"{lang}: untranslated: {untranslated}"


def test_catalogs_compile_from_the_package_and_speak_each_language() -> None:
    catalogs = i18n.load_catalogs()
    assert catalogs["fi"].gettext("Skip to content") == "Siirry suoraan sisältöön"
    assert catalogs["sv"].gettext("Skip to content") == "Hoppa till innehållet"
    assert catalogs["en"].gettext("Skip to content") == "Skip to content"


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("fi", "6. heinäkuuta 2026 klo 15.30"),
        ("sv", "6 juli 2026 kl. 15.30"),
        ("en", "6 July 2026 at 15:30"),
    ],
)
def test_a_moment_is_written_in_the_readers_language_and_the_citys_time(
    lang: str, written: str
) -> None:
    zone = ZoneInfo("Europe/Helsinki")
    summer = datetime(2026, 7, 6, 12, 30, tzinfo=UTC)  # 15.30 in Helsinki (UTC+3)
    assert i18n.local_datetime(summer, lang, zone) == written
    winter = datetime(2026, 1, 6, 12, 30, tzinfo=UTC)  # 14.30 (UTC+2)
    assert "14" in i18n.local_datetime(winter, lang, zone).rsplit(" ", 1)[1]


def test_months_are_named_as_a_filter_lists_them() -> None:
    assert i18n.month_names("fi")[3] == "Maaliskuu"
    assert i18n.month_names("sv")[3] == "Mars"
    assert i18n.month_names("en")[3] == "March"


async def test_layout_is_accessible_and_fits_a_phone_in_every_language(
    page: Page, server: Server
) -> None:
    for lang in ("fi", "sv", "en"):
        response = await page.goto(f"/{lang}/")
        assert response is not None
        assert response.status == 200
        assert await page.get_attribute("html", "lang") == lang
        await page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert await skip.evaluate("element => element === document.activeElement")
        await assert_accessible(page)
        await assert_no_sideways_scroll(page)


async def test_a_page_chosen_by_accept_language_says_so_to_caches(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    languages = set()
    for accept_language in ("sv", "en", "fi"):
        response = await client.get(
            f"/releases/{release['id']}", headers={"Accept-Language": accept_language}
        )
        assert "Accept-Language" in response.headers["vary"]
        languages.add(response.headers["content-language"])
    assert languages == {"fi", "sv", "en"}
    for path in ("/fi/", "/sv/events/", "/en/about/"):
        assert "Accept-Language" in (await client.get(path)).headers["vary"]


def test_the_wheel_carries_every_template_stylesheet_text_and_catalog() -> None:
    # The patterns setuptools packs as press.web's data; an installed wheel was checked to
    # render pages and compile its catalogs with these (docs/decisions.md).
    project = tomllib.loads((WEB.parents[1] / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["press.web"]
    assert "press.web" in project["tool"]["setuptools"]["packages"]
    data = [
        path.relative_to(WEB).as_posix()
        for path in WEB.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc", ".sql")
    ]
    assert any(name.endswith(".po") for name in data)
    left_out = [name for name in data if not any(fnmatch(name, p) for p in patterns)]
    assert not left_out, f"not in the wheel: {left_out}"
