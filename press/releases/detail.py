"""One published release by id or slug: the lookup the JSON detail and the HTML page share."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar.datastructures import State

from press.errors import Gone, NotFound
from press.releases import repository
from press.releases.public import language_preference, to_public
from press.releases.schemas import PublicRelease

_SLUG = re.compile(r"[a-z0-9-]{1,100}")


def parse_key(key: str) -> UUID | str:
    """An id, or a slug; anything else cannot name a release."""
    try:
        return UUID(key)
    except ValueError:
        if not _SLUG.fullmatch(key):
            raise NotFound() from None
        return key


async def public_release(
    conn: asyncpg.Connection,
    state: State,
    lookup: UUID | str,
    lang: str | None,
    accept_language: str | None,
) -> tuple[PublicRelease, Any, float | None]:
    """The release in the reader's language, its row and the seconds to the next lift.
    NotFound for unknown, not yet public and withdrawn-before-lift ids alike; Gone (with the
    tombstone) for a withdrawn release."""
    row = await repository.fetch_public_release(conn, lookup, lang)
    if row is None:
        raise NotFound()
    # A slug is in one language: that language is what the reader asked for.
    chosen = lang or (row["slug_lang"] if isinstance(lookup, str) else None)
    preference = language_preference(chosen, accept_language)
    sources, topics, seconds = await repository.public_lookups(conn, state.public_cache)
    item = to_public(row, preference, sources, topics, state.settings.release_url)
    if row["state"] == "withdrawn":
        raise Gone("This release has been withdrawn.", tombstone=msgspec.to_builtins(item))
    assert isinstance(item, PublicRelease)
    return item, row, seconds
