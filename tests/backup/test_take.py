"""While a backup holds the object-removal lock, neither the collector nor the sweep removes
bytes: a file deleted after the backup's snapshot keeps them until the backup has copied
them; both carry on once it is released."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from press.archive import repository
from press.archive.files import storage_for
from press.archive.sweep import sweep
from press.db import PoolDatabase
from press.settings import Settings
from tests.archive.samples import FILES, pdf_bytes, upload
from tests.archive.test_delete import READABLE, collect, collector, stored
from tests.conftest import StaffFactory
from tests.embargo.waiting import eventually


async def test_no_bytes_are_removed_while_a_backup_holds_them(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    editor = await fresh_staff("editor")
    file = await upload(fresh_client, editor, pdf_bytes(), "a.pdf")
    backup = await asyncpg.connect(fresh_database_url)
    try:
        await repository.hold_object_removal(backup)
        assert (
            await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)
        ).status_code == 204
        await eventually(lambda: fresh_conn.fetchval(READABLE), within=30)
        collecting = collector(fresh_db, fresh_database_url, settings)
        assert await collecting.collect_once() is False  # it looks again at its next round
        sweeping = asyncio.create_task(sweep(fresh_conn, storage_for(settings), dry_run=False))
        await asyncio.sleep(0.5)
        assert not sweeping.done()  # waiting for the backup
        assert stored(settings) == {file["sha256"]}
        await repository.release_object_removal(backup)
        report = await asyncio.wait_for(sweeping, 10)
        await collect(collecting, fresh_conn)
    finally:
        await backup.close()
    assert report.objects == [file["sha256"]]
    assert stored(settings) == set()
