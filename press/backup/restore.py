"""`press db restore`: a backup file back into an empty database and store.

Everything in the file is checked against its manifest before anything is written. The
stored files go in first: objects no row points at are inert (and `press files sweep` would
remove them), while rows pointing at objects not yet there would be broken links. The dump
is then restored by pg_restore in one transaction: it is there whole or not at all.

The dump carries the outbox and every consumer's position in it (e-mail, webhooks, CDN
purges, the collector), the deliveries made and the releases already lifted, so press started
on the restored database carries on from the moment of the snapshot: what was sent before
it is not sent again, what was due after it is sent once.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import asyncpg

from press.archive.storage import LocalStorage, Storage
from press.backup.pg_tools import Tool
from press.backup.progress import Progress
from press.backup.take import run_client
from press.backup.tarball import DATABASE, Reader
from press.db import connect, queries_beside

Q = queries_beside(__file__)


class TargetNotEmpty(Exception):
    """The database or the store cannot take the backup: it holds data and --force was not
    given, or it runs an older PostgreSQL than the backup's."""


async def check_target(url: str, storage: Storage, dumped_major: int, *, force: bool) -> None:
    """Refuse a target that is older than the dumped server, or that holds anything unless
    `force`: then empty the database."""
    conn = await connect(url)
    try:
        major = await conn.fetchval(Q["server_major"])
        if major < dumped_major:
            # pg_restore writes what the dumped major understands (SET transaction_timeout…);
            # PostgreSQL supports moving to a newer major only.
            raise TargetNotEmpty(
                f"the backup is of PostgreSQL {dumped_major} and this database runs {major}: "
                f"PostgreSQL restores into the same major or a newer one only"
            )
        relations = await conn.fetchval(Q["user_relations"])
        if relations and not force:
            raise TargetNotEmpty(
                f"the database already holds {relations} tables, sequences or views: restore "
                "fills an empty one. Give --force to drop everything in it and restore."
            )
        if relations:
            async with conn.transaction():
                for schema in [r["nspname"] for r in await conn.fetch(Q["user_schemas"])]:
                    await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
                await conn.execute("CREATE SCHEMA public")
    finally:
        await conn.close()
    if isinstance(storage, LocalStorage) and not force:
        held = next(iter(storage.object_keys()), None)
        if held is not None:
            raise TargetNotEmpty(
                f"the file store {storage.root} already holds objects: restore fills an empty "
                "one. Give --force to restore over it (objects of the same name are the same "
                "bytes; others stay until `press files sweep`)."
            )


def restore_objects(reader: Reader, storage: Storage, progress: Progress) -> int:
    """Put each object of the backup into the store; return how many the backup held."""
    parts = [o for o in reader.manifest.objects if o.size >= 0]
    with progress.stage(f"{len(parts)} stored files", sum(p.size for p in parts)) as advance:
        for part in parts:
            if not storage.has(part.sha256):
                temporary = storage.temporary_path()
                try:
                    reader.extract(part.name, temporary)
                    storage.keep(temporary, part.sha256)
                finally:
                    storage.discard(temporary)
            advance(part.size)
    return len(parts)


def missing_objects(reader: Reader, storage: Storage) -> list[str]:
    """Objects the dump's files point at that the store lacks (an S3 backup lists them only)."""
    listed = [o.sha256 for o in reader.manifest.objects if o.size < 0]
    return [sha256 for sha256 in listed if not storage.has(sha256)]


async def restore_database(url: str, reader: Reader, pg_restore: Tool, progress: Progress) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="press-restore-"))
    try:
        dump = scratch / DATABASE
        with progress.stage("database", reader.manifest.database.size) as advance:
            await asyncio.to_thread(reader.extract, DATABASE, dump)
            advance(reader.manifest.database.size)
        progress.say(f"restoring the database with pg_restore {pg_restore.major}")
        await asyncio.to_thread(
            run_client,
            [
                pg_restore.path,
                "--single-transaction",
                "--exit-on-error",
                # Objects belong to whoever restores: the role that dumped may not exist here.
                "--no-owner",
                "--no-privileges",
                str(dump),
            ],
            url,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def restored_counts(url: str) -> asyncpg.Record:
    conn = await connect(url)
    try:
        row: asyncpg.Record = await conn.fetchrow(Q["restored_counts"])
        return row
    finally:
        await conn.close()
