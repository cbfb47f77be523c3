"""Fixtures of the embargo tests: a webhook receiver. (The committed database of a test's own,
`fresh_conn`, `fresh_db`, `fresh_client` and `fresh_staff`, is in tests/conftest.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.embargo.receiver import Receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()
