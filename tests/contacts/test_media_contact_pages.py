"""The staff list of the press office's media contacts comes in pages, in page order."""

from __future__ import annotations

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.pages import assert_bad_paging_refused, flat, walk

URL = "/api/v1/manage/media-contacts"


async def test_media_contacts_come_in_pages_in_page_order_each_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    viewer = await staff("viewer")
    # Positions and names repeat: the id decides between equals.
    for position, name in [(2, "Aino"), (1, "Sanna"), (1, "Aino"), (2, "Aino"), (1, "Aino")]:
        await conn.execute(
            "INSERT INTO media_contacts (name, position) VALUES ($1, $2)", name, position
        )
    expected = [
        str(row["id"])
        for row in await conn.fetch("SELECT id FROM media_contacts ORDER BY position, name, id")
    ]
    pages = await walk(client, URL, viewer, limit=2)
    assert flat(pages) == expected
    assert len(pages) == -(-len(expected) // 2) >= 3
    await assert_bad_paging_refused(client, URL, viewer)
