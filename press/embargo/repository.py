"""The embargo engine in PostgreSQL: the only code that runs its SQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from press.db import queries_beside, record_to, records_to
from press.embargo.journalists import journalist_token_digest
from press.embargo.schemas import (
    ClaimedDelivery,
    Delivery,
    EmbargoRead,
    JournalistToken,
    JournalistTokenCreate,
    ScheduledRelease,
)

Q = queries_beside(__file__)
WEBHOOK_CONSUMER = "webhooks"


async def lift_due_releases(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    """Mark due releases published; their (id, publish_at, version), in lift order."""
    rows = await conn.fetch(Q["lift_due_releases"], limit)
    return sorted(rows, key=lambda r: (r["publish_at"], r["id"]))


async def lift_release(conn: asyncpg.Connection, release_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["lift_release"], release_id)
    return row


async def seconds_to_next_due(conn: asyncpg.Connection) -> float | None:
    seconds: float | None = await conn.fetchval(Q["seconds_to_next_due"])
    return seconds


async def lift_overdue(conn: asyncpg.Connection, after_seconds: int) -> tuple[int, float]:
    row = await conn.fetchrow(Q["lift_overdue"], float(after_seconds))
    return int(row["overdue"]), float(row["oldest_seconds"]) if row["overdue"] else 0.0


async def list_schedule(
    conn: asyncpg.Connection,
    *,
    after: tuple[datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[ScheduledRelease]:
    """What is scheduled, in lift order, after the (publish_at, id) position `after`; all of
    it without `limit`."""
    rows = await conn.fetch(Q["list_schedule"], *_position(after), limit)
    return [
        ScheduledRelease(
            id=r["id"],
            title=r["title"],
            source=r["source"],
            publish_at=r["publish_at"],
            embargo=r["embargo"],
            embargo_terms=r["embargo_terms"],
            version=r["version"],
            due=r["due"],
            seconds_to_lift=max(0.0, (r["publish_at"] - r["db_now"]).total_seconds()),
        )
        for r in rows
    ]


async def contact_exists(conn: asyncpg.Connection, contact_id: UUID) -> bool:
    return bool(await conn.fetchval(Q["contact_exists"], contact_id))


async def insert_journalist_token(
    conn: asyncpg.Connection,
    contact_id: UUID,
    token: str,
    request: JournalistTokenCreate,
    parent_id: UUID | None,
) -> JournalistToken | None:
    """The stored token; None when its end is already past (or its parent is a feed token)."""
    row = await conn.fetchrow(
        Q["insert_journalist_token"],
        contact_id,
        journalist_token_digest(token),
        request.label,
        request.expires_at,
        request.scope,
        parent_id,
    )
    return record_to(JournalistToken, row) if row else None


async def list_journalist_tokens(
    conn: asyncpg.Connection,
    contact_id: UUID,
    *,
    after: tuple[datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[JournalistToken]:
    """The contact's tokens, newest first, after the (created_at, id) position `after`; all
    of them without `limit`."""
    rows = await conn.fetch(Q["list_journalist_tokens"], contact_id, *_position(after), limit)
    return records_to(JournalistToken, rows)


async def revoke_journalist_token(
    conn: asyncpg.Connection, contact_id: UUID, token_id: UUID, keeping: UUID | None = None
) -> list[UUID] | None:
    """Revoke the contact's token and every token made with it, but for token `keeping`
    and those made with it; the ids of those revoked with it, or None when the contact has
    no such token."""
    rows = await conn.fetch(Q["revoke_journalist_token"], token_id, contact_id, keeping)
    return [row["id"] for row in rows[1:]] if rows else None


async def list_embargoed_releases(
    conn: asyncpg.Connection,
    contact_id: UUID,
    *,
    after: tuple[datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """The releases under embargo this journalist may read, soonest lift first, after the
    (publish_at, id) position `after`; all of them without `limit`."""
    return list(
        await conn.fetch(Q["list_embargoed_releases"], contact_id, *_position(after), limit)
    )


async def fetch_embargoed_release(
    conn: asyncpg.Connection, release_id: UUID, contact_id: UUID
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        Q["fetch_embargoed_release"], release_id, contact_id
    )
    return row


async def embargo_list(conn: asyncpg.Connection, release_id: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["embargo_list"], release_id))


async def lock_release_for_embargo_list(
    conn: asyncpg.Connection, release_id: UUID
) -> asyncpg.Record | None:
    """The release's state, embargo and lift time, locked while its list changes."""
    row: asyncpg.Record | None = await conn.fetchrow(Q["release_for_embargo_list"], release_id)
    return row


async def unknown_contacts(conn: asyncpg.Connection, contact_ids: list[UUID]) -> list[UUID]:
    """Those of the ids that name no (unerased) contact."""
    return [row["id"] for row in await conn.fetch(Q["unknown_contacts"], contact_ids)]


async def replace_embargo_list(
    conn: asyncpg.Connection, release_id: UUID, contact_ids: list[UUID]
) -> None:
    await conn.execute(Q["replace_embargo_list"], release_id, contact_ids)


async def accredited_until(conn: asyncpg.Connection, contact_id: UUID) -> date | None:
    value: date | None = await conn.fetchval(Q["accredited_until"], contact_id)
    return value


async def record_embargo_reads(
    conn: asyncpg.Connection, contact_id: UUID, token_id: UUID | None, release_ids: list[UUID]
) -> None:
    if release_ids:
        await conn.execute(Q["record_embargo_reads"], contact_id, token_id, release_ids)


async def list_embargo_reads(
    conn: asyncpg.Connection,
    release_id: UUID,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> list[EmbargoRead]:
    """Who read the release under embargo, newest first, after the (at, id) position
    `after`; every read without `limit`."""
    rows = await conn.fetch(Q["list_embargo_reads"], release_id, *_position(after), limit)
    return records_to(EmbargoRead, rows)


async def release_exists(conn: asyncpg.Connection, release_id: UUID) -> bool:
    return bool(await conn.fetchval(Q["release_exists"], release_id))


async def insert_webhook(conn: asyncpg.Connection, **fields: Any) -> asyncpg.Record | None:
    """The new webhook; None when its form key (`form_key`, optional) made one already."""
    row: asyncpg.Record | None = await conn.fetchrow(
        Q["insert_webhook"],
        fields["url"],
        fields["description"],
        fields["event_types"],
        fields["secret"],
        fields["active"],
        fields["created_by"],
        fields.get("form_key"),
    )
    return row


async def fetch_webhook_by_form_key(
    conn: asyncpg.Connection, form_key: str
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_webhook_by_form_key"], form_key)
    return row


async def list_webhooks(
    conn: asyncpg.Connection,
    *,
    after: tuple[datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """Subscriptions, oldest first, after the (created_at, id) position `after`; all of them
    without `limit`."""
    return list(await conn.fetch(Q["list_webhooks"], *_position(after), limit))


async def fetch_webhook(conn: asyncpg.Connection, webhook_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_webhook"], webhook_id)
    return row


async def update_webhook(
    conn: asyncpg.Connection, webhook_id: UUID, **fields: Any
) -> asyncpg.Record:
    row: asyncpg.Record = await conn.fetchrow(
        Q["update_webhook"],
        webhook_id,
        fields["url"],
        fields["description"],
        fields["event_types"],
        fields["secret"],
        fields["active"],
    )
    return row


async def delete_webhook(conn: asyncpg.Connection, webhook_id: UUID) -> bool:
    return await conn.fetchval(Q["delete_webhook"], webhook_id) is not None


async def read_outbox(
    conn: asyncpg.Connection, consumer: str, batch: int
) -> list[asyncpg.Record] | None:
    """Inside a transaction (READ COMMITTED: the position is read after the claim, on a
    snapshot of its own): claim `consumer`'s position and read up to `batch` final events
    after it (id, txid, seq), in order; None if another instance holds the position."""
    if not await conn.fetchval(Q["claim_outbox_consumer"], consumer):
        return None
    position = await conn.fetchrow(Q["outbox_position"], consumer)
    if position is None:
        return None
    after = (position["last_txid"], position["last_seq"])
    return list(await conn.fetch(Q["next_outbox_events"], *after, batch))


async def advance_outbox(conn: asyncpg.Connection, consumer: str, last: asyncpg.Record) -> None:
    """Move `consumer`'s position past the event `last` (as read_outbox returned it)."""
    await conn.execute(Q["advance_outbox_consumer"], consumer, last["txid"], last["seq"])


async def fan_out_outbox(conn: asyncpg.Connection, batch: int) -> int | None:
    """Turn new outbox events into deliveries for matching subscriptions; call inside a
    transaction. Returns how many events were read, or None if another instance is at it."""
    events = await read_outbox(conn, WEBHOOK_CONSUMER, batch)
    if events:
        await conn.execute(Q["insert_deliveries"], [e["id"] for e in events])
        await advance_outbox(conn, WEBHOOK_CONSUMER, events[-1])
    return None if events is None else len(events)


async def claim_deliveries(
    conn: asyncpg.Connection, limit: int, lease_seconds: float
) -> list[ClaimedDelivery]:
    rows = await conn.fetch(Q["claim_deliveries"], limit, lease_seconds)
    return records_to(ClaimedDelivery, rows)


async def record_delivery_attempt(
    conn: asyncpg.Connection,
    delivery_id: UUID,
    *,
    state: str,
    retry_in: float,
    status: int | None,
    error: str | None,
    duration_ms: int,
) -> None:
    await conn.execute(
        Q["record_delivery_attempt"], delivery_id, state, retry_in, status, error, duration_ms
    )


async def list_deliveries(
    conn: asyncpg.Connection,
    webhook_id: UUID,
    delivery_state: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[Delivery]:
    rows = await conn.fetch(
        Q["list_deliveries"],
        webhook_id,
        delivery_state,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )
    return records_to(Delivery, rows)


async def retry_delivery(conn: asyncpg.Connection, webhook_id: UUID, delivery_id: UUID) -> bool:
    return await conn.fetchval(Q["retry_delivery"], delivery_id, webhook_id) is not None


async def webhook_backlog(conn: asyncpg.Connection) -> tuple[int, int]:
    row = await conn.fetchrow(Q["webhook_backlog"])
    return int(row["pending"]), int(row["failed"])


async def accredited_journalists(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Everyone who may read under embargo today, by name."""
    return list(await conn.fetch(Q["accredited_journalists"]))


def _position(after: tuple[datetime, Any] | None) -> tuple[datetime | None, Any]:
    """A list's (time, id) position as two query parameters, both NULL for the first page."""
    return after if after is not None else (None, None)
