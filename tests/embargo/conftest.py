"""Fixtures of the embargo tests: a client that may read /metrics. (The webhook `receiver`
and the committed database of a test's own, `fresh_conn`, `fresh_db`, `fresh_client` and
`fresh_staff`, are in tests/conftest.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings

METRICS_TOKEN = "metrics-" + "x" * 24


@pytest.fixture
async def monitored(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose /metrics is read with METRICS_TOKEN."""
    app = create_app(
        msgspec.structs.replace(settings, metrics_token=METRICS_TOKEN),
        database=SingleConnectionDatabase(conn),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client
