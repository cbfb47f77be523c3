"""The mail queue in PostgreSQL: expanding outbox events into one delivery per recipient.

The consumer keeps its own record of what it has expanded (mail_outbox_events); it never
locks, changes or deletes outbox rows, which the webhook dispatcher reads as well. An event
is expanded in one transaction with its record, and (event, contact) is unique, so a crash
or a second consumer can never queue the same mail twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg

from press.db import queries_beside
from press.delivery.language import choose_language

Q = queries_beside(__file__)
log = logging.getLogger("press.delivery")


async def expand_pending_events(conn: asyncpg.Connection, limit: int = 20) -> int:
    """Expand up to `limit` outbox events into queued mail; return how many were expanded."""
    return await expand_events(conn, Q["unexpanded_events"], _expand, limit)


async def expand_events(
    conn: asyncpg.Connection,
    unexpanded: str,
    expand: Callable[[asyncpg.Connection, asyncpg.Record], Awaitable[int]],
    limit: int,
) -> int:
    """Expand the events the query `unexpanded` finds with `expand`, each in a transaction
    with its record in mail_outbox_events (which both kinds of mail share)."""
    expanded = 0
    for event in await conn.fetch(unexpanded, limit):
        async with conn.transaction():
            if await conn.fetchval(Q["claim_event"], event["id"], event["event_type"]) is None:
                continue
            count = await expand(conn, event)
            await conn.execute(Q["record_expansion"], event["id"], count)
        expanded += 1
        log.info("mail queued for %s %s: %d recipients", event["event_type"], event["id"], count)
    return expanded


async def _expand(conn: asyncpg.Connection, event: asyncpg.Record) -> int:
    payload: dict[str, Any] = event["payload"] or {}
    release_id = event["aggregate_id"] or payload.get("id")
    if release_id is None:  # not an event press writes: nothing to mail, and the round goes on
        log.warning("outbox event %s names no release; nothing mailed", event["id"])
        return 0
    release_id = UUID(str(release_id))
    embargoed = event["event_type"] == "release.embargoed"
    release = await conn.fetchrow(Q["mailable_release"], release_id, embargoed)
    if release is None:  # withdrawn, unscheduled or lifted since: nothing to send
        return 0
    recipients = await conn.fetch(
        Q["release_recipients"],
        release_id,
        release["source"],
        release["topics"],
        embargoed,
        bool(payload.get("embargo_list_changed")),
    )
    langs = list(release["langs"])
    ids = [r["id"] for r in recipients]
    chosen = [choose_language(r["preferences"], langs, r["country"]) for r in recipients]
    await conn.execute(Q["queue_release_mail"], event["id"], release_id, embargoed, ids, chosen)
    return len(ids)
