"""The `press` command: serve the service, manage its database, users and demo content."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import click

from press.settings import Settings, SettingsError

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@contextlib.contextmanager
def command_database(settings: Settings) -> Iterator[str]:
    """A URL of the database to work on: DATABASE_URL, the embedded server that `press serve`
    is running, or the embedded server started for this command and stopped after it."""
    if settings.database_url:
        yield settings.database_url
        return
    from press.embedded import DataDirInUse, EmbeddedServer

    server = EmbeddedServer(settings.data_dir)
    try:
        url = server.start()
    except DataDirInUse as exc:
        running = server.running_url()
        if running is None:
            raise click.ClickException(str(exc)) from None
        yield running  # `press serve` has it: use its server, leave it running
        return
    try:
        yield url
    finally:
        server.shutdown()


def _run(settings: Settings, work: Callable[[str], Coroutine[Any, Any, T]]) -> T:
    from press.embedded import EmbeddedServerError
    from press.migrations import MigrationError

    try:
        with command_database(settings) as url:
            return asyncio.run(work(url))
    except (MigrationError, EmbeddedServerError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot reach the database: {exc}") from None


@click.group()
@click.version_option(package_name="press")
def main() -> None:
    """press: the press office of the city — releases, embargoes, feeds and media contacts.

    Configuration comes from the environment (see the README); with no DATABASE_URL,
    press runs PostgreSQL itself under PRESS_DATA_DIR.
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)
@click.option("--demo", is_flag=True, help="Load the demo content on first start.")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Migrate the database and serve the API, feeds and background work.

    Without DATABASE_URL the embedded PostgreSQL is started once here (not per worker) and
    stopped on exit (Ctrl-C or SIGTERM).
    """
    import uvicorn

    from press.embedded import EmbeddedServer, EmbeddedServerError
    from press.protocol import server_options

    settings = _settings().with_secret_key()
    server = None
    url = settings.database_url
    if not url:
        server = EmbeddedServer(settings.data_dir)
        try:
            url = server.start()
        except EmbeddedServerError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"PostgreSQL (embedded) running in {server.pgdata}")
    try:
        asyncio.run(_prepare(url, demo))
        # Worker processes read their settings from the environment, like any deployment.
        os.environ["DATABASE_URL"] = url
        os.environ["PRESS_SECRET_KEY"] = settings.secret_key
        os.environ.setdefault("PRESS_PUBLIC_URL", f"http://{host}:{port}")
        click.echo(f"press serving on http://{host}:{port} (API docs at /schema)")
        # uvicorn re-raises SIGTERM after its graceful shutdown; with this handler that ends
        # in SystemExit, so the `finally` below still stops the embedded server.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        uvicorn.run(
            "press.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            proxy_headers=True,
            **server_options(settings),  # bounded request heads and bodies
        )
    finally:
        if server is not None:
            server.shutdown()
            click.echo("PostgreSQL (embedded) stopped")


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


async def _prepare(url: str, demo: bool) -> None:
    from press.db import connect
    from press.demo import load_demo
    from press.migrations import migrate

    conn = await connect(url)
    try:
        applied = await migrate(conn)
        if applied:
            click.echo(f"applied migrations: {', '.join(applied)}")
        if demo:
            _report_demo(await load_demo(conn))
    finally:
        await conn.close()


@main.command()
def demo() -> None:
    """Load the demo content (releases, staff, contacts); does nothing if already loaded."""
    settings = _settings()

    async def work(url: str) -> list[tuple[str, str, str]] | None:
        from press.db import connect
        from press.demo import load_demo
        from press.migrations import migrate

        conn = await connect(url)
        try:
            await migrate(conn)
            return await load_demo(conn)
        finally:
            await conn.close()

    _report_demo(_run(settings, work))


def _report_demo(credentials: list[tuple[str, str, str]] | None) -> None:
    if credentials is None:
        click.echo("demo content already present")
        return
    click.echo("demo content loaded; demo staff (passwords shown once):")
    for email, role, password in credentials:
        click.echo(f"  {role:9} {email:32} {password}")


@main.group()
def db() -> None:
    """The database: migrations and the embedded server."""


@db.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations."""

    async def work(url: str) -> list[str]:
        from press.db import connect
        from press.migrations import migrate

        conn = await connect(url)
        try:
            return await migrate(conn)
        finally:
            await conn.close()

    applied = _run(_settings(), work)
    click.echo(f"applied: {', '.join(applied)}" if applied else "nothing to apply")


@db.command("status")
def db_status() -> None:
    """List applied and pending migrations."""

    async def work(url: str) -> tuple[list[str], list[str]]:
        from press.db import connect
        from press.migrations import migration_status

        conn = await connect(url)
        try:
            return await migration_status(conn)
        finally:
            await conn.close()

    applied, pending = _run(_settings(), work)
    for name in applied:
        click.echo(f"applied  {name}")
    for name in pending:
        click.echo(f"pending  {name}")
    if not pending:
        click.echo("the database is up to date")


@db.command("stop")
def db_stop() -> None:
    """Stop an embedded PostgreSQL left running (e.g. after `press serve` was killed)."""
    from press.embedded import EmbeddedServer, EmbeddedServerError

    settings = _settings()
    if settings.database_url:
        raise click.ClickException("DATABASE_URL is set: press does not run that server")
    server = EmbeddedServer(settings.data_dir)
    try:
        server.lock()
    except EmbeddedServerError as exc:
        raise click.ClickException(f"{exc} `press db stop` is for a server left behind.") from None
    try:
        stopped = server.stop()
    finally:
        server.unlock()
    click.echo("stopped the embedded PostgreSQL" if stopped else "no embedded PostgreSQL running")


@main.group()
def users() -> None:
    """Staff users."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["admin", "approver", "editor", "viewer"]))
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (at least 12 characters).",
)
def users_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff user who signs in with EMAIL."""
    import msgspec

    from press.staff.schemas import StaffUserCreate

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        data = msgspec.convert(
            {"email": email, "role": role, "name": name, "password": password}, StaffUserCreate
        )
    except msgspec.ValidationError as exc:
        raise click.ClickException(str(exc).replace("$.", "")) from None

    async def work(url: str) -> str:
        import asyncpg

        from press.db import connect
        from press.staff import repository
        from press.staff.auth import hash_password

        conn = await connect(url)
        try:
            user = await repository.create_staff_user(
                conn, data.email, data.name, data.role, await hash_password(data.password)
            )
        except asyncpg.UniqueViolationError:
            raise click.ClickException(f"a user with e-mail {email} exists already") from None
        except asyncpg.UndefinedTableError:
            raise click.ClickException(
                "the database is not migrated: run `press db migrate`"
            ) from None
        finally:
            await conn.close()
        return str(user.id)

    user_id = _run(_settings(), work)
    click.echo(f"created {role} {email} ({user_id})")


@users.command("list")
def users_list() -> None:
    """List staff users and their roles."""

    async def work(url: str) -> list[tuple[str, str, str]]:
        from press.db import connect
        from press.staff import repository

        conn = await connect(url)
        try:
            return [(u.email, u.role, u.name) for u in await repository.list_staff_users(conn)]
        finally:
            await conn.close()

    for email, role, name in _run(_settings(), work):
        click.echo(f"{email:40} {role:9} {name}")


def _attach_groups() -> None:
    from press.archive.cli import files
    from press.contacts.cli import contacts

    main.add_command(contacts)
    main.add_command(files)


_attach_groups()
