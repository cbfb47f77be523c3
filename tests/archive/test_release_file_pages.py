"""A public release's files come in pages, in the press kit's order."""

from __future__ import annotations

import asyncpg
import httpx

from tests.archive.access import attach
from tests.archive.samples import pdf_with_xmp_author, upload
from tests.conftest import StaffFactory
from tests.pages import assert_bad_paging_refused, flat, walk
from tests.releases.helpers import act, approved


async def test_release_files_come_in_pages_each_once_in_kit_order(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    for n in range(5):
        document = await upload(client, editor, pdf_with_xmp_author(f"liite {n}"), f"liite-{n}.pdf")
        await attach(client, editor, document["id"], release["id"])
    await act(client, editor, release["id"], "publish", {})
    # Equal positions and one created_at (one transaction): the id decides.
    await conn.execute("UPDATE release_files SET position = 0 WHERE release_id = $1", release["id"])
    expected = [
        str(row["id"])
        for row in await conn.fetch(
            "SELECT f.id FROM release_files rf JOIN files f ON f.id = rf.file_id"
            " WHERE rf.release_id = $1 ORDER BY rf.position, f.created_at, f.id",
            release["id"],
        )
    ]
    url = f"/api/v1/releases/{release['id']}/files"
    pages = await walk(client, url, {}, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert flat(pages) == expected
    first = await client.get(url, params={"limit": 2})
    again = await client.get(
        url, params={"limit": 2}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    await assert_bad_paging_refused(client, url, {})
