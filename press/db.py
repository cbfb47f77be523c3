"""Database plumbing: the connection pool, per-request transactions and the .sql loader.

Every domain keeps its SQL in a `queries.sql` beside its `repository.py`; `load_queries`
reads that file once into named statements. Only repositories run SQL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import asyncpg
import msgspec
from litestar import Request
from litestar.di import NamedDependency
from litestar.types import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")
log = logging.getLogger("press")

_QUERY_HEADER = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


@cache
def load_queries(path: str) -> Mapping[str, str]:
    """Read a .sql file of named queries (`-- name: fetch_release` above each one)."""
    text = Path(path).read_text(encoding="utf-8")
    parts = _QUERY_HEADER.split(text)
    queries: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sql = "\n".join(line for line in body.strip().splitlines() if not line.startswith("--"))
        queries[name] = sql.strip().rstrip(";")
    return queries


def queries_beside(module_file: str) -> Mapping[str, str]:
    """The named queries of the `queries.sql` next to the calling module."""
    return load_queries(str(Path(module_file).with_name("queries.sql")))


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb in and out as Python values; msgspec does the encoding.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: msgspec.json.encode(v).decode(),
        decoder=msgspec.json.decode,
        schema="pg_catalog",
    )
    await conn.set_type_codec(
        "json",
        encoder=lambda v: msgspec.json.encode(v).decode(),
        decoder=msgspec.json.decode,
        schema="pg_catalog",
    )


# Set on every connection the service opens. JIT compilation pays off for long analytical
# queries; ours are short, but some carry large cost estimates for plan branches that never
# run (the search's "every match" arm), and PostgreSQL built with LLVM then spends up to a
# second compiling a statement that runs in 3 ms.
SERVER_SETTINGS = {"jit": "off"}


async def connect(url: str) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(url, server_settings=SERVER_SETTINGS)
    await _init_connection(conn)
    return conn


class Database(Protocol):
    """Where request handlers and workers get connections from."""

    def acquire(self) -> Any: ...

    def snapshot(self) -> Any: ...

    async def close(self) -> None: ...


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a pooled connection needs between requests beyond the rollback of an open
    transaction, which the pool always does: nothing. Pooled connections only ever change
    state inside a transaction (SET LOCAL, transaction-level locks); LISTEN and session
    advisory locks live on connections of their own. The pool's default reset (RESET ALL,
    UNLISTEN *, ...) would cost a round trip per request."""


class PoolDatabase:
    """The production database: an asyncpg pool."""

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.url = url

    @classmethod
    async def open(cls, url: str, min_size: int = 1, max_size: int = 10) -> PoolDatabase:
        pool = await asyncpg.create_pool(
            url,
            min_size=min_size,
            max_size=max_size,
            init=_init_connection,
            # Statements are prepared per connection; keep the cache modest.
            statement_cache_size=256,
            reset=_keep_session,
            server_settings=SERVER_SETTINGS,
        )
        assert pool is not None
        return cls(pool, url)

    def acquire(self) -> Any:
        return self.pool.acquire()

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[asyncpg.Connection]:
        """A read-only, repeatable-read transaction: several queries see one moment."""
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield conn

    async def close(self) -> None:
        await self.pool.close()


def snapshot_on(conn: asyncpg.Connection) -> Any:
    """`Database.snapshot` on a connection already held: a read-only, repeatable-read
    transaction, or a savepoint where the connection is in a transaction already (a test's
    outer one), as `SingleConnectionDatabase.snapshot` makes it."""
    if conn.is_in_transaction():
        return conn.transaction()
    return conn.transaction(isolation="repeatable_read", readonly=True)


class SingleConnectionDatabase:
    """One connection for everything: tests run each case inside an outer transaction
    that rolls back, and the app's own transactions nest in it as savepoints."""

    def __init__(self, conn: asyncpg.Connection, url: str = "") -> None:
        self.conn = conn
        self.url = url

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self.conn

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.conn.transaction():
            yield self.conn

    async def close(self) -> None:
        return None


def record_to(struct_type: type[T], record: asyncpg.Record | Mapping[str, Any]) -> T:
    """Turn a row into a msgspec Struct by column name, validating types on the way."""
    return msgspec.convert(dict(record), struct_type, from_attributes=False, strict=False)


def records_to(struct_type: type[T], records: list[asyncpg.Record]) -> list[T]:
    return msgspec.convert([dict(r) for r in records], list[struct_type], strict=False)  # type: ignore[valid-type]


class RequestTransaction:
    """The one transaction of a request, opened when a handler first asks for `conn`."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._acquired: Any = None
        self._transaction: Any = None
        self.conn: asyncpg.Connection | None = None

    async def connection(self) -> asyncpg.Connection:
        if self.conn is None:
            self._acquired = self._db.acquire()
            self.conn = await self._acquired.__aenter__()
            self._transaction = self.conn.transaction()
            await self._transaction.start()
        return self.conn

    async def finish(self, *, commit: bool) -> None:
        """Commit or roll back, and give the connection back; a no-op when never opened."""
        if self.conn is None:
            return
        try:
            if commit:
                await self._transaction.commit()
            else:
                # A transaction whose start was interrupted (Litestar cancels sibling
                # dependencies when one fails) cannot be rolled back by asyncpg; returning
                # the connection to the pool resets it either way.
                with suppress(asyncpg.InterfaceError):
                    await self._transaction.rollback()
        except BaseException:
            with suppress(Exception):
                await self._transaction.rollback()
            raise
        finally:
            self.conn = None
            await self._acquired.__aexit__(None, None, None)


_SCOPE_KEY = "press.transaction"


class TransactionMiddleware:
    """Commit each request's transaction just before its response starts, if the status is
    below 400; roll it back otherwise, or when the request fails without a response.

    A middleware rather than a yield dependency: Litestar drops the cleanup of a generator
    dependency when a later dependency fails (say, a 401 from authentication), which would
    leave the connection checked out until garbage collection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await self.app(scope, receive, send)
            return
        tx = RequestTransaction(scope["litestar_app"].state.db)
        scope[_SCOPE_KEY] = tx  # type: ignore[literal-required]
        replaced = False

        async def send_after_commit(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                try:
                    await tx.finish(commit=message["status"] < 400)
                except Exception:
                    log.exception("commit failed")
                    replaced = True
                    await _send_commit_failure(send)
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_after_commit)
        finally:
            await tx.finish(commit=False)


async def _send_commit_failure(send: Send) -> None:
    body = msgspec.json.encode(
        {
            "type": "https://press.example/problems/internal",
            "title": "Internal server error",
            "status": 500,
            "detail": "The change could not be saved; nothing was changed. Try again.",
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"cache-control", b"no-store"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def request_transaction(scope: Scope) -> RequestTransaction:
    """The request's transaction, which TransactionMiddleware commits or rolls back."""
    tx: RequestTransaction = scope[_SCOPE_KEY]  # type: ignore[literal-required]
    return tx


async def provide_conn(request: Request[Any, Any, Any]) -> asyncpg.Connection:
    """The request's connection, inside its transaction (see TransactionMiddleware)."""
    return await request_transaction(request.scope).connection()


Conn = NamedDependency[asyncpg.Connection]
"""A handler parameter `conn: Conn` gets the request's transaction."""
