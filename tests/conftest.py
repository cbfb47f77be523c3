"""Test plumbing: a real PostgreSQL, a migrated template database, one clone per worker,
and each test in an outer transaction that rolls back.

PostgreSQL is the embedded server (started once, in a temporary directory, with fsync off)
unless PRESS_TEST_DATABASE_URL names another server; the template and clones are made there.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from argon2 import PasswordHasher
from litestar import Litestar

import press
from press.app import app_state, create_app, with_edge
from press.db import PoolDatabase, SingleConnectionDatabase, connect
from press.embedded import EmbeddedServer
from press.migrations import migrate
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX
from tests.embargo.receiver import Receiver

# Programs the tests start (`python -m press serve`, uvicorn) import the press under test, not
# a source tree that happens to be their working directory: `-m` would put it first on the path.
os.environ["PYTHONSAFEPATH"] = "1"
SOURCE_TREE = Path(__file__).resolve().parents[1]

SERVER_ENV = "PRESS_TEST_SERVER_URL"  # set by the controlling process for xdist workers
TEMPLATE_ENV = "PRESS_TEST_TEMPLATE"
_embedded: EmbeddedServer | None = None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def _admin(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _build_template(server_url: str, template: str) -> None:
    await _admin(
        server_url, f'DROP DATABASE IF EXISTS "{template}"', f'CREATE DATABASE "{template}"'
    )
    conn = await connect(with_database(server_url, template))
    try:
        await migrate(conn)
    finally:
        await conn.close()


def pytest_report_header() -> str:
    return f"press under test: {Path(press.__file__).parent}"


def pytest_configure(config: pytest.Config) -> None:
    global _embedded
    tested = Path(press.__file__).resolve().parent
    if os.environ.get("PRESS_TEST_INSTALLED") and tested == SOURCE_TREE / "press":
        # CI tests what users install: a source tree on the path would hide a packaging bug.
        raise pytest.UsageError(f"press was imported from the source tree {SOURCE_TREE}")
    if hasattr(config, "workerinput") or os.environ.get(SERVER_ENV):
        return
    server_url = os.environ.get("PRESS_TEST_DATABASE_URL")
    if not server_url:
        data_dir = Path(tempfile.mkdtemp(prefix="press-test-"))
        _embedded = EmbeddedServer(data_dir, fast_unsafe=True)
        _embedded.start()
        server_url = _embedded.url("postgres")
    template = f"press_tpl_{os.getpid()}"
    asyncio.run(_build_template(server_url, template))
    os.environ[SERVER_ENV] = server_url
    os.environ[TEMPLATE_ENV] = template


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or TEMPLATE_ENV not in os.environ:
        return
    server_url, template = os.environ[SERVER_ENV], os.environ.pop(TEMPLATE_ENV)
    if _embedded is not None:
        _embedded.shutdown()
        shutil.rmtree(_embedded.data_dir, ignore_errors=True)
    else:
        asyncio.run(_drop_run_databases(server_url, template))
    os.environ.pop(SERVER_ENV, None)


async def _drop_run_databases(server_url: str, template: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        names = await conn.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1",
            template.replace("_tpl_", "_%_") + "%",
        )
        for row in [*names, {"datname": template}]:
            await conn.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
    finally:
        await conn.close()


async def clone_database(suffix: str) -> str:
    """A new database copied from the migrated template; returns its URL."""
    server_url, template = os.environ[SERVER_ENV], os.environ[TEMPLATE_ENV]
    name = template.replace("_tpl_", f"_{suffix}_")
    await _admin(
        server_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return with_database(server_url, name)


async def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    await _admin(os.environ[SERVER_ENV], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def worker_database_url(worker_id: str) -> AsyncIterator[str]:
    url = await clone_database(f"w{worker_id}")
    yield url
    await drop_database(url)


@pytest.fixture
async def fresh_database_url() -> AsyncIterator[str]:
    """A database of its own, for tests that need real commits (LISTEN, several processes)."""
    url = await clone_database("f" + secrets.token_hex(4))
    yield url
    await drop_database(url)


@pytest.fixture(scope="session")
async def session_conn(worker_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(worker_database_url)
    yield conn
    await conn.close()


@pytest.fixture
async def conn(session_conn: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    transaction = session_conn.transaction()
    await transaction.start()
    try:
        yield session_conn
    finally:
        await transaction.rollback()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=None,
        data_dir=tmp_path,
        public_url="http://press.test",
        secret_key="test-secret",
        run_workers=False,
    )


# The app of the `client` fixture, built once per test process with the framework's own
# handler inside it: registering some 500 handlers took half a second of CPU, more than most
# tests, and did so for 800 of them. Each test gets it with a state of its own, made as
# create_app makes it (settings, database, caches, tallies) and the edge put around the
# handler again; `client` runs no lifespan, so nothing else create_app makes is used.
_shared_app: list[tuple[Litestar, Any]] = []


def app_of_this_test(settings: Settings, database: SingleConnectionDatabase) -> Litestar:
    if not _shared_app:
        app = create_app(settings, database=database)
        _shared_app.append((app, cast("Any", app.asgi_handler).requests.app))
        return app
    app, handler = _shared_app[0]
    app.state = app_state(settings, database)
    return with_edge(app, handler)


@pytest.fixture
async def client(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app, in this event loop (an asyncpg connection belongs to one)."""
    app = app_of_this_test(settings, SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as test_client:
        yield test_client


class StaffHeaders(dict[str, str]):
    """The Authorization header of a staff user, with the user's id beside it."""

    id: str


StaffFactory = Callable[..., Awaitable[StaffHeaders]]


async def staff_user(
    conn: asyncpg.Connection, role: str, email: str | None, password_hash: str
) -> StaffHeaders:
    """A staff user of `role` and the Authorization header of a fresh token of theirs."""
    email = email or f"{role}-{secrets.token_hex(3)}@city.example"
    user = await staff_repository.create_staff_user(conn, email, role.title(), role, password_hash)
    token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
    await staff_repository.create_staff_token(conn, user.id, token, 1)
    headers = StaffHeaders(Authorization=f"Bearer {token}")
    headers.id = str(user.id)
    return headers


@pytest.fixture
def staff(conn: asyncpg.Connection) -> StaffFactory:
    """Make a staff user of a role; returns the Authorization header of a fresh token."""

    async def make(role: str = "editor", email: str | None = None) -> StaffHeaders:
        return await staff_user(conn, role, email, await _fast_hash())

    return make


_hash_cache: list[str] = []


async def _fast_hash() -> str:
    # One argon2 hash shared by the test users, at argon2's least cost: press verifies a hash
    # at the cost written in it, so each sign-in of a test user takes a millisecond instead
    # of a quarter of a second on four threads (hundreds of sign-ins in the suite). The
    # hashes press makes itself keep the library's default cost.
    if not _hash_cache:
        cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        _hash_cache.append(cheap.hash("correct horse battery staple"))
    return _hash_cache[0]


@pytest.fixture
async def fresh_conn(fresh_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a database of the test's own, where every statement commits."""
    conn = await connect(fresh_database_url)
    yield conn
    await conn.close()


@pytest.fixture
async def fresh_db(fresh_database_url: str) -> AsyncIterator[PoolDatabase]:
    db = await PoolDatabase.open(fresh_database_url, 1, 5)
    yield db
    await db.close()


@pytest.fixture
async def fresh_client(
    fresh_db: PoolDatabase, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app on the fresh database: every request really commits."""
    app = create_app(settings, database=fresh_db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


@pytest.fixture
def fresh_staff(fresh_conn: asyncpg.Connection) -> StaffFactory:
    """Like `staff`, in the fresh database (`fresh_conn`)."""

    async def make(role: str = "editor") -> StaffHeaders:
        return await staff_user(fresh_conn, role, None, "not-a-password-hash")

    return make


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A real HTTP receiver of webhooks on 127.0.0.1 (tests/embargo/receiver.py)."""
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


async def database_state(conn: asyncpg.Connection) -> dict[str, str]:
    """Every table of the database as a digest of its rows: what "nothing changed" means."""
    tables = await conn.fetch(
        "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    )
    # The names come from the catalog, quoted by format(%I).
    digest = "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {} t"
    return {table: await conn.fetchval(digest.format(table)) for (table,) in tables}
