"""The transactional outbox: every side effect (webhook, e-mail) starts as a row written in
the same transaction as the change it reports. Consumers read it after commit; a rolled-back
change leaves no event, a committed one always has one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

_INSERT = """
INSERT INTO outbox (event_type, aggregate_id, dedupe_key, payload)
VALUES ($1, $2, $3, $4)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""


def publication_key(release_id: UUID, publish_at: datetime) -> str:
    """The idempotency key of one publication: the release and the instant it went public.
    Publishing the same release at the same instant twice (a retried lift, two instances)
    yields one event; a withdrawal and new publication at another instant yields another."""
    instant = publish_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"release.published:{release_id}:{instant}"


async def add_event(
    conn: asyncpg.Connection,
    event_type: str,
    aggregate_id: UUID | None,
    dedupe_key: str,
    payload: dict[str, Any],
) -> UUID | None:
    """Write an event unless one with the same key exists; return its id if written."""
    event_id: UUID | None = await conn.fetchval(
        _INSERT, event_type, aggregate_id, dedupe_key, payload
    )
    return event_id


async def add_release_event(
    conn: asyncpg.Connection,
    event_type: str,
    release_id: UUID,
    version: int,
    state: str,
    publish_at: datetime | None,
    key: str,
) -> None:
    """The event of a change to a release: webhooks, WebSub and CDN purges hear of it."""
    payload = {
        "id": str(release_id),
        "version": version,
        "state": state,
        "publish_at": publish_at.isoformat() if publish_at else None,
    }
    await add_event(conn, event_type, release_id, key, payload)
