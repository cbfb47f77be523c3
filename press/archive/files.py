"""Staff work on files: keeping an upload, changing metadata, attaching to releases."""

from __future__ import annotations

import asyncio
import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import asyncpg
import msgspec

from press.archive import repository
from press.archive.documents import is_cleaned_document
from press.archive.names import safe_filename
from press.archive.renditions import strip_metadata
from press.archive.schemas import File, FileUpdate
from press.archive.sniff import Detected, detect
from press.archive.storage import LocalStorage, Storage
from press.archive.upload import Received
from press.conditional import etag_of
from press.errors import InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from press.outbox import add_event, add_release_event
from press.releases import repository as releases
from press.settings import Settings
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

# PDFs and Office documents are rewritten in memory to drop their metadata; larger ones are
# served as uploaded.
MAX_CLEANED_DOCUMENT = 50 * 1024 * 1024
# States in which a release is public or about to be: its images need their alt texts, and
# deleting its files needs an approver.
PUBLIC_STATES = ("scheduled", "published")


@cache
def _storage(data_dir: Path, bucket: str | None, endpoint_url: str | None, prefix: str) -> Storage:
    if bucket is None:
        return LocalStorage(data_dir / "files")
    from press.archive.s3 import S3Storage  # boto3 is needed only when configured

    return S3Storage.connect(bucket, endpoint_url, prefix, data_dir / "files" / "incoming")


def storage_for(settings: Settings) -> Storage:
    """The storage backend the settings choose: S3 when a bucket is set, else local."""
    return _storage(
        settings.data_dir, settings.s3_bucket, settings.s3_endpoint_url, settings.s3_prefix
    )


def file_url(settings: Settings, row: asyncpg.Record | dict[str, Any]) -> str:
    return f"{settings.public_url}/api/v1/files/{row['id']}/{quote(row['filename'])}"


def to_file(row: asyncpg.Record, settings: Settings) -> File:
    data = dict(row)
    data["url"] = file_url(settings, row)
    return msgspec.convert(data, File, strict=False)


def file_etag(item: File) -> str:
    return etag_of(msgspec.json.encode(item))


async def keep_upload(
    conn: asyncpg.Connection,
    storage: Storage,
    received: Received,
    staff: StaffUser,
) -> UUID:
    """Verify an upload's type, store it (and its public copy) and record it; 415 if refused.
    Run in the transaction that records it: the objects stay locked until it commits."""
    try:
        detected: Detected = await asyncio.to_thread(detect, received.path)
        public: PublicCopy = (received.sha256, received.size, None)
        if has_public_copy(detected.content_type, received.size):
            public = await asyncio.to_thread(_public_copy, received, detected.content_type)
        # The collector removes an object no file points at (press.archive.collector): locked,
        # these bytes cannot go between being stored and this file's row being committed.
        await repository.lock_objects(conn, [received.sha256, public[0]])
        await asyncio.to_thread(_keep, storage, received, public)
    finally:
        storage.discard(received.path)
    public_sha, public_size, _ = public
    filename = safe_filename(received.client_filename, detected.content_type)
    file_id = await repository.insert_file(
        conn,
        sha256=received.sha256,
        size=received.size,
        public_sha256=public_sha,
        public_size=public_size,
        content_type=detected.content_type,
        filename=filename,
        width=detected.width,
        height=detected.height,
        created_by=staff.id,
    )
    await record_audit(
        conn,
        staff,
        "file.upload",
        "file",
        file_id,
        {"filename": filename, "sha256": received.sha256, "size": received.size},
    )
    return file_id


# The public copy of an upload: its key and size, and its bytes when they differ from the
# upload's (None: the public downloads the upload itself).
PublicCopy = tuple[str, int, bytes | None]


def has_public_copy(content_type: str, size: int) -> bool:
    """Whether the public downloads a copy without metadata (images, PDFs and Office
    documents up to MAX_CLEANED_DOCUMENT) rather than the upload itself."""
    return content_type.startswith("image/") or (
        is_cleaned_document(content_type) and size <= MAX_CLEANED_DOCUMENT
    )


def public_copy_of(original: bytes, sha256: str, content_type: str) -> PublicCopy:
    """The public copy of `original` (whose key is `sha256`) as the cleaning rules are now."""
    cleaned = strip_metadata(original, content_type)
    if cleaned == original:
        return sha256, len(original), None
    return hashlib.sha256(cleaned).hexdigest(), len(cleaned), cleaned


def _public_copy(received: Received, content_type: str) -> PublicCopy:
    return public_copy_of(received.path.read_bytes(), received.sha256, content_type)


def keep_public_copy(storage: Storage, public: PublicCopy) -> None:
    digest, _, cleaned = public
    if cleaned is not None and not storage.has(digest):
        temporary = storage.temporary_path()
        temporary.write_bytes(cleaned)
        storage.keep(temporary, digest)


def _keep(storage: Storage, received: Received, public: PublicCopy) -> None:
    keep_public_copy(storage, public)
    storage.keep(received.path, received.sha256)


async def load_file(
    conn: asyncpg.Connection, file_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    row = await repository.fetch_file(conn, file_id, lock=lock)
    if row is None:
        raise NotFound("No file has this id.")
    return row


async def update_file(
    conn: asyncpg.Connection,
    settings: Settings,
    file_id: UUID,
    change: FileUpdate,
    staff: StaffUser,
    if_match: str | None,
) -> File:
    row = await load_file(conn, file_id, lock=True)
    current = to_file(row, settings)
    if if_match is None:
        raise PreconditionRequired()
    if if_match.strip() not in ("*", file_etag(current)):
        raise PreconditionFailed()
    changes = {
        f: getattr(change, f)
        for f in change.__struct_fields__
        if getattr(change, f) is not msgspec.UNSET
    }
    values = {f: getattr(current, f) for f in FileUpdate.__struct_fields__} | changes
    if "filename" in changes:
        values["filename"] = safe_filename(change.filename, current.content_type)  # type: ignore[arg-type]
    if values["collection"] is not None and not await repository.collection_exists(
        conn, values["collection"]
    ):
        raise InvalidInput(
            f"collection {values['collection']!r} does not exist",
            errors=[{"key": "collection", "message": "unknown collection"}],
        )
    if values["public"] and values["collection"] is None:
        raise InvalidInput(
            "only a media-bank item (with a collection) is public by itself; "
            "a release's file is public with its release",
            errors=[{"key": "public", "message": "needs a collection"}],
        )
    attached = await repository.releases_of_file(conn, file_id)
    if current.content_type.startswith("image/"):
        for release in attached:
            _check_alt(values["alt"], release)
    await repository.update_file(conn, file_id, values)
    if changes:
        await files_changed(conn, [r["id"] for r in attached])
    await record_audit(conn, staff, "file.update", "file", file_id, msgspec.to_builtins(changes))
    return to_file(await load_file(conn, file_id), settings)


def _check_alt(alt: dict[str, str], release: asyncpg.Record) -> None:
    """Accessibility: an image of a public or scheduled release has alt text in its languages."""
    if release["state"] not in PUBLIC_STATES:
        return
    missing = [lang for lang in release["langs"] if not (alt.get(lang) or "").strip()]
    if missing:
        raise InvalidInput(
            "an image in a published or scheduled release needs alt text in "
            + ", ".join(sorted(missing)),
            errors=[{"key": "alt", "message": "missing alt text"}],
        )


async def files_changed(conn: asyncpg.Connection, release_ids: list[UUID]) -> None:
    """A file of these releases was attached, detached, changed or deleted: what the public
    sees of the published ones changed (their file lists), so they are updated, with a new
    version and `updated_at` that sync by `updated_since` and ETags follow, and announced as
    `release.updated` (webhooks, WebSub, CDN purges)."""
    for row in await releases.touch_public_releases(conn, release_ids):
        key = f"release.updated:{row['id']}:{row['version']}"
        await add_release_event(
            conn, "release.updated", row["id"], row["version"], row["state"], row["publish_at"], key
        )


async def check_release_alt_texts(conn: asyncpg.Connection, release_id: UUID) -> None:
    """Accessibility, before a release goes public: each image has alt text in its languages."""
    missing = await repository.images_missing_alt(conn, release_id)
    if missing:
        listed = "; ".join(f"{r['filename']} ({', '.join(r['langs'])})" for r in missing)
        raise InvalidInput(
            f"images need alt text before the release is published: {listed}",
            errors=[{"key": "files", "message": "missing alt text"}],
        )


async def attach_file(
    conn: asyncpg.Connection,
    file_id: UUID,
    release_id: UUID,
    position: int | None,
    staff: StaffUser,
) -> None:
    row = await load_file(conn, file_id, lock=True)
    release = await repository.release_for_attachment(conn, release_id)
    if release is None:
        raise InvalidInput(
            "no release has this id",
            errors=[{"key": "release_id", "message": "unknown release"}],
        )
    if row["content_type"].startswith("image/"):
        _check_alt(row["alt"], release)
    await repository.attach_file(conn, release_id, file_id, position)
    await files_changed(conn, [release_id])
    await record_audit(conn, staff, "file.attach", "file", file_id, {"release_id": str(release_id)})


async def delete_file(conn: asyncpg.Connection, file_id: UUID, staff: StaffUser) -> None:
    """Delete a file: its row, metadata and attachments now; its bytes (the upload, the public
    copy, renditions) after commit, once no other file has the same bytes
    (press.archive.collector). What the public sees or is about to see (a file of a
    scheduled or published release, a public media-bank item) only an approver deletes."""
    row = await load_file(conn, file_id, lock=True)
    releases = await repository.releases_of_file(conn, file_id)
    if row["public"] or any(r["state"] in PUBLIC_STATES for r in releases):
        require(staff, Role.approver, "delete a file that the public sees or is about to see")
    else:
        require(staff, Role.editor, "delete files")
    deleted = await repository.delete_file(conn, file_id)
    assert deleted is not None  # locked above
    await files_changed(conn, [r["id"] for r in releases])
    objects = sorted({deleted["sha256"], deleted["public_sha256"]})
    await add_event(conn, "file.deleted", file_id, f"file.deleted:{file_id}", {"objects": objects})
    await record_audit(
        conn,
        staff,
        "file.delete",
        "file",
        file_id,
        {
            "filename": row["filename"],
            "sha256": row["sha256"],
            "releases": sorted(str(r["id"]) for r in releases),
        },
    )


async def detach_file(
    conn: asyncpg.Connection, file_id: UUID, release_id: UUID, staff: StaffUser
) -> None:
    await load_file(conn, file_id, lock=True)
    if not await repository.detach_file(conn, release_id, file_id):
        raise NotFound("This file is not attached to that release.")
    await files_changed(conn, [release_id])
    await record_audit(conn, staff, "file.detach", "file", file_id, {"release_id": str(release_id)})
