"""The feeds' own SQL: the main images of releases, and embargoed releases.

The entries of a public feed come from the releases' public list query itself
(`press.releases.repository.list_public_releases`): one visibility predicate for both.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from press.db import queries_beside

Q = queries_beside(__file__)


async def main_images(
    conn: asyncpg.Connection, release_ids: list[UUID]
) -> dict[UUID, asyncpg.Record]:
    """The first image file of each release that has one."""
    rows = await conn.fetch(Q["main_images"], release_ids)
    return {row["release_id"]: row for row in rows}


async def list_embargoed_releases(
    conn: asyncpg.Connection,
    contact_id: UUID,
    source: str | None,
    topic: str | None,
    lang: str | None,
    limit: int,
) -> list[asyncpg.Record]:
    """The releases under embargo this journalist may have, soonest lift first."""
    return list(
        await conn.fetch(Q["list_embargoed_releases"], source, topic, lang, limit, contact_id)
    )
