"""`press db backup PATH` and `press db restore PATH`, attached to `press db` by press.cli."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import click

from press.archive.files import storage_for
from press.backup import pg_tools
from press.backup.pg_tools import Tool, ToolError
from press.backup.progress import Progress
from press.backup.restore import (
    TargetNotEmpty,
    check_target,
    missing_objects,
    restore_database,
    restore_objects,
    restored_counts,
)
from press.backup.take import S3Place, take_backup
from press.backup.tarball import ArchiveError, Reader
from press.settings import Settings

PG_BIN = click.option(
    "--pg-bin",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the PostgreSQL client tools to use with DATABASE_URL (else found).",
)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@PG_BIN
def db_backup(path: Path, pg_bin: Path | None) -> None:
    """Write the database and the stored files, as of one moment, to the file PATH.

    Safe while press serves and writes: the database is dumped from one snapshot, and no
    stored file is removed until every file that snapshot names is copied."""
    from press.cli import _settings, command_database

    settings = _settings()
    if path.exists():
        raise click.ClickException(f"{path} exists already: give a new file name")
    if not path.parent.is_dir():
        raise click.ClickException(f"{path.parent} is not a folder")
    storage = storage_for(settings)
    s3 = S3Place(settings.s3_bucket, settings.s3_prefix) if settings.s3_bucket else None

    def choose(server_major: int) -> Tool:
        if settings.database_url:
            return pg_tools.external_pg_dump(server_major, pg_bin)
        tool = pg_tools.embedded_tool("pg_dump")
        if tool.major < server_major:  # a data directory of a newer major than the wheel
            raise ToolError(f"pg_dump {tool.major} cannot dump PostgreSQL {server_major}")
        return tool

    progress = Progress()
    with _refusals(), command_database(settings) as url:
        manifest = asyncio.run(take_backup(url, path, storage, choose, progress, s3))
    kept = sum(1 for o in manifest.objects if o.size >= 0)
    click.echo(
        f"backup written to {path}: the database as of {manifest.created_at} "
        f"({len(manifest.migrations)} migrations) and {kept} stored files"
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Drop everything in a database that is not empty, and restore over a used store.",
)
@PG_BIN
def db_restore(path: Path, force: bool, pg_bin: Path | None) -> None:
    """Fill an empty database (PRESS_DATA_DIR's embedded one, or DATABASE_URL's) and the file
    store from the backup file PATH, after checking every part of it.

    Stop press on this data directory or database first; start it again afterwards."""
    from press.cli import _settings, command_database

    settings = _settings()
    progress = Progress()
    with _refusals():
        reader = Reader(path)
        try:
            manifest = reader.manifest
            progress.say(
                f"backup of {manifest.created_at}: PostgreSQL {manifest.server_major}, "
                f"{len(manifest.migrations)} migrations, {len(manifest.objects)} stored files"
            )
            total = sum(p.size for p in reader.parts())
            with progress.stage("checking the backup", total) as advance:
                reader.verify(advance)
            pg_restore = _pg_restore(settings, manifest.pg_dump_major, pg_bin)
            # Never into the database of a running `press serve`: stop it first.
            with command_database(settings, while_serving=False) as url:
                _restore(url, reader, settings, pg_restore, force, progress)
        finally:
            reader.close()


def _restore(
    url: str, reader: Reader, settings: Settings, pg_restore: Tool, force: bool, progress: Progress
) -> None:
    storage = storage_for(settings)
    asyncio.run(check_target(url, storage, reader.manifest.server_major, force=force))
    restore_objects(reader, storage, progress)
    absent = missing_objects(reader, storage)
    asyncio.run(restore_database(url, reader, pg_restore, progress))
    counts = asyncio.run(restored_counts(url))
    click.echo(
        f"restored {counts['releases']} releases and {counts['files']} files "
        f"({counts['migrations']} migrations applied); start press as usual"
    )
    if absent:
        click.echo(
            f"{len(absent)} objects the backup lists are not in the store yet: copy them "
            "into the bucket from your copy of it (the keys are in s3-objects.txt in the "
            "backup) before serving",
            err=True,
        )


def _pg_restore(settings: Settings, dump_major: int, pg_bin: Path | None) -> Tool:
    if settings.database_url:
        return pg_tools.external_pg_restore(dump_major, pg_bin)
    tool = pg_tools.embedded_tool("pg_restore")
    if tool.major < dump_major:
        raise ToolError(
            f"the backup was dumped by pg_dump {dump_major}; this press's embedded PostgreSQL "
            f"is {tool.major} and cannot read it: restore with a press of PostgreSQL "
            f"{dump_major} or newer"
        )
    return tool


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """Every expected failure as one line, not a traceback."""
    import asyncpg

    from press.embedded import EmbeddedServerError

    try:
        yield
    except (ArchiveError, ToolError, TargetNotEmpty, EmbeddedServerError) as exc:
        raise click.ClickException(str(exc)) from None
    except asyncpg.UndefinedTableError:
        raise click.ClickException(
            "the database has no press schema: run `press db migrate` or restore into it"
        ) from None
    except asyncpg.PostgresError as exc:
        raise click.ClickException(f"the database refused: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot reach the database or the file: {exc}") from None
