"""The public release list when `q` is given: ranked hits with highlighted snippets.

Called by the releases list handler; the visibility rule is the same (public_releases and
public_release_documents), only the order differs: by rank, then newest, then id. The cursor
carries all three so that paging through equal ranks neither skips nor repeats a release.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Request

from press.archive import repository
from press.archive.search import search_query
from press.errors import InvalidInput
from press.pagination import cursor_position, next_link
from press.public_cache import Built, PublicCache
from press.releases import repository as releases
from press.releases.public import PUBLIC_LIST_PARAMETERS, to_public
from press.releases.schemas import PublicRelease
from press.settings import Settings

MAX_QUERY = 200


def search_cursor(cursor: str | None) -> tuple[float, datetime, UUID] | None:
    return cursor_position(cursor, tuple[float, datetime, UUID])


async def search_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    settings: Settings,
    *,
    q: str,
    source: str | None,
    topic: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    cursor: str | None,
    size: int,
    preference: list[str],
) -> Built | Callable[[], Built]:
    """The public list's page for a full-text query `q` (the list handler's other filters, and
    the reader's `preference` of languages, as `language_preference` gives it):
    read on `conn`, and a function that shapes what was read into the response body (or the
    page itself, when nothing was found)."""
    if len(q) > MAX_QUERY:
        raise InvalidInput(
            f"q must be at most {MAX_QUERY} characters",
            errors=[{"key": "q", "message": "too long"}],
        )
    query = search_query(q, lang)
    after = search_cursor(cursor)
    sources, topics, seconds = await releases.public_lookups(conn, request.app.state.public_cache)
    hits = []
    if not query.empty:
        hits = await repository.search_public_page(
            conn,
            query,
            source=source,
            topic=topic,
            lang=lang,
            since=since,
            until=until,
            after=after,
            limit=size + 1,
            languages=preference,
        )

    cache: PublicCache = request.app.state.public_cache
    languages = tuple(preference)

    def open_item(row: asyncpg.Record) -> tuple[bytes, str]:
        """The encoded PublicRelease of `row` without its closing brace (so without a
        snippet, the last field), and the language it is shown in."""
        item = to_public(row, preference, sources, topics, settings.release_url)
        assert isinstance(item, PublicRelease)
        return msgspec.json.encode(item)[:-1], item.lang

    def shape() -> Built:
        # The page as encoding a PublicReleasePage would give it, joined from each item's
        # kept encoding and its snippet, which the query returns as encoded JSON.
        rows = hits[:size]
        parts = [b'{"items":[']
        for row in rows:
            key = ("release", row["id"], row["modified_at"], languages)
            item, lang = cache.shaped(key, partial(open_item, row))
            snippet = row["snippet"] if row["snippet_lang"] == lang else b'""'
            parts += (item, b',"snippet":', snippet, b"},")
        if rows:
            parts[-1] = b"}"
        nxt = None
        if len(hits) > size:
            last = hits[size - 1]
            page_end = (last["rank"], last["publish_at"].isoformat(), str(last["id"]))
            nxt = next_link(request, *page_end, reads=PUBLIC_LIST_PARAMETERS)
        parts.append(b'],"next":' + msgspec.json.encode(nxt) + b"}")
        return Built(
            body=b"".join(parts),
            seconds_to_next_lift=seconds,
            last_modified=max((r["modified_at"] for r in rows), default=None),
        )

    return shape if hits else shape()  # nothing to shape: no reason to shape it later
