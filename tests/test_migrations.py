"""Migrations: applied once, in order, refused when an applied file was edited."""

from __future__ import annotations

import asyncio
import zipfile
from pathlib import Path

import asyncpg
import msgspec
import pytest

from press import migrations
from press.app import SchemaBehind, create_app
from press.db import connect
from press.migrations import MigrationError, available_migrations, migrate, migration_status
from press.settings import Settings
from tests.conftest import _admin, clone_database, drop_database


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


def test_migrations_are_read_from_a_zip_as_from_a_folder(tmp_path: Path) -> None:
    # A wheel or zipapp keeps press._migrations where no directory exists on disk.
    archive = tmp_path / "press.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for migration in available_migrations():
            zipped.writestr(f"press/_migrations/{migration.name}", migration.sql)
        zipped.writestr("press/_migrations/README.txt", "not a migration")
    inside = zipfile.Path(archive, "press/_migrations/")
    assert available_migrations(inside) == available_migrations()


@pytest.mark.parametrize("folder", ["empty", "missing"])
def test_an_install_without_migrations_is_an_error_never_up_to_date(
    tmp_path: Path, folder: str
) -> None:
    with pytest.raises(MigrationError, match="no migrations"):
        available_migrations(tmp_path if folder == "empty" else tmp_path / "gone")


async def test_status_of_an_install_without_migrations_is_an_error(
    conn: asyncpg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "migrations_dir", lambda: tmp_path)
    with pytest.raises(MigrationError, match="reinstall press"):
        await migration_status(conn)


async def test_the_app_refuses_to_start_on_a_schema_behind_naming_the_command(
    settings: Settings,
) -> None:
    url = await clone_database("behind")
    try:
        await _admin(url, "DELETE FROM schema_migrations WHERE version = 1")
        app = create_app(msgspec.structs.replace(settings, database_url=url))
        with pytest.raises(ExceptionGroup) as refused:
            async with app.lifespan():
                pass
        assert refused.group_contains(
            SchemaBehind, match=r"1 migration\(s\) pending .*run `press db migrate`"
        )
    finally:
        await drop_database(url)
