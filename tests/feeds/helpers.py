"""Builders shared by the feed and calendar tests."""

from __future__ import annotations

import secrets
from typing import Any

import asyncpg
import httpx

from press.embargo.journalists import journalist_token_digest, new_journalist_token
from press.feeds.cache import FeedCache


async def seed_public_releases(
    conn: asyncpg.Connection, count: int, *, lang: str = "fi", prefix: str = "Tiedote"
) -> list[str]:
    """`count` published releases, one an hour apart going back from an hour ago, straight
    in SQL (the workflow is tested elsewhere); returns their ids, newest first."""
    rows = await conn.fetch(
        """
        INSERT INTO releases (source, state, publish_at, updated_at)
        SELECT 'city-board', 'published', statement_timestamp() - make_interval(hours => n),
               statement_timestamp() - make_interval(hours => n)
        FROM generate_series(1, $1) AS n
        RETURNING id, publish_at
        """,
        count,
    )
    await conn.execute(
        """
        INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
        SELECT r.id, $2, $3 || ' ' || r.n, 'Ingressi ' || r.n, 'Teksti', '<p>Teksti</p>',
               'seed-' || replace(r.id::text, '-', '')
        FROM unnest($1::uuid[]) WITH ORDINALITY AS r (id, n)
        """,
        [r["id"] for r in rows],
        lang,
        prefix,
    )
    ordered = sorted(rows, key=lambda r: r["publish_at"], reverse=True)
    return [str(r["id"]) for r in ordered]


async def journalist_token(conn: asyncpg.Connection, *, accredited: bool = True) -> str:
    """A journalist with embargo access and a feed token for them; returns the token."""
    contact_id = await conn.fetchval(
        "INSERT INTO contacts (name, email, embargo_access) VALUES ($1, $2, $3) RETURNING id",
        "Toimittaja",
        f"reporter-{secrets.token_hex(3)}@news.example",
        accredited,
    )
    token = new_journalist_token("feed")
    await conn.execute(
        "INSERT INTO journalist_tokens (contact_id, token_hash, scope) VALUES ($1, $2, 'feed')",
        contact_id,
        journalist_token_digest(token),
    )
    return token


def feed_cache_of(client: httpx.AsyncClient) -> FeedCache:
    app: Any = client._transport.app  # type: ignore[attr-defined]
    cache: FeedCache = app.state["feed_cache"]
    return cache
