"""Migrations: applied once, in order, refused when an applied file was edited."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from press import migrations
from press.db import connect
from press.migrations import MigrationError, available_migrations, migrate, migration_status
from tests.conftest import clone_database, drop_database


async def test_migrated_template_is_current(conn: asyncpg.Connection) -> None:
    applied, pending = await migration_status(conn)
    assert pending == []
    assert applied == [m.name for m in available_migrations()]


async def test_two_instances_migrating_together_apply_each_file_once() -> None:
    url = await clone_database("empty")
    conn = await asyncpg.connect(url)
    try:
        # An empty database: the clone of the template, emptied.
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()
    first, second = await connect(url), await connect(url)
    try:
        results = await asyncio.gather(migrate(first), migrate(second))
        names = [m.name for m in available_migrations()]
        assert sorted(results, key=len) == [[], names]
        count = await first.fetchval("SELECT count(*) FROM schema_migrations")
        assert count == len(names)
    finally:
        await first.close()
        await second.close()
        await drop_database(url)


async def test_edited_migration_is_refused(
    conn: asyncpg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for migration in available_migrations():
        text = migration.sql + ("\n-- edited\n" if migration.version == 1 else "")
        (tmp_path / migration.name).write_text(text)
    monkeypatch.setattr(migrations, "migrations_dir", lambda: tmp_path)
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await migration_status(conn)


async def test_schema_sources_are_seeded(conn: asyncpg.Connection) -> None:
    rows = await conn.fetch("SELECT slug, name_fi, name_sv, name_en FROM sources ORDER BY position")
    assert [tuple(r) for r in rows] == [
        ("city-council", "Kaupunginvaltuusto", "Stadsfullmäktige", "City Council"),
        ("city-board", "Kaupunginhallitus", "Stadsstyrelsen", "City Board"),
        ("city-executive-office", "Kaupunginkanslia", "Stadskansliet", "City Executive Office"),
    ]
