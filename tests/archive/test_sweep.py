"""`press files sweep`: bytes no file points at go; bytes of files, and of an upload that
commits meanwhile, stay; uploads in progress are left alone until they are stale."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta

import asyncpg
import httpx

from press.archive import repository
from press.archive.files import storage_for
from press.archive.sweep import sweep
from press.settings import Settings
from tests.archive.samples import keep_with_renditions, pdf_bytes, upload
from tests.conftest import StaffFactory


async def test_sweep_removes_only_what_no_file_points_at(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, settings: Settings
) -> None:
    storage = storage_for(settings)
    file = await upload(client, await staff("editor"), pdf_bytes(), "a.pdf")
    storage.put_derived(f"{file['sha256']}-thumbnail.jpg", b"in use")
    orphan = keep_with_renditions(storage, b"left by a failed upload")
    stale, fresh = storage.incoming / "upload-stale", storage.incoming / "upload-fresh"
    for path in (stale, fresh):
        path.write_bytes(b"part of a body")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))

    dry = await sweep(conn, storage, dry_run=True)
    assert dry.objects == [orphan]
    assert sorted(dry.renditions) == [f"{orphan}-thumbnail.jpg", f"{orphan}-web.jpg"]
    assert dry.incoming == ["upload-stale"]
    assert storage.has(orphan)
    assert stale.exists()

    done = await sweep(conn, storage, dry_run=False, stale_after=timedelta(days=1))
    assert done.objects == [orphan]
    assert not storage.has(orphan)
    assert storage.derived(f"{orphan}-web.jpg") is None
    assert not stale.exists()
    assert fresh.exists()
    assert storage.has(file["sha256"])
    assert storage.derived(f"{file['sha256']}-thumbnail.jpg") == b"in use"
    again = await sweep(conn, storage, dry_run=False)
    assert (again.objects, again.renditions, again.incoming) == ([], [], [])


async def test_sweep_keeps_bytes_an_upload_commits_meanwhile(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, settings: Settings
) -> None:
    storage = storage_for(settings)
    data = b"the same bytes, uploaded again"
    sha256 = keep_with_renditions(storage, data)
    uploading = fresh_conn.transaction()
    await uploading.start()
    await repository.lock_objects(fresh_conn, [sha256])  # as keep_upload does
    sweeper = await asyncpg.connect(fresh_database_url)
    try:
        sweeping = asyncio.create_task(sweep(sweeper, storage, dry_run=False))
        await asyncio.sleep(0.5)
        assert not sweeping.done()  # waiting for the upload's lock
        await repository.insert_file(
            fresh_conn,
            sha256=sha256,
            size=len(data),
            public_sha256=sha256,
            public_size=len(data),
            content_type="application/pdf",
            filename="again.pdf",
            width=None,
            height=None,
            created_by=None,
        )
        await uploading.commit()
        report = await asyncio.wait_for(sweeping, 10)
    finally:
        await sweeper.close()
    assert report.objects == []
    assert storage.has(sha256)
