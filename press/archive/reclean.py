"""Making the public copies of stored files again: `press files reclean`.

The public download of an image or document is a copy without its personal metadata, made
at upload (press.archive.files). When the cleaning learns to remove more (for instance the
authors of comments in Office documents), files uploaded before are still served as they
were cleaned then. This makes each public copy again from the upload and, where the result
differs, stores it and points the file at it, in a transaction of the file's own: the file's
published releases are updated (release.updated, for sites that sync), and the old copy is
left to the object collector, which removes it unless another file still points at it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import asyncpg

from press.archive import repository
from press.archive.files import (
    PublicCopy,
    files_changed,
    has_public_copy,
    keep_public_copy,
    public_copy_of,
)
from press.archive.storage import Storage
from press.errors import OverLimit
from press.outbox import add_event
from press.staff.repository import record_audit

log = logging.getLogger("press")


@dataclass(frozen=True)
class Recleaned:
    file_id: str
    filename: str
    old_sha256: str
    new_sha256: str


async def reclean(conn: asyncpg.Connection, storage: Storage, *, dry_run: bool) -> list[Recleaned]:
    """The files whose public copy changed (or, dry, would)."""
    changed: list[Recleaned] = []
    for row in await repository.files_with_public_copies(conn):
        if not has_public_copy(row["content_type"], row["size"]):
            continue
        try:
            public = await asyncio.to_thread(_clean, storage, row)
        except OverLimit as exc:
            # Kept before the limits on unpacking: its copy stays as it was made then.
            log.warning("file %s is not cleaned again: %s", row["id"], exc.detail)
            continue
        if public[0] == row["public_sha256"]:
            continue
        if not dry_run and not await _replace(conn, storage, row, public):
            continue
        changed.append(Recleaned(str(row["id"]), row["filename"], row["public_sha256"], public[0]))
    return changed


def _clean(storage: Storage, row: asyncpg.Record) -> PublicCopy:
    original = b"".join(storage.read_range(row["sha256"], 0, row["size"] - 1))
    return public_copy_of(original, row["sha256"], row["content_type"])


async def _replace(
    conn: asyncpg.Connection, storage: Storage, row: asyncpg.Record, public: PublicCopy
) -> bool:
    """Point the file at its new public copy; False if it changed or went meanwhile."""
    old = row["public_sha256"]
    async with conn.transaction():
        await repository.lock_objects(conn, [public[0], old])
        current = await repository.fetch_file(conn, row["id"], lock=True)
        if current is None or current["public_sha256"] != old:
            return False
        await asyncio.to_thread(keep_public_copy, storage, public)
        await repository.replace_public_copy(conn, row["id"], public[0], public[1])
        # By the command line, not a staff member: the audit log names the actor "system".
        changes = {"public_sha256": {"from": old, "to": public[0]}}
        await record_audit(conn, None, "file.reclean", "file", row["id"], changes)
        key = f"file.replaced:{row['id']}:{old}"
        await add_event(conn, "file.replaced", row["id"], key, {"objects": [old]})
        await files_changed(
            conn, [r["id"] for r in await repository.releases_of_file(conn, row["id"])]
        )
    return True
