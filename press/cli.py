"""The `press` command: serve the service, manage its database, users and demo content."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar, cast

import click

from press.settings import Settings, SettingsError

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@contextlib.contextmanager
def command_database(settings: Settings, *, while_serving: bool = True) -> Iterator[str]:
    """A URL of the database to work on: DATABASE_URL, the embedded server that `press serve`
    is running (unless not `while_serving`), or the embedded server started for this command
    and stopped after it."""
    if settings.database_url:
        yield settings.database_url
        return
    from press.embedded import DataDirInUse, EmbeddedServer

    server = EmbeddedServer(settings.data_dir)
    try:
        url = server.start()
    except DataDirInUse as exc:
        running = server.running_url()
        if running is None or not while_serving:
            raise click.ClickException(str(exc)) from None
        yield running  # `press serve` has it: use its server, leave it running
        return
    try:
        yield url
    finally:
        server.shutdown()


def _run(settings: Settings, work: Callable[[str], Coroutine[Any, Any, T]]) -> T:
    import asyncpg

    from press.embedded import EmbeddedServerError
    from press.migrations import MigrationError

    try:
        with command_database(settings) as url:
            return asyncio.run(work(url))
    except (MigrationError, EmbeddedServerError) as exc:
        raise click.ClickException(str(exc)) from None
    except asyncpg.UndefinedTableError:
        raise click.ClickException(
            "the database has no press schema yet: run `press db migrate`"
        ) from None
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
    from press.embedded import EmbeddedServer, EmbeddedServerError
    from press.ops.logs import log_config, wants_json
    from press.protocol import server_options
    from press.workers import serve as run_workers

    settings = _settings().with_secret_key()
    metrics_dir = _metrics_dir()
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
        _prepare_or_refuse(url, demo, settings)
        # Worker processes read their settings from the environment, like any deployment.
        os.environ["DATABASE_URL"] = url
        os.environ["PRESS_SECRET_KEY"] = settings.secret_key
        os.environ.setdefault("PRESS_PUBLIC_URL", f"http://{host}:{port}")
        click.echo(f"press serving on http://{host}:{port} (API docs at /schema)")
        # uvicorn re-raises SIGTERM after its graceful shutdown; with this handler that ends
        # in SystemExit, so the `finally` below still stops the embedded server.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        run_workers(  # uvicorn.run, with a listening socket per worker on Linux
            "press.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            # press's own request log (press.ops.request_log) replaces uvicorn's.
            access_log=False,
            log_config=log_config(wants_json(settings.log_format)),
            proxy_headers=True,
            **server_options(settings),  # bounded request heads and bodies
        )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
        if server is not None:
            server.shutdown()
            click.echo("PostgreSQL (embedded) stopped")


def _metrics_dir() -> str | None:
    """Where the workers keep their metrics (press.ops.metrics), emptied before they start:
    the operator's PROMETHEUS_MULTIPROC_DIR, or a private directory made here and removed
    on exit (returned, to be removed)."""
    from press.ops.multiproc import MULTIPROC_ENV, prepare_multiprocess_dir

    given = os.environ.get(MULTIPROC_ENV)
    if given:
        prepare_multiprocess_dir(given)
        return None
    made = tempfile.mkdtemp(prefix="press-metrics-")  # mode 0700: this user's only
    os.environ[MULTIPROC_ENV] = made
    return made


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _prepare_or_refuse(url: str, demo: bool, settings: Settings) -> None:
    """Migrate (and load the demo); any failure stops `serve` before it listens, in one line."""
    from press.migrations import MigrationError

    try:
        asyncio.run(_prepare(url, demo, settings))
    except MigrationError as exc:
        raise click.ClickException(f"not serving: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"not serving: cannot reach the database: {exc}") from None


async def _prepare(url: str, demo: bool, settings: Settings) -> None:
    from press.db import connect
    from press.demo import load_demo
    from press.migrations import migrate

    conn = await connect(url)
    try:
        applied = await migrate(conn)
        if applied:
            click.echo(f"applied migrations: {', '.join(applied)}")
        if demo:
            _report_demo(await load_demo(conn, settings))
    finally:
        await conn.close()


@main.command()
def demo() -> None:
    """Load the demo content (releases with photos and documents, staff, contacts, events);
    does nothing if already loaded."""
    settings = _settings()

    async def work(url: str) -> list[tuple[str, str, str]] | None:
        from press.db import connect
        from press.demo import load_demo
        from press.migrations import migrate

        conn = await connect(url)
        try:
            await migrate(conn)
            return await load_demo(conn, settings)
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


ROLES = click.Choice(["admin", "approver", "editor", "viewer"])


def _account_change(
    email: str, change: Callable[[Any, Any], Awaitable[T]], *, new: bool = False
) -> T:
    """Run `change(conn, user_id)` (a function of press.staff.accounts) for the user with
    EMAIL in one transaction; a refusal (unknown user, weak password, last admin) is one
    line. With `new`, the user is being created and has no id yet."""

    async def work(url: str) -> T:
        import asyncpg

        from press.db import connect
        from press.errors import PressError
        from press.migrations import migrate
        from press.staff import repository

        conn = await connect(url)
        try:
            # The first command on a new data directory: bring the schema up to date first.
            await migrate(conn)
            async with conn.transaction():
                user_id = None if new else await repository.staff_user_id(conn, email)
                if user_id is None and not new:
                    raise click.ClickException(f"no staff user has the e-mail {email}")
                return await change(conn, user_id)
        except PressError as exc:
            raise click.ClickException(exc.detail) from None
        except asyncpg.UniqueViolationError:
            raise click.ClickException(f"a user with e-mail {email} exists already") from None
        finally:
            await conn.close()

    return _run(_settings(), work)


def _password_from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=ROLES)
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (at least 12 characters, not a common one).",
)
def users_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff user who signs in with EMAIL."""
    import msgspec

    from press.staff.schemas import StaffUserCreate

    password = _password_from_stdin()
    try:
        data = msgspec.convert(
            {"email": email, "role": role, "name": name, "password": password}, StaffUserCreate
        )
    except msgspec.ValidationError as exc:
        raise click.ClickException(str(exc).replace("$.", "")) from None

    from press.staff import accounts

    user = _account_change(email, lambda conn, _: accounts.create_user(conn, None, data), new=True)
    click.echo(f"created {role} {email} ({user.id})")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Disable the user with EMAIL: no sign-in, and every token of theirs stops at once."""
    from press.staff import accounts

    _account_change(email, lambda conn, user_id: accounts.disable_user(conn, None, user_id))
    click.echo(f"disabled {email}; their tokens are revoked")


@users.command("enable")
@click.argument("email")
def users_enable(email: str) -> None:
    """Let the disabled user with EMAIL sign in again."""
    from press.staff import accounts

    _account_change(email, lambda conn, user_id: accounts.enable_user(conn, None, user_id))
    click.echo(f"enabled {email}")


@users.command("revoke-tokens")
@click.argument("email")
def users_revoke_tokens(email: str) -> None:
    """Sign the user with EMAIL out everywhere."""
    from press.staff import accounts

    revoked = _account_change(
        email, lambda conn, user_id: accounts.revoke_user_tokens(conn, None, user_id)
    )
    click.echo(f"revoked {revoked} token(s) of {email}")


@users.command("reset-second-factor")
@click.argument("email")
def users_reset_second_factor(email: str) -> None:
    """Turn off the console's second factor of the user with EMAIL (a lost phone): they
    sign in with the password alone until they set up a new one. Recorded in the audit log."""
    from press.staff import accounts

    was_on = _account_change(
        email, lambda conn, user_id: accounts.reset_second_factor(conn, None, user_id)
    )
    click.echo(f"reset the second factor of {email}" if was_on else f"{email} had none on")


@users.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the new password from standard input.",
)
def users_set_password(email: str, password_stdin: bool) -> None:
    """Reset the password of the user with EMAIL; their tokens are revoked."""
    from press.staff import accounts

    password = _password_from_stdin()
    _account_change(
        email, lambda conn, user_id: accounts.set_user_password(conn, None, user_id, password)
    )
    click.echo(f"set a new password for {email}; their tokens are revoked")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def users_set_role(email: str, role: str) -> None:
    """Give the user with EMAIL the role ROLE."""
    from press.staff import accounts
    from press.staff.schemas import RoleName

    role_name = cast("RoleName", role)  # click has checked it is one
    _account_change(
        email, lambda conn, user_id: accounts.set_user_role(conn, None, user_id, role_name)
    )
    click.echo(f"{email} is now {role}")


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
    from press.backup.cli import db_backup, db_restore
    from press.contacts.cli import contacts

    main.add_command(contacts)
    main.add_command(files)
    db.add_command(db_backup)
    db.add_command(db_restore)


_attach_groups()
