"""`press contacts …`: import a spreadsheet of contacts, purge inactive ones.

A click group of its own, attached to the main `press` command. The database is
DATABASE_URL (or `--database-url`), else the embedded server; the secret key is
PRESS_SECRET_KEY, else the one kept in the data directory, so suppression hashes match
those the service writes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import asyncpg
import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from press.contacts.importer import import_contacts
from press.contacts.privacy import purge_inactive
from press.contacts.schemas import ImportReport
from press.db import connect
from press.embedded import EmbeddedServerError
from press.errors import PressError
from press.settings import Settings, SettingsError

T = TypeVar("T")
console = Console()


def _settings() -> Settings:
    try:
        return Settings.from_env().with_secret_key()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _run(url: str | None, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    # Imported here: press.cli attaches this group, so it imports this module first.
    from press.cli import command_database

    async def main(database_url: str) -> T:
        conn = await connect(database_url)
        try:
            async with conn.transaction():
                return await work(conn)
        finally:
            await conn.close()

    try:
        if url:
            return asyncio.run(main(url))
        # No DATABASE_URL: the embedded server, as every other press command does.
        with command_database(_settings()) as embedded_url:
            return asyncio.run(main(embedded_url))
    except PressError as exc:
        raise click.ClickException(exc.detail) from None
    except EmbeddedServerError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot reach the database: {exc}") from None


database_option = click.option(
    "--database-url", envvar="DATABASE_URL", help="The press database [env: DATABASE_URL]."
)


@click.group()
def contacts() -> None:
    """The journalist registry: import contacts, purge inactive ones."""


@contacts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@database_option
def import_command(file: Path, dry_run: bool, database_url: str | None) -> None:
    """Import contacts from a CSV FILE (UTF-8 with or without BOM, `;` or `,`).

    Valid rows go in together, in one transaction; bad rows are reported with their row
    numbers and reasons. Addresses already in the registry are left as they are, so
    importing the same file again changes nothing.
    """
    settings = _settings()
    raw = file.read_bytes()
    with Progress(
        TextColumn("[bold]Importing"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        task = bar.add_task("rows", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = _run(
            database_url or settings.database_url,
            lambda conn: import_contacts(
                conn, raw, settings.secret_key, dry_run=dry_run, user=None, progress=advance
            ),
        )
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    verb = "would be created" if report.dry_run else "created"
    console.print(
        f"{report.rows} rows: {report.created} {verb}, {report.unchanged} already in the "
        f"registry, {len(report.rejected)} rejected."
    )
    if report.rejected:
        table = Table("row", "reasons")
        for problem in report.rejected:
            table.add_row(str(problem.row), "; ".join(problem.reasons))
        console.print(table)


@contacts.command("purge")
@click.option(
    "--inactive-months",
    type=click.IntRange(1, 1200),
    required=True,
    help="Erase contacts with no activity for this many months and no consent in force.",
)
@click.option("--yes", is_flag=True, help="Erase them; without it, only list them.")
@database_option
def purge_command(inactive_months: int, yes: bool, database_url: str | None) -> None:
    """List (and with --yes erase) contacts inactive for N months with no current consent.

    Running it again erases nothing more: erased contacts are no longer candidates.
    """
    settings = _settings()
    found = _run(
        database_url or settings.database_url,
        lambda conn: purge_inactive(conn, inactive_months, apply=yes),
    )
    table = Table("id", "name", "last activity")
    for contact in found:
        table.add_row(str(contact.id), contact.name, contact.last_activity.isoformat())
    console.print(table)
    action = "erased" if yes else "would be erased (add --yes)"
    console.print(f"{len(found)} contacts {action}.")
