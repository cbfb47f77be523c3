"""Finding and removing stored bytes that no file points at: `press files sweep`.

Deleting a file removes its bytes at once (press.archive.collector). What the sweep finds is
what that could not cover: an object stored by an upload whose transaction then failed (the
process killed between storing the bytes and committing the row), a rendition written for a
download that raced a deletion, files deleted before the collector existed, and uploads left
in the incoming folder by a process that died mid-body.

An object is removed as the collector removes one: under the lock on its key, after checking
again that no file points at it, so an upload of the same bytes running meanwhile keeps them.
An upload in the incoming folder is only touched once it is older than `stale_after`. While
`press db backup` runs, each removal waits for it to end (press.archive.collector says why).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg

from press.archive import repository
from press.archive.storage import Storage, is_sha256


@dataclass
class SweepReport:
    objects: list[str] = field(default_factory=list)  # removed (or, dry, to remove)
    renditions: list[str] = field(default_factory=list)  # of objects no file points at
    incoming: list[str] = field(default_factory=list)  # stale uploads in progress


async def sweep(
    conn: asyncpg.Connection,
    storage: Storage,
    *,
    dry_run: bool,
    stale_after: timedelta = timedelta(days=1),
) -> SweepReport:
    report = SweepReport()
    objects = await asyncio.to_thread(lambda: set(storage.object_keys()))
    derived: dict[str, list[str]] = {}  # renditions by the key of their object
    for key in await asyncio.to_thread(lambda: list(storage.derived_keys())):
        if is_sha256(key[:64]):
            derived.setdefault(key[:64], []).append(key)
    for sha256 in await repository.objects_not_in_use(conn, sorted(objects | set(derived))):
        async with conn.transaction():
            await repository.wait_to_remove_objects(conn)  # after any backup running ends
            await repository.lock_objects(conn, [sha256])
            if await repository.object_in_use(conn, sha256):
                continue  # an upload of these bytes committed meanwhile
            if sha256 in objects:
                report.objects.append(sha256)
            report.renditions += derived.get(sha256, [])
            if not dry_run:
                await asyncio.to_thread(storage.remove, sha256)
    oldest = time.time() - stale_after.total_seconds()
    for path in await asyncio.to_thread(lambda: list(storage.incoming.iterdir())):
        if path.stat().st_mtime < oldest:
            report.incoming.append(path.name)
            if not dry_run:
                path.unlink(missing_ok=True)
    return report
