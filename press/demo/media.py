"""The demo's photos and documents, kept the way the archive keeps an editor's upload."""

from __future__ import annotations

import asyncio
import hashlib
from uuid import UUID

import asyncpg
import msgspec

from press.archive.files import keep_upload, storage_for, update_file
from press.archive.schemas import FileUpdate
from press.archive.storage import Storage
from press.archive.upload import Received
from press.demo import content
from press.settings import Settings
from press.staff.schemas import StaffUser


async def keep_demo_files(
    conn: asyncpg.Connection, settings: Settings, editor: StaffUser
) -> dict[str, UUID]:
    """Store each file of files.json as `editor`'s upload (its type read from its bytes, a
    public copy without metadata) and give it its texts, credit, licence and media-bank place;
    their ids by file name. The bytes stay locked until the caller's transaction commits."""
    storage = storage_for(settings)
    kept = {}
    for spec in content.read_json("files.json"):
        name = spec["file"]
        received = await asyncio.to_thread(_received, storage, name)
        file_id = await keep_upload(conn, storage, received, editor)
        metadata = msgspec.convert({k: v for k, v in spec.items() if k != "file"}, FileUpdate)
        # "*": a file just made has no ETag anyone could have seen.
        await update_file(conn, settings, file_id, metadata, editor, "*")
        kept[name] = file_id
    return kept


def _received(storage: Storage, name: str) -> Received:
    """A demo file as a complete upload in a temporary object, like one from the network."""
    data = content.file_bytes(name)
    path = storage.temporary_path()
    path.write_bytes(data)
    return Received(path, hashlib.sha256(data).hexdigest(), len(data), name)
