"""The public reference lists (sources, topics, media contacts) come in pages like every
other list, each item once, in their order."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.pages import assert_bad_paging_refused, flat, walk


async def test_topics_come_in_pages_each_once_in_their_order(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    # Two topics sharing a position: the slug decides between them.
    for slug in ("zz-second", "aa-first"):
        await conn.execute(
            "INSERT INTO topics (slug, name_fi, name_sv, name_en, position)"
            " VALUES ($1, $1, $1, $1, 1)",
            slug,
        )
    expected = [
        r["slug"] for r in await conn.fetch("SELECT slug FROM topics ORDER BY position, slug")
    ]
    pages = await walk(client, "/api/v1/topics?lang=sv", {}, limit=5)
    assert flat(pages, "slug") == expected
    assert len(pages) == -(-len(expected) // 5) > 1
    assert flat(pages, "name")[expected.index("aa-first")] == "aa-first"


async def test_sources_and_media_contacts_come_in_pages(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    for name in ("Sanna", "Aino", "Aino"):
        await conn.execute("INSERT INTO media_contacts (name, position) VALUES ($1, 0)", name)
    sources = [
        r["slug"] for r in await conn.fetch("SELECT slug FROM sources ORDER BY position, slug")
    ]
    assert flat(await walk(client, "/api/v1/sources", {}, limit=2), "slug") == sources
    contacts = [
        str(r["id"])
        for r in await conn.fetch("SELECT id FROM media_contacts ORDER BY position, name, id")
    ]
    pages = await walk(client, "/api/v1/media-contacts", {}, limit=2)
    assert flat(pages) == contacts
    assert len(pages) > 1


@pytest.mark.parametrize("path", ["/api/v1/sources", "/api/v1/topics", "/api/v1/media-contacts"])
async def test_reference_lists_refuse_bad_paging_and_keep_their_etags(
    client: httpx.AsyncClient, path: str
) -> None:
    await assert_bad_paging_refused(client, path, {})
    first = await client.get(path, params={"limit": 1})
    assert first.status_code == 200
    again = await client.get(
        path, params={"limit": 1}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
