"""Deleting a file: its metadata goes at once, its bytes (upload, public copy, renditions) once
the collector has run, and only when no other file holds the same bytes."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from press.app import create_app
from press.archive import repository
from press.archive.collector import ObjectCollector
from press.archive.files import storage_for
from press.db import PoolDatabase
from press.settings import Settings
from tests.archive.access import file_in_release
from tests.archive.samples import FILES, jpeg_with_gps, keep_with_renditions, pdf_bytes, upload
from tests.conftest import StaffFactory
from tests.embargo.waiting import eventually


def stored(settings: Settings) -> set[str]:
    """The names of everything in storage: objects by key, renditions by name."""
    root = settings.data_dir / "files"
    return {p.name for d in ("objects", "renditions") for p in (root / d).rglob("*") if p.is_file()}


def collector(db: PoolDatabase, url: str, settings: Settings) -> ObjectCollector:
    return ObjectCollector(db, url, storage_for(settings))


# The deletions the collector has not read yet. An outbox event is read once every older
# transaction of the whole cluster has ended, and a test running beside this one may hold one.
UNREAD = """
SELECT count(*) FROM outbox o, outbox_consumers c
WHERE c.name = 'storage' AND o.event_type IN ('file.deleted', 'file.replaced')
  AND (o.txid, o.seq) > (c.last_txid, c.last_seq)
"""
READABLE = """
SELECT bool_and(txid < pg_snapshot_xmin(pg_current_snapshot())) FROM outbox
WHERE event_type = 'file.deleted'
"""


async def collect(collector: ObjectCollector, conn: asyncpg.Connection) -> None:
    """Run the collector until it has read every deletion."""

    async def done() -> bool:
        await collector.collect_once()
        return await conn.fetchval(UNREAD) == 0

    await eventually(done, within=30)


def public_url(file: dict[str, str]) -> str:
    return f"/api/v1/files/{file['id']}/{file['filename']}"


async def test_a_deleted_image_loses_its_bytes_public_copy_and_renditions(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    file = await file_in_release(fresh_client, editor, approver, "published", jpeg_with_gps())
    assert (
        file["sha256"]
        != hashlib.sha256((await fresh_client.get(public_url(file))).content).hexdigest()
    )  # the public copy has no location: a second object
    thumbnail = await fresh_client.get(public_url(file), params={"rendition": "thumbnail"})
    assert thumbnail.status_code == 200
    before = stored(settings)
    assert len(before) == 3  # the upload, its public copy, the thumbnail

    response = await fresh_client.delete(f"{FILES}{file['id']}", headers=approver)
    assert response.status_code == 204, response.text
    assert (await fresh_client.get(f"{FILES}{file['id']}", headers=approver)).status_code == 404
    gone = await fresh_client.get(public_url(file))
    assert gone.status_code == 404
    assert gone.headers["cache-control"] == "no-store"
    listed = await fresh_client.get(f"/api/v1/releases/{file['release_id']}/files")
    assert file["id"] not in listed.text

    assert stored(settings) == before  # the bytes go after commit, with the collector
    await collect(collector(fresh_db, fresh_database_url, settings), fresh_conn)
    assert stored(settings) == set()
    audit = await fresh_conn.fetchrow(
        "SELECT actor_id::text, changes FROM audit_log WHERE action = 'file.delete'"
    )
    assert audit["actor_id"] == approver.id
    assert audit["changes"]["releases"] == [file["release_id"]]
    # Nothing to announce: the deletion is no webhook or CDN event of its own.
    assert not await fresh_conn.fetchval(
        "SELECT webhook_event_is_public(event_type) FROM outbox WHERE event_type = 'file.deleted'"
    )


@pytest.mark.parametrize("situation", ["published", "scheduled"])
async def test_only_an_approver_deletes_what_the_public_sees_or_is_about_to(
    fresh_client: httpx.AsyncClient, fresh_staff: StaffFactory, situation: str
) -> None:
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    file = await file_in_release(fresh_client, editor, approver, situation, pdf_bytes(), "a.pdf")
    refused = await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)
    assert refused.status_code == 403
    assert "approver" in refused.json()["detail"]
    assert (await fresh_client.get(f"{FILES}{file['id']}", headers=editor)).status_code == 200


@pytest.mark.parametrize("situation", ["internal", "draft", "withdrawn"])
async def test_an_editor_deletes_what_the_public_does_not_see(
    fresh_client: httpx.AsyncClient, fresh_staff: StaffFactory, situation: str
) -> None:
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    file = await file_in_release(fresh_client, editor, approver, situation, pdf_bytes(), "a.pdf")
    assert (await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)).status_code == 204
    assert (await fresh_client.get(f"{FILES}{file['id']}", headers=editor)).status_code == 404


async def test_deleting_needs_a_known_file_and_an_editor(
    fresh_client: httpx.AsyncClient, fresh_staff: StaffFactory
) -> None:
    editor, viewer = await fresh_staff("editor"), await fresh_staff("viewer")
    file = await upload(fresh_client, editor, pdf_bytes(), "a.pdf")
    refused = await fresh_client.delete(f"{FILES}{file['id']}", headers=viewer)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await fresh_client.delete(f"{FILES}{file['id']}")).status_code == 401
    nobody = "00000000-0000-4000-8000-000000000000"
    unknown = await fresh_client.delete(f"{FILES}{nobody}", headers=editor)
    assert unknown.status_code == 404
    assert (await fresh_client.delete(f"{FILES}not-an-id", headers=editor)).status_code in (
        400,
        404,
    )
    assert (await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)).status_code == 204
    again = await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)
    assert again.status_code == 404


async def test_bytes_shared_by_two_files_stay_until_both_are_deleted(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    editor = await fresh_staff("editor")
    first = await upload(fresh_client, editor, pdf_bytes(), "a.pdf")
    second = await upload(fresh_client, editor, pdf_bytes(), "b.pdf")
    assert first["sha256"] == second["sha256"]
    collecting = collector(fresh_db, fresh_database_url, settings)
    assert (await fresh_client.delete(f"{FILES}{first['id']}", headers=editor)).status_code == 204
    await collect(collecting, fresh_conn)
    assert first["sha256"] in stored(settings)
    assert (await fresh_client.delete(f"{FILES}{second['id']}", headers=editor)).status_code == 204
    await collect(collecting, fresh_conn)
    assert stored(settings) == set()


@pytest.mark.parametrize("upload_commits", [True, False])
async def test_bytes_stored_again_meanwhile_are_kept_if_their_file_commits(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
    upload_commits: bool,
) -> None:
    """An upload of the same bytes locks them before storing them and until its row commits
    (press.archive.files.keep_upload): the collector waits, then sees whether a file holds
    them."""
    editor = await fresh_staff("editor")
    file = await upload(fresh_client, editor, pdf_bytes(), "a.pdf")
    assert (await fresh_client.delete(f"{FILES}{file['id']}", headers=editor)).status_code == 204
    await eventually(lambda: fresh_conn.fetchval(READABLE), within=30)
    uploading = fresh_conn.transaction()
    await uploading.start()
    await repository.lock_objects(fresh_conn, [file["sha256"]])
    collecting = asyncio.create_task(
        collector(fresh_db, fresh_database_url, settings).collect_once()
    )
    await asyncio.sleep(0.5)
    assert not collecting.done()  # waiting for the upload's lock
    await repository.insert_file(
        fresh_conn,
        sha256=file["sha256"],
        size=file["size"],
        public_sha256=file["sha256"],
        public_size=file["size"],
        content_type=file["content_type"],
        filename="again.pdf",
        width=None,
        height=None,
        created_by=None,
    )
    await (uploading.commit() if upload_commits else uploading.rollback())
    await asyncio.wait_for(collecting, 10)
    assert (file["sha256"] in stored(settings)) is upload_commits


async def test_the_app_with_workers_removes_the_bytes_by_itself(
    fresh_database_url: str, fresh_staff: StaffFactory, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=fresh_database_url,
        data_dir=tmp_path,
        public_url="http://press.test",
        secret_key="collector",
        run_workers=True,
    )
    editor = await fresh_staff("editor")
    async with AsyncTestClient(create_app(settings)) as client:
        file = await upload(client, editor, pdf_bytes(), "a.pdf")
        assert stored(settings) == {file["sha256"]}
        assert (await client.delete(f"{FILES}{file['id']}", headers=editor)).status_code == 204
        await eventually(lambda: stored(settings) == set(), within=30)


def test_local_storage_removes_an_object_with_its_renditions_only(tmp_path: Path) -> None:
    storage = storage_for(
        Settings(database_url=None, data_dir=tmp_path, public_url="http://press.test")
    )
    kept, other = keep_with_renditions(storage, b"a"), keep_with_renditions(storage, b"b")
    storage.remove(kept)
    storage.remove(kept)  # what is gone already: no error
    assert not storage.has(kept)
    assert storage.derived(f"{kept}-thumbnail.jpg") is None
    assert storage.has(other)
    assert storage.derived(f"{other}-thumbnail.jpg") == b"b"
