"""Forward-only SQL migrations: `db/migrations/NNNN_name.sql`, applied in order.

Each file runs in its own transaction under a session advisory lock, so two instances starting
together apply each migration once. A checksum table refuses to start when an applied file was
edited afterwards: a changed migration would leave databases that ran the old text diverged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import asyncpg

# Any fixed number: the key of the advisory lock every instance takes while migrating.
MIGRATION_LOCK_KEY = 7_412_001
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """The database's migrations do not match this version of press."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migrations_dir() -> Traversable:
    """The migrations shipped as `press._migrations`, read as a resource wherever press lives.

    In a wheel `press._migrations` is a namespace package (db/migrations has no
    `__init__.py`), so it has no single directory on disk; a Traversable reads it from a wheel,
    a zip or an editable install alike. A checkout that was never installed reads db/migrations.
    """
    try:
        return resources.files("press._migrations")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "db" / "migrations"


def available_migrations(directory: Traversable | None = None) -> list[Migration]:
    directory = directory or migrations_dir()
    found = []
    entries = directory.iterdir() if directory.is_dir() else iter(())
    for entry in sorted(entries, key=lambda entry: entry.name):
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    if not found:
        # An install that lost its migrations must never look "up to date".
        raise MigrationError(
            "this installation of press has no migrations (press._migrations is empty): "
            "reinstall press"
        )
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migration files share a number in {directory}")
    return found


async def _ensure_table(conn: asyncpg.Connection) -> None:
    await conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_migrations (
               version integer PRIMARY KEY,
               name text NOT NULL,
               checksum text NOT NULL,
               applied_at timestamptz NOT NULL DEFAULT now())"""
    )


async def migration_status(conn: asyncpg.Connection) -> tuple[list[str], list[str]]:
    """Names of applied and of pending migrations; raise if an applied one was edited."""
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await _ensure_table(conn)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
    return await migration_status_unlocked(conn)


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply every pending migration; return the names applied now."""
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await _ensure_table(conn)
        _, pending = await migration_status_unlocked(conn)
        by_name = {m.name: m for m in available_migrations()}
        for name in pending:
            migration = by_name[name]
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
        return pending
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)


async def migration_status_unlocked(conn: asyncpg.Connection) -> tuple[list[str], list[str]]:
    rows = await conn.fetch("SELECT version, name, checksum FROM schema_migrations")
    applied = {r["version"]: r for r in rows}
    pending = []
    for migration in available_migrations():
        row = applied.get(migration.version)
        if row is None:
            pending.append(migration.name)
        elif row["checksum"] != migration.checksum:
            raise MigrationError(
                f"migration {migration.name} was changed after it was applied to this "
                "database; restore the original file and add a new migration instead"
            )
    return [r["name"] for r in sorted(rows, key=lambda r: r["version"])], pending
