"""A primary and a streaming standby of its own, made from the embedded server's binaries.

The standby is a base backup of the primary (`pg_basebackup -R`: it streams and replays from
the primary's socket), started beside it in its own directory: about two seconds in all.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from press.db import connect
from press.embedded import EmbeddedServer, _bin, _prepare_root
from press.migrations import migrate


@dataclass
class Replicated:
    primary: EmbeddedServer
    standby: EmbeddedServer

    @property
    def primary_url(self) -> str:
        return self.primary.url()

    @property
    def standby_url(self) -> str:
        return self.standby.url()

    async def pause_replay(self) -> None:
        await _run(self.standby_url, "SELECT pg_wal_replay_pause()")

    async def resume_replay(self) -> None:
        await _run(self.standby_url, "SELECT pg_wal_replay_resume()")

    def stop_standby(self) -> None:
        self.standby.stop()

    def start_standby(self) -> None:
        self.standby.shutdown()  # gives up the directory's lock, taken again by start()
        self.standby.start()

    def shutdown(self) -> None:
        self.standby.shutdown()
        self.primary.shutdown()


def start_replicated(root: Path) -> Replicated:
    """A migrated primary under `root/primary` and its standby under `root/standby`."""
    primary = EmbeddedServer(root / "primary", fast_unsafe=True)
    primary.start()
    asyncio.run(_migrate(primary.url()))
    standby = EmbeddedServer(root / "standby", fast_unsafe=True)
    standby.pgdata.mkdir(parents=True)
    standby.pgdata.chmod(0o700)
    if os.geteuid() == 0:
        _prepare_root(standby.pgdata)
    primary._run(
        [
            _bin("pg_basebackup"),
            "-D",
            str(standby.pgdata),
            "-h",
            str(primary.socket_dir),
            "-U",
            "postgres",
            "-R",  # standby.signal and primary_conninfo: a streaming standby
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        ]
    )
    # The primary's socket sits in its data directory, and the copy holds its lock file.
    for lock in standby.pgdata.glob(".s.PGSQL.*"):
        lock.unlink()
    standby.start()
    return Replicated(primary, standby)


def remove_replicated(pair: Replicated, root: Path) -> None:
    pair.shutdown()
    shutil.rmtree(root, ignore_errors=True)


async def _migrate(url: str) -> None:
    conn = await connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


async def _run(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()
