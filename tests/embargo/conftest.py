"""Fixtures of the embargo tests: a committed database of its own, and a webhook receiver."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from press.app import create_app
from press.db import PoolDatabase, connect
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX
from tests.conftest import StaffFactory, StaffHeaders
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
    """Like `staff`, in the fresh database."""

    async def make(role: str = "editor") -> StaffHeaders:
        email = f"{role}-{secrets.token_hex(3)}@city.example"
        user = await staff_repository.create_staff_user(
            fresh_conn, email, role.title(), role, "not-a-password-hash"
        )
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
        await staff_repository.create_staff_token(fresh_conn, user.id, token, 1)
        headers = StaffHeaders(Authorization=f"Bearer {token}")
        headers.id = str(user.id)
        return headers

    return make
