"""Every public page loads only press's own resources and says so in its policy: no font,
script, style or picture from another host (a reader's visit would tell that host), and a
Content-Security-Policy that would refuse one anyway. Walked from the three front pages by
their own links, with a release that has a photo, and an event."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import asyncpg
import httpx

from tests.archive.access import file_in_release
from tests.archive.samples import image_bytes
from tests.conftest import StaffFactory
from tests.events.helpers import create_event

PUBLIC = "http://press.test"
MOST_PAGES = 120
# What loads something into the page (an <a href> only leads elsewhere, and may).
LOADING = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}
LOADING_LINKS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []  # the addresses the page loads from
        self.links: list[str] = []  # the addresses it leads to
        self.inline: list[str] = []  # style attributes and elements, scripts written inline
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in LOADING.get(tag, ()):
            if name in values:
                self.loads += [part.split()[0] for part in values[name].split(",") if part.strip()]
        if tag == "link" and LOADING_LINKS & set(values.get("rel", "").lower().split()):
            self.loads.append(values.get("href", ""))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if "style" in values:
            self.inline.append(values["style"])
        self._in = tag if tag in ("style", "script") else None

    def handle_data(self, data: str) -> None:
        if self._in == "style" or (self._in == "script" and data.strip()):
            self.inline.append(data)


def own(address: str, base: str) -> bool:
    target = urlsplit(urljoin(base, address))
    return target.scheme in ("http", "https", "data") and (
        target.scheme == "data" or target.netloc == urlsplit(PUBLIC).netloc
    )


async def test_public_pages_load_nothing_from_another_host_and_their_policy_says_so(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await file_in_release(client, editor, approver, "published", image_bytes("JPEG", (900, 600)))
    await create_event(client, editor)
    seen: set[str] = set()
    pages = 0
    waiting = deque(f"{PUBLIC}/{lang}/" for lang in ("fi", "sv", "en"))
    while waiting and pages < MOST_PAGES:
        url = waiting.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = await client.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        pages += 1
        # The reading room asks a journalist to sign in (401): a page all the same.
        assert response.status_code in (200, 401), url
        policy = {
            d.strip().split()[0]: d.strip()
            for d in response.headers["content-security-policy"].split(";")
        }
        assert policy["default-src"] == "default-src 'none'", url
        assert policy["frame-ancestors"] == "frame-ancestors 'none'", url
        assert policy["style-src"] == "style-src 'self'", url
        # No script runs, but the reading room's countdown: a file of press's own.
        room = urlsplit(url).path.split("/")[2:3] == ["desk"] and "/room" in url
        allowed = (None, "script-src 'self'") if room else (None,)
        assert policy.get("script-src") in allowed, url
        for directive in policy.values():
            sources = directive.split()[1:]
            assert "*" not in sources, url
            assert "https:" not in sources, url
        page = Page()
        page.feed(response.text)
        foreign = [a for a in page.loads if not own(a, url)]
        assert not foreign, f"{url} loads {foreign}"
        assert not [s for s in page.inline if "url(" in s or "@import" in s], url
        for link in page.links:
            target = urljoin(url, link).split("#")[0]
            if own(target, url) and urlsplit(target).path.startswith(
                ("/fi/", "/sv/", "/en/", "/releases/")
            ):
                waiting.append(target)
    assert pages >= 15
    walked = {urlsplit(u).path for u in seen}
    assert any(p.startswith("/releases/") for p in walked)  # the release's page
    assert {"/fi/events/", "/sv/media-bank/", "/en/about/"} <= walked
