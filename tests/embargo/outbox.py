"""Outbox events for the consumers' tests, as the change each reports would write them."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from press.outbox import add_event


async def emit(
    conn: asyncpg.Connection, event_type: str, aggregate: uuid.UUID | None = None, **payload: Any
) -> uuid.UUID:
    """One event of `event_type` about `aggregate`, under a key of its own."""
    event_id = await add_event(conn, event_type, aggregate, f"{event_type}:{uuid.uuid4()}", payload)
    assert event_id is not None
    return event_id
