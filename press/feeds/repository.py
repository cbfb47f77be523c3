"""The feeds' own SQL: the main images of releases, embargoed releases, and the glance at a
public feed's page that tells whether its render is current.

The entries of a public feed come from the releases' public list query itself
(`press.releases.repository.list_public_releases`): one visibility predicate for both. The
glance chooses its page as that query does, reading ids and times only.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

import asyncpg

from press.db import queries_beside
from press.feeds.cache import feed_fingerprint

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


class FeedGlance(NamedTuple):
    fingerprint: Hashable
    seconds_to_next_lift: float | None


async def public_feed_glance(
    conn: asyncpg.Connection,
    *,
    source: str | None,
    topic: str | None,
    lang: str | None,
    after: tuple[datetime, UUID] | None,
    shown: int,
) -> FeedGlance:
    """The fingerprint of a public feed's page of `shown` entries (`feed_fingerprint`) and the
    seconds to the next lift, in one statement; no text of any release is read."""
    rows = await conn.fetch(
        Q["public_feed_glance"],
        source,
        topic,
        lang,
        after[0] if after else None,
        after[1] if after else None,
        shown + 1,
    )
    page = [r for r in rows if r["id"] is not None]  # an empty page is one row, the lift's
    fingerprint = feed_fingerprint(
        [
            (
                r["id"],
                r["modified_at"],
                None
                if r["image_id"] is None
                else (r["image_id"], r["filename"], r["content_type"], r["size"]),
            )
            for r in page[:shown]
        ],
        has_next=len(page) > shown,
    )
    return FeedGlance(fingerprint, rows[0]["seconds_to_next_lift"])
