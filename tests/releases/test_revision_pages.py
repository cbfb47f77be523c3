"""A release's revisions come in pages, newest first."""

from __future__ import annotations

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.pages import assert_bad_paging_refused, flat, walk
from tests.releases.helpers import published


async def test_revisions_come_in_pages_newest_first_each_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    for n in range(6):  # one transaction: one created_at for all
        await conn.execute(
            "INSERT INTO release_revisions (release_id, version, kind, note, snapshot)"
            " VALUES ($1, $2, 'correction', $3, '{}')",
            release["id"],
            n + 10,
            f"Korjaus {n}",
        )
    expected = [
        row["id"]
        for row in await conn.fetch(
            "SELECT id FROM release_revisions WHERE release_id = $1 ORDER BY id DESC",
            release["id"],
        )
    ]
    url = f"/api/v1/manage/releases/{release['id']}/revisions"
    pages = await walk(client, url, editor, limit=4)
    assert len(pages) == -(-len(expected) // 4) > 1
    assert flat(pages) == expected
    assert flat(pages, "note")[:6] == [f"Korjaus {n}" for n in reversed(range(6))]
    await assert_bad_paging_refused(client, url, editor)
