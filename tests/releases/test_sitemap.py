"""The sitemap lists the public release pages in every language, and nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from press.settings import Settings
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved, published, website_client

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


async def test_sitemap_lists_each_public_page_with_its_languages(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    hidden = await approved(client, editor, approver)
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await act(client, editor, hidden["id"], "publish", {"at": later, "embargo": True})
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = root.findall("s:url", NS)
    assert len(urls) == 3  # fi, sv and en of the one public release
    locs = [u.findtext("s:loc", namespaces=NS) for u in urls]
    for lang in ("fi", "sv", "en"):
        assert f"http://press.test/releases/{release['id']}?lang={lang}" in locs
    alternates = {a.get("hreflang") for a in urls[0].findall("x:link", NS)}
    assert alternates == {"fi", "sv", "en"}
    assert hidden["id"] not in response.text
    again = await client.get("/sitemap.xml", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    robots = await client.get("/robots.txt")
    assert "Sitemap: http://press.test/sitemap.xml" in robots.text
    assert "Disallow: /api/" in robots.text


async def test_no_sitemap_when_the_website_shows_the_releases(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    async with website_client(conn, settings) as client:
        assert (await client.get("/sitemap.xml")).status_code == 404
        assert "Sitemap:" not in (await client.get("/robots.txt")).text


async def test_a_large_archive_gets_a_sitemap_index_of_every_page(
    client: httpx.AsyncClient, staff: StaffFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from press.releases import sitemap

    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 2)
    editor, approver = await staff("editor"), await staff("approver")
    releases = [await published(client, editor, approver) for _ in range(2)]
    hidden = await approved(client, editor, approver)
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await act(client, editor, hidden["id"], "publish", {"at": later, "embargo": True})
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    entries = index.findall("s:sitemap", NS)
    # Two releases in three languages: six addresses, two to a page.
    locs = [e.findtext("s:loc", namespaces=NS) for e in entries]
    assert locs == [f"http://press.test/sitemap.xml?page={n}" for n in (1, 2, 3)]
    assert all(e.findtext("s:lastmod", namespaces=NS) for e in entries)
    listed = []
    for n in (1, 2, 3):
        page = await client.get(f"/sitemap.xml?page={n}")
        assert page.status_code == 200
        urls = ET.fromstring(page.content).findall("s:url", NS)
        assert len(urls) == 2
        listed += [u.findtext("s:loc", namespaces=NS) for u in urls]
        assert hidden["id"] not in page.text
        again = await client.get(
            f"/sitemap.xml?page={n}", headers={"If-None-Match": page.headers["etag"]}
        )
        assert again.status_code == 304
    # Every address once, the older release first.
    assert listed == [
        f"http://press.test/releases/{release['id']}?lang={lang}"
        for release in releases
        for lang in ("en", "fi", "sv")
    ]
    for missing in ("0", "4", "-1"):
        gone = await client.get(f"/sitemap.xml?page={missing}")
        assert gone.status_code == 404, missing
        assert gone.headers["cache-control"] == "no-store"
    assert (await client.get("/sitemap.xml?page=first")).status_code in (400, 422)
