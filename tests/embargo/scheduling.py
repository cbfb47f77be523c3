"""Releases put straight into the database, on the database clock, for the lift tests."""

from __future__ import annotations

import secrets
from uuid import UUID

import asyncpg

_INSERT = """
WITH r AS (
    INSERT INTO releases (source, state, publish_at, embargo, embargo_terms)
    VALUES ('city-board', $1, statement_timestamp() + make_interval(secs => $2), $3, $4)
    RETURNING id
)
INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
SELECT r.id, 'fi', $5, 'Ingressi.', 'Leipäteksti.', '<p>Leipäteksti.</p>', $6 FROM r
RETURNING release_id
"""


async def scheduled_release(
    conn: asyncpg.Connection,
    in_seconds: float,
    *,
    embargo: bool = False,
    title: str | None = None,
    state: str = "scheduled",
) -> UUID:
    """A release scheduled `in_seconds` from now by the database clock (negative: overdue)."""
    title = title or f"Tiedote {secrets.token_hex(4)}"
    slug = f"tiedote-{secrets.token_hex(6)}"
    terms = "Not to be published before the lift time." if embargo else ""
    release_id: UUID = await conn.fetchval(
        _INSERT, state, float(in_seconds), embargo, terms, title, slug
    )
    return release_id


async def published_events(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT aggregate_id, dedupe_key, payload, created_at FROM outbox"
            " WHERE event_type = 'release.published' ORDER BY txid, seq"
        )
    )


async def release_state(conn: asyncpg.Connection, release_id: UUID) -> str | None:
    state: str | None = await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id)
    return state
