"""While a backup holds the object-removal lock, neither the collector nor the sweep removes
bytes: a file deleted after the backup's snapshot keeps them until the backup has copied
them; both carry on once it is released. With S3 the backup lists what to copy."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from press.archive import repository
from press.archive.files import storage_for
from press.archive.s3 import S3Storage
from press.archive.sweep import sweep
from press.backup.pg_tools import external_pg_dump
from press.backup.progress import Progress
from press.backup.restore import missing_objects
from press.backup.take import S3Place, take_backup
from press.backup.tarball import S3_LIST, Reader
from press.db import PoolDatabase
from press.settings import Settings
from tests.archive.samples import FILES, pdf_bytes, upload
from tests.archive.test_delete import READABLE, collect, collector, stored
from tests.archive.test_s3 import BUCKET, s3_endpoint  # noqa: F401 - a fixture
from tests.archive.test_s3 import s3_client as s3_client_fixture
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


s3_client = s3_client_fixture  # the fixture, under the name the test asks for


async def test_with_s3_the_backup_lists_the_objects_to_copy_from_the_bucket(
    s3_client: Any, fresh_database_url: str, fresh_conn: asyncpg.Connection, tmp_path: Path
) -> None:
    storage = S3Storage(s3_client, BUCKET, f"b-{tmp_path.name}/", tmp_path / "incoming")
    kept, lost = b"kept in the bucket", b"gone from the bucket"
    for data in (kept, lost):
        sha256 = hashlib.sha256(data).hexdigest()
        await repository.insert_file(
            fresh_conn, sha256=sha256, size=len(data), public_sha256=sha256,
            public_size=len(data), content_type="application/pdf", filename="a.pdf",
            width=None, height=None, created_by=None,
        )  # fmt: skip
    incoming = storage.temporary_path()
    incoming.write_bytes(kept)
    storage.keep(incoming, hashlib.sha256(kept).hexdigest())
    progress = Progress(terminal=False)
    place = S3Place(BUCKET, storage.prefix)

    await take_backup(
        fresh_database_url, tmp_path / "s3.backup", storage, external_pg_dump, progress, place
    )
    reader = Reader(tmp_path / "s3.backup")
    try:
        assert reader.manifest.store == "s3"
        keys = sorted(hashlib.sha256(d).hexdigest() for d in (kept, lost))
        assert sorted(o.sha256 for o in reader.manifest.objects) == keys
        assert all(o.size == -1 for o in reader.manifest.objects)  # listed, not copied
        listed = b"".join(reader.chunks(S3_LIST)).decode().split()
        assert listed == [f"{storage.prefix}objects/{key}" for key in keys]
        reader.verify(lambda _n: None)
        assert missing_objects(reader, storage) == [hashlib.sha256(lost).hexdigest()]
    finally:
        reader.close()
