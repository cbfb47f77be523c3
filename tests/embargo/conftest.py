"""Fixtures of the embargo tests: a committed database of its own, and a webhook receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from press.db import PoolDatabase, connect
from tests.embargo.receiver import Receiver


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
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()
