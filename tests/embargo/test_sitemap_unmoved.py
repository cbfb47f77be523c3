"""The sitemap is the public's: scheduling an embargoed release and editing it change neither
a sitemap, nor the sitemap index, nor their lastmod, ETag or Last-Modified."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved, edit, published

# What a response says of the sitemap. (Cache-Control is left out: its max-age counts down to
# the next lift, as every public response's does, by design.)
SAID = ("etag", "last-modified", "content-type", "content-length")


@asynccontextmanager
async def new_app(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app made now: its public cache holds nothing built before."""
    app = create_app(settings, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


Seen = dict[str, tuple[int, dict[str, str | None], bytes]]


async def sitemaps(conn: asyncpg.Connection, settings: Settings) -> Seen:
    """Every sitemap address's status, headers and bytes, read by a new app."""
    seen: Seen = {}
    async with new_app(conn, settings) as client:
        for path in ["/sitemap.xml", *(f"/sitemap.xml?page={n}" for n in range(1, 5))]:
            response = await client.get(path)
            headers = {name: response.headers.get(name) for name in SAID}
            seen[path] = (response.status_code, headers, response.content)
            if etag := response.headers.get("etag"):
                again = await client.get(path, headers={"If-None-Match": etag})
                assert again.status_code == 304
    return seen


@pytest.mark.parametrize("per_sitemap", [10_000, 2])
async def test_sitemaps_are_byte_identical_after_an_embargoed_release_is_scheduled_and_edited(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    settings: Settings,
    staff: StaffFactory,
    monkeypatch: pytest.MonkeyPatch,
    per_sitemap: int,
) -> None:
    from press.releases import sitemap

    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", per_sitemap)
    editor, approver = await staff("editor"), await staff("approver")
    for _ in range(2):
        await published(client, editor, approver)
    hidden = await approved(client, editor, approver)
    before = await sitemaps(conn, settings)
    status, headers, _ = before["/sitemap.xml"]
    assert status == 200
    assert headers["etag"]

    lift = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    await act(client, editor, hidden["id"], "publish", {"at": lift, "embargo": True})
    assert await sitemaps(conn, settings) == before
    change = {"translations": {"fi": {"title": "Uusi otsikko", "lead": "Uusi.", "body": "Uusi."}}}
    await edit(client, editor, hidden["id"], change, status=202)
    await act(client, approver, hidden["id"], "approve-change")
    assert await sitemaps(conn, settings) == before
    # Moved later, and a topic added: what the public sees stays as it was.
    later = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    await act(client, editor, hidden["id"], "publish", {"at": later, "embargo": True})
    await edit(client, editor, hidden["id"], {"topics": ["economy", "culture"]}, status=202)
    await act(client, approver, hidden["id"], "approve-change")
    assert await sitemaps(conn, settings) == before
