"""`press files reclean`: files cleaned by older rules get a public copy made by today's,
their published releases are updated, and the old copy goes once no file has it."""

from __future__ import annotations

import asyncpg
import httpx

from press.archive.documents import OOXML_PREFIX
from press.archive.files import storage_for
from press.archive.reclean import reclean
from press.db import PoolDatabase
from press.settings import Settings
from tests.archive.access import file_in_release
from tests.archive.samples import docx_bomb, keep_with_renditions
from tests.archive.test_delete import collect, collector, public_url
from tests.archive.test_documents import DOCX, package
from tests.conftest import StaffFactory


async def test_an_old_public_copy_is_made_again_and_the_old_one_collected(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    original = package(DOCX)
    file = await file_in_release(
        fresh_client, editor, approver, "published", original, "budjetti.docx"
    )
    storage = storage_for(settings)
    # As an upload before comment authors were removed left it: its copy still names them.
    old = keep_with_renditions(storage, original + b"(as cleaned then)")
    await fresh_conn.execute("UPDATE files SET public_sha256 = $2 WHERE id = $1", file["id"], old)
    served = (await fresh_client.get(public_url(file))).content
    assert b"Matti Meikalainen" in served

    planned = await reclean(fresh_conn, storage, dry_run=True)
    assert [(c.file_id, c.old_sha256) for c in planned] == [(file["id"], old)]
    assert (await fresh_client.get(public_url(file))).content == served

    done = await reclean(fresh_conn, storage, dry_run=False)
    assert [c.file_id for c in done] == [file["id"]]
    served = (await fresh_client.get(public_url(file))).content
    assert b"Matti Meikalainen" not in served
    assert b"Tarkista luku" in served  # the comment itself stays
    updated = await fresh_conn.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'release.updated' AND aggregate_id = $1",
        file["release_id"],
    )
    assert updated == 1  # a syncing site fetches the release's files again
    audit = await fresh_conn.fetchrow(
        "SELECT actor_id, actor, entity_id, changes FROM audit_log WHERE action = 'file.reclean'"
    )
    assert (audit["actor_id"], audit["actor"], audit["entity_id"]) == (None, "system", file["id"])
    assert audit["changes"]["public_sha256"]["from"] == old
    assert await reclean(fresh_conn, storage, dry_run=False) == []  # done once

    await collect(collector(fresh_db, fresh_database_url, settings), fresh_conn)
    assert not storage.has(old)
    assert storage.derived(f"{old}-thumbnail.jpg") is None
    assert storage.has(file["sha256"])  # the upload itself stays


async def test_a_bomb_kept_before_the_unpacking_limits_is_left_as_it_is(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    storage = storage_for(settings)
    bomb = docx_bomb(400, part="word/document.xml")
    digest = keep_with_renditions(storage, bomb)
    await conn.execute(
        "INSERT INTO files (sha256, size, public_sha256, public_size, content_type, filename) "
        "VALUES ($1, $2, $1, $2, $3, 'old.docx')",
        digest,
        len(bomb),
        OOXML_PREFIX + "wordprocessingml.document",
    )
    assert await reclean(conn, storage, dry_run=False) == []
