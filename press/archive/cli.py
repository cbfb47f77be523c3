"""`press files …`: maintenance of the stored file bytes.

A click group of its own, attached to the main `press` command, on DATABASE_URL or the
embedded server like every other command (`press.cli._run`), and the storage the settings
choose (the data directory, or the S3 bucket of PRESS_S3_BUCKET).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import asyncpg
import click

from press.archive.files import storage_for
from press.archive.reclean import Recleaned, reclean
from press.archive.sweep import SweepReport, sweep
from press.db import connect

T = TypeVar("T")


@click.group()
def files() -> None:
    """Stored file bytes."""


def _on_database(
    work: Callable[[asyncpg.Connection], Awaitable[T]],
) -> Callable[[str], Coroutine[Any, Any, T]]:
    """`work` on a connection of its own to the database at the URL `press.cli._run` gives."""

    async def run(url: str) -> T:
        conn = await connect(url)
        try:
            return await work(conn)
        finally:
            await conn.close()

    return run


@files.command("sweep")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@click.option(
    "--stale-hours",
    default=24,
    show_default=True,
    type=click.IntRange(min=1),
    help="Uploads in progress older than this are abandoned.",
)
def files_sweep(dry_run: bool, stale_hours: int) -> None:
    """Remove stored bytes that no file points at (an upload whose transaction failed, a
    rendition that raced a deletion) and abandoned uploads. Safe while press runs."""
    from press.cli import _run, _settings  # press.cli attaches this group: imported after it

    settings = _settings()
    storage = storage_for(settings)
    stale_after = timedelta(hours=stale_hours)

    async def work(conn: asyncpg.Connection) -> SweepReport:
        return await sweep(conn, storage, dry_run=dry_run, stale_after=stale_after)

    report = _run(settings, _on_database(work))
    verb = "would remove" if dry_run else "removed"
    for kind, keys in (
        ("object", report.objects),
        ("rendition", report.renditions),
        ("abandoned upload", report.incoming),
    ):
        for key in keys:
            click.echo(f"{verb} {kind} {key}")
    click.echo(
        f"{verb} {len(report.objects)} objects, {len(report.renditions)} renditions and "
        f"{len(report.incoming)} abandoned uploads"
    )


@files.command("reclean")
@click.option("--dry-run", is_flag=True, help="Only list the files whose copy would change.")
def files_reclean(dry_run: bool) -> None:
    """Make the public copies of images and documents again with the current cleaning (after
    an upgrade that removes more metadata), and serve the new ones. Safe while press runs."""
    from press.cli import _run, _settings  # press.cli attaches this group: imported after it

    settings = _settings()
    storage = storage_for(settings)

    async def work(conn: asyncpg.Connection) -> list[Recleaned]:
        return await reclean(conn, storage, dry_run=dry_run)

    changed = _run(settings, _on_database(work))
    verb = "would make" if dry_run else "made"
    for item in changed:
        click.echo(f"{verb} a new public copy of {item.filename} ({item.file_id})")
    click.echo(f"{verb} {len(changed)} new public copies")
