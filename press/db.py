"""Database plumbing: the connection pool, per-request transactions and the .sql loader.

Every domain keeps its SQL in a `queries.sql` beside its `repository.py`; `load_queries`
reads that file once into named statements. Only repositories run SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import asyncpg
import msgspec
from litestar.datastructures import State
from litestar.di import NamedDependency

T = TypeVar("T")

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
        decoder=json.loads,
        schema="pg_catalog",
    )
    await conn.set_type_codec(
        "json",
        encoder=lambda v: msgspec.json.encode(v).decode(),
        decoder=json.loads,
        schema="pg_catalog",
    )


async def connect(url: str) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


class Database(Protocol):
    """Where request handlers and workers get connections from."""

    def acquire(self) -> Any: ...

    async def close(self) -> None: ...


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
        )
        assert pool is not None
        return cls(pool, url)

    def acquire(self) -> Any:
        return self.pool.acquire()

    async def close(self) -> None:
        await self.pool.close()


class SingleConnectionDatabase:
    """One connection for everything: tests run each case inside an outer transaction
    that rolls back, and the app's own transactions nest in it as savepoints."""

    def __init__(self, conn: asyncpg.Connection, url: str = "") -> None:
        self.conn = conn
        self.url = url

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self.conn

    async def close(self) -> None:
        return None


def record_to(struct_type: type[T], record: asyncpg.Record | Mapping[str, Any]) -> T:
    """Turn a row into a msgspec Struct by column name, validating types on the way."""
    return msgspec.convert(dict(record), struct_type, from_attributes=False, strict=False)


def records_to(struct_type: type[T], records: list[asyncpg.Record]) -> list[T]:
    return msgspec.convert([dict(r) for r in records], list[struct_type], strict=False)  # type: ignore[valid-type]


async def provide_conn(state: State) -> AsyncIterator[asyncpg.Connection]:
    """One transaction per request: committed before the response is sent, rolled back on
    any error (Litestar throws the handler's exception into this generator)."""
    async with state.db.acquire() as conn, conn.transaction():
        yield conn


Conn = NamedDependency[asyncpg.Connection]
"""A handler parameter `conn: Conn` gets the request's transaction."""
