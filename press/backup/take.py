"""`press db backup`: the database and the stored files as of one moment, while press runs.

The database is dumped from a snapshot this module exports: pg_dump reads exactly what the
transaction that exported it sees, and that same transaction lists the objects its files
point at. Objects are content-addressed and never change, so copying them after the dump is
enough for those written before the snapshot; those written after it are not named by it
and are not needed. The one danger is a removal: a file deleted after the snapshot has its
bytes removed by the collector (or `press files sweep`) while the dump still names it. So the
backup holds the object-removal lock (shared) from before the snapshot until the last object
is copied; removers take it exclusively, the collector simply waits for its next round.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from press import __version__
from press.archive import repository as files_repository
from press.archive.storage import LocalStorage, Storage
from press.backup.pg_tools import Tool, ToolError
from press.backup.progress import Progress
from press.backup.tarball import (
    DATABASE,
    FORMAT,
    FORMAT_VERSION,
    S3_LIST,
    Manifest,
    Part,
    Writer,
    object_member,
)
from press.db import connect, queries_beside

Q = queries_beside(__file__)


@dataclass(frozen=True)
class S3Place:
    bucket: str
    prefix: str


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The URL for a libpq client without its password, and the environment carrying it:
    a password on a command line is visible to every user of the machine (`ps`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, {}
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    plain = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return plain, {"PGPASSWORD": unquote(parts.password)}


def run_client(command: list[str], url: str) -> None:
    """Run pg_dump or pg_restore against `url`; ToolError with its own words if it fails."""
    target, extra = libpq_target(url)
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client binary we located
        [*command, "--dbname", target],
        env={**os.environ, **extra},
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        name = Path(command[0]).name
        raise ToolError(f"{name} failed: {result.stderr.strip() or result.stdout.strip()}")


async def take_backup(
    url: str,
    path: Path,
    storage: Storage,
    choose_pg_dump: Callable[[int], Tool],
    progress: Progress,
    s3: S3Place | None = None,
) -> Manifest:
    """Write the backup file at `path`; `choose_pg_dump(server_major)` names the pg_dump."""
    conn = await connect(url)
    try:
        # Before the snapshot: a removal under way commits first, so what it removed is
        # absent from the snapshot too; none starts until every object is copied.
        await files_repository.hold_object_removal(conn)
        writer = Writer(path)
        try:
            manifest = await _write(conn, url, writer, storage, choose_pg_dump, progress, s3)
            writer.finish(manifest)
        except BaseException:
            writer.abandon()
            raise
        finally:
            await files_repository.release_object_removal(conn)
        return manifest
    finally:
        await conn.close()


async def _write(
    conn: asyncpg.Connection,
    url: str,
    writer: Writer,
    storage: Storage,
    choose_pg_dump: Callable[[int], Tool],
    progress: Progress,
    s3: S3Place | None,
) -> Manifest:
    scratch = Path(tempfile.mkdtemp(prefix=".press-backup-", dir=writer.path.parent))
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            facts = await conn.fetchrow(Q["snapshot_facts"])
            pg_dump = choose_pg_dump(facts["server_major"])
            migrations = [row["name"] for row in await conn.fetch(Q["applied_migrations"])]
            objects = await files_repository.objects_in_use(conn)
            progress.say(
                f"database snapshot taken at {facts['taken_at']} (PostgreSQL "
                f"{facts['server_major']}); dumping it with pg_dump {pg_dump.major}"
            )
            dump = scratch / DATABASE
            # The exporting transaction must stay open while pg_dump takes up its snapshot.
            await asyncio.to_thread(
                run_client,
                [
                    pg_dump.path,
                    "--format=custom",
                    f"--snapshot={facts['snapshot']}",
                    "--file",
                    str(dump),
                ],
                url,
            )
        with progress.stage("database", dump.stat().st_size) as advance:
            database = writer.add_file(DATABASE, dump, advance)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if isinstance(storage, LocalStorage):
        parts = await asyncio.to_thread(_copy_objects, writer, storage, objects, progress)
        store = "local"
    else:
        parts = [Part(sha256, -1, sha256) for sha256 in objects]
        store = "s3"
        _list_s3_objects(writer, objects, s3, progress)
    return Manifest(
        format=FORMAT,
        version=FORMAT_VERSION,
        created_at=facts["taken_at"],
        press_version=__version__,
        server_version=facts["server_version"],
        server_major=facts["server_major"],
        pg_dump_major=pg_dump.major,
        migrations=migrations,
        database=database,
        store=store,
        objects=parts,
        s3_bucket=s3.bucket if s3 else None,
        s3_prefix=s3.prefix if s3 else "",
    )


def _copy_objects(
    writer: Writer, storage: LocalStorage, objects: list[str], progress: Progress
) -> list[Part]:
    sizes: dict[str, int] = {}
    for sha256 in objects:
        try:
            sizes[sha256] = storage.object_path(sha256).stat().st_size
        except FileNotFoundError:
            progress.say(f"warning: object {sha256} is named by a file but missing from the store")
    parts = []
    with progress.stage(f"{len(sizes)} stored files", sum(sizes.values())) as advance:
        for sha256 in sizes:
            part = writer.add_file(object_member(sha256), storage.object_path(sha256), advance)
            if part.sha256 != sha256:
                progress.say(f"warning: object {sha256} does not hold the bytes its name says")
            parts.append(part)
    return parts


def _list_s3_objects(
    writer: Writer, objects: list[str], s3: S3Place | None, progress: Progress
) -> None:
    place = f"bucket {s3.bucket}" if s3 else "the S3 bucket"
    prefix = s3.prefix if s3 else ""
    keys = "".join(f"{prefix}objects/{sha256}\n" for sha256 in objects)
    writer.add_bytes(S3_LIST, keys.encode())
    progress.say(
        f"the stored files are in {place}: this backup lists the {len(objects)} object keys "
        f"to keep ({S3_LIST} in the backup, and its manifest) but does not copy them. Copy "
        "or version the bucket with its own tools (aws s3 sync, rclone, bucket versioning)."
    )
