"""Removing the bytes of deleted files: an outbox consumer at a position of its own (`storage`).

Deleting a file (press.archive.files.delete_file) removes its row in the request's transaction
and writes a `file.deleted` event naming its objects: the upload and its public copy (`press
files reclean` writes `file.replaced`, naming a public copy it replaced). After commit, the
collector removes each object, with the renditions made of it, unless a file still points at
the same bytes: storage is content-addressed, so identical uploads share one object.

An object is checked and removed under a lock on its key held until the collector's commit;
an upload takes the same lock before it stores its bytes and holds it until its row commits.
So the collector either removes the bytes before the upload stores them again, or sees the
upload's row and keeps them. The position moves only when every object of the batch is gone:
a storage that fails (an S3 outage) is retried, and removing what is gone already succeeds.

While `press db backup` runs nothing is removed: the backup copies the objects its database
snapshot names, some of which may belong to files deleted after the snapshot was taken.
"""

from __future__ import annotations

import asyncio
import logging

from press.archive import repository
from press.archive.storage import Storage
from press.db import Database
from press.embargo.repository import advance_outbox, read_outbox
from press.embargo.webhooks import keep_serving, serve_outbox

log = logging.getLogger("press.archive.collector")
BATCH = 500


class ObjectCollector:
    consumer = "storage"

    def __init__(self, db: Database, database_url: str, storage: Storage) -> None:
        self.db = db
        self.database_url = database_url
        self.storage = storage
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Until cancelled; a lost database connection or a failing storage is retried."""
        await keep_serving(
            lambda: serve_outbox(self.database_url, self._wake, self.collect_once),
            "object collector",
        )

    async def collect_once(self) -> bool:
        """Remove the objects of files deleted (or public copies replaced) since the position;
        True if more may wait."""
        async with self.db.acquire() as conn, conn.transaction():
            if not await repository.may_remove_objects(conn):
                return False  # a backup is copying objects: look again at the next poll
            events = await read_outbox(conn, self.consumer, BATCH)
            if not events:  # nothing new, or another instance is at it
                return False
            for sha256 in await repository.deleted_objects(conn, [e["id"] for e in events]):
                await repository.lock_objects(conn, [sha256])  # in key order, as uploads do
                if not await repository.object_in_use(conn, sha256):
                    await asyncio.to_thread(self.storage.remove, sha256)
                    log.info("removed object %s", sha256)
            await advance_outbox(conn, self.consumer, events[-1])
            return len(events) >= BATCH
