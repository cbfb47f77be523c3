"""A published release as a page a person can read: what feed items and e-mails link to."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import asyncpg
import httpx

from press.settings import Settings
from tests.archive.access import attach, set_metadata
from tests.archive.samples import image_bytes, pdf_bytes, upload
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved, published, release_body, website_client


class Outline(HTMLParser):
    """What a browser would make of the page: its language, title, links and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.links: list[dict[str, str | None]] = []
        self.anchors: list[dict[str, str | None]] = []
        self.scripts = 0  # scripts a browser would run (not data blocks such as JSON-LD)
        self.data_blocks: list[str] = []
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.attributes |= set(values)
        if tag == "html":
            self.lang = values.get("lang") or ""
        elif tag == "link":
            self.links.append(values)
        elif tag == "a":
            self.anchors.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self.data_blocks.append("")
        elif tag == "script":
            self.scripts += 1
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script" and self.data_blocks:
            self.data_blocks[-1] += data
        elif self._in and self._in[-1] == "title":
            self.title += data
        elif "style" not in self._in and "script" not in self._in:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def outline(response: httpx.Response) -> Outline:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    parsed = Outline()
    parsed.feed(response.text)
    return parsed


async def test_release_page_reads_in_its_language_with_its_other_languages_linked(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    page_url = f"/releases/{release['id']}"
    response = await client.get(page_url)
    assert response.status_code == 200
    page = outline(response)
    assert page.lang == "fi"
    assert page.title.startswith("Kaupunginhallitus päätti talousarviosta")
    assert "Talousarvio hyväksyttiin." in page.visible
    assert "<strong>hyväksyi</strong>" in response.text
    alternates = {link["hreflang"]: link["href"] for link in page.links if link.get("hreflang")}
    assert set(alternates) == {"fi", "sv", "en"}
    swedish = await client.get(str(alternates["sv"]).removeprefix("http://press.test"))
    assert outline(swedish).lang == "sv"
    assert "Stadsstyrelsen beslöt om budgeten" in outline(swedish).visible
    assert swedish.headers["content-language"] == "sv"
    assert (await client.get(page_url, headers={"Accept-Language": "en"})).headers[
        "content-language"
    ] == "en"
    # The API, the feeds and the e-mails point readers here, and so does the page itself.
    api = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert api["url"] == f"http://press.test{page_url}?lang=fi"
    [canonical] = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == api["url"]
    revalidated = await client.get(page_url, headers={"If-None-Match": response.headers["etag"]})
    assert revalidated.status_code == 304


async def test_release_page_escapes_texts_and_runs_no_script(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    hostile = '<script>alert(1)</script> & "quotes"'
    translations = {
        "fi": {
            "title": hostile,
            "lead": hostile,
            "body": f"{hostile}\n\n<img src=x onerror=alert(1)>",
        }
    }
    release = await published(client, editor, approver, translations=translations)
    response = await client.get(f"/releases/{release['id']}")
    page = outline(response)
    assert page.scripts == 0
    assert not [name for name in page.attributes if name.startswith("on")]
    assert hostile in page.title
    # The structured data carries the title as JSON that cannot close its element.
    [structured] = page.data_blocks
    assert json.loads(structured)["headline"] == hostile
    assert "<" not in structured
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_embargoed_release_has_no_page_until_its_lift(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    at = datetime.now(UTC) + timedelta(seconds=1.5)
    await act(client, editor, release["id"], "publish", {"at": at.isoformat(), "embargo": True})
    slug = release_body()["translations"]["fi"]["title"]
    before = await client.get(f"/releases/{release['id']}")
    assert before.status_code == 404
    assert outline(before).title
    assert slug not in before.text
    assert before.headers["cache-control"] == "no-store"
    await asyncio.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 0.2)
    after = await client.get(f"/releases/{release['id']}")
    assert after.status_code == 200
    assert slug in outline(after).title


async def test_withdrawn_release_page_is_gone_and_unknown_pages_are_not_found(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await act(client, editor, release["id"], "withdraw", {"reason": "Julkaistu vahingossa"})
    gone = await client.get(f"/releases/{release['id']}")
    assert gone.status_code == 410
    assert "talousarvio" not in gone.text.lower()
    assert "vahingossa" not in gone.text  # the staff's reason is theirs
    for path in ("/releases/00000000-0000-4000-8000-000000000000", "/releases/Not%20a%20slug"):
        missing = await client.get(path)
        assert missing.status_code == 404
        assert outline(missing).lang == "fi"
    swedish = await client.get(
        "/releases/00000000-0000-4000-8000-000000000000", headers={"Accept-Language": "sv"}
    )
    assert outline(swedish).lang == "sv"
    assert (
        await client.get(f"/releases/{release['id']}", params={"lang": "de"})
    ).status_code == 422


async def test_release_page_shows_its_photo_and_offers_its_documents(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    photo = await upload(client, editor, image_bytes("JPEG", (800, 600)), "tori.jpg")
    await set_metadata(
        client,
        editor,
        photo["id"],
        {
            "alt": {"fi": "Kauppatori aamulla", "sv": "Salutorget", "en": "Market Square"},
            "caption": {"fi": "Uusi tori"},
            "credit": "Kaupunki",
        },
    )
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await set_metadata(client, editor, document["id"], {"title": {"fi": "Esityslista"}})
    for file in (photo, document):
        await attach(client, editor, file["id"], release["id"])
    await act(client, editor, release["id"], "publish", {})
    response = await client.get(f"/releases/{release['id']}")
    page = outline(response)
    assert "Uusi tori" in page.visible
    assert "Kaupunki" in page.visible
    assert '<img src="' in response.text
    assert 'alt="Kauppatori aamulla"' in response.text
    assert "Esityslista" in page.visible
    hrefs = [str(a.get("href")).removeprefix("http://press.test") for a in page.anchors]
    downloads = [h for h in hrefs if "/api/v1/files/" in h or h.endswith("press-kit.zip")]
    assert len(downloads) >= 3  # the photo, the document and the press kit
    for href in downloads:
        assert (await client.get(href)).status_code == 200, href
    assert 'property="og:image"' in response.text


async def test_release_page_names_the_website_as_canonical_when_it_shows_releases(
    conn: asyncpg.Connection, settings: Settings, staff: StaffFactory
) -> None:
    async with website_client(conn, settings) as client:
        editor, approver = await staff("editor"), await staff("approver")
        release = await published(client, editor, approver)
        page = outline(await client.get(f"/releases/{release['id']}"))
        [canonical] = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        slug = release["translations"]["fi"]["slug"]
        assert canonical == f"https://www.city.example/fi/news/{slug}"


def test_press_serve_points_readers_at_the_release_page_by_default() -> None:
    settings = Settings.from_env({"PRESS_PUBLIC_URL": "https://press.city.example"})
    assert (
        settings.release_url("abc", "sv", "x") == "https://press.city.example/releases/abc?lang=sv"
    )
