"""Files, attachments, the archive counts and search in PostgreSQL: the only SQL callers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from press.archive.search import SearchQuery
from press.db import queries_beside

Q = queries_beside(__file__)
# Up to this many matches, all are ranked; beyond, the newest SEARCH_CANDIDATES are. Walking
# the newest releases for candidates costs about SEARCH_CANDIDATES / density probes, so the
# walk is used only when matches are dense enough to end it soon.
EVERY_MATCH_LIMIT = 1000
SEARCH_CANDIDATES = 300
# A word with RECENT_MATCHES matches among the RECENT_PROBE newest translations is common
# (2 %: the walk for SEARCH_CANDIDATES then ends within about 15,000 rows, sooner than
# counting its matches in the full-text index would take).
RECENT_PROBE = 3000
RECENT_MATCHES = 60


async def insert_file(conn: asyncpg.Connection, **values: Any) -> UUID:
    file_id: UUID = await conn.fetchval(
        Q["insert_file"],
        values["sha256"],
        values["size"],
        values["public_sha256"],
        values["public_size"],
        values["content_type"],
        values["filename"],
        values["width"],
        values["height"],
        values["created_by"],
    )
    return file_id


async def fetch_file(
    conn: asyncpg.Connection, file_id: UUID, *, lock: bool = False
) -> asyncpg.Record | None:
    if lock and await conn.fetchval(Q["lock_file"], file_id) is None:
        return None
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_file"], file_id)
    return row


async def list_files(
    conn: asyncpg.Connection,
    collection: str | None,
    release_id: UUID | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            Q["list_files"],
            collection,
            release_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    )


async def update_file(conn: asyncpg.Connection, file_id: UUID, values: dict[str, Any]) -> None:
    await conn.execute(
        Q["update_file"],
        file_id,
        values["filename"],
        values["title"],
        values["caption"],
        values["alt"],
        values["credit"],
        values["licence"],
        values["taken_at"],
        values["collection"],
        values["public"],
    )


async def collection_exists(conn: asyncpg.Connection, slug: str) -> bool:
    return bool(await conn.fetchval(Q["collection_exists"], slug))


async def attach_file(
    conn: asyncpg.Connection, release_id: UUID, file_id: UUID, position: int | None
) -> None:
    await conn.execute(Q["attach_file"], release_id, file_id, position)


async def detach_file(conn: asyncpg.Connection, release_id: UUID, file_id: UUID) -> bool:
    status: str = await conn.execute(Q["detach_file"], release_id, file_id)
    return status != "DELETE 0"


async def delete_file(conn: asyncpg.Connection, file_id: UUID) -> asyncpg.Record | None:
    """Delete the file's row and attachments; its objects' keys, or None if there was none."""
    row: asyncpg.Record | None = await conn.fetchrow(Q["delete_file"], file_id)
    return row


async def replace_public_copy(
    conn: asyncpg.Connection, file_id: UUID, sha256: str, size: int
) -> None:
    await conn.execute(Q["replace_public_copy"], file_id, sha256, size)


async def files_with_public_copies(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["files_with_public_copies"]))


async def hold_object_removal(conn: asyncpg.Connection) -> None:
    """For a backup: no object is removed until `release_object_removal` on this session
    (waits for a removal under way to commit)."""
    await conn.execute(Q["hold_object_removal"])


async def release_object_removal(conn: asyncpg.Connection) -> None:
    await conn.execute(Q["release_object_removal"])


async def may_remove_objects(conn: asyncpg.Connection) -> bool:
    """Whether objects may be removed in this transaction: False while a backup runs."""
    return bool(await conn.fetchval(Q["try_object_removal"]))


async def wait_to_remove_objects(conn: asyncpg.Connection) -> None:
    """Wait until no backup runs; objects may then be removed until this transaction ends."""
    await conn.execute(Q["wait_for_object_removal"])


async def objects_in_use(conn: asyncpg.Connection) -> list[str]:
    return [row["sha256"] for row in await conn.fetch(Q["objects_in_use"])]


async def lock_objects(conn: asyncpg.Connection, keys: list[str]) -> None:
    """Lock these objects until commit, in key order (two lockers never wait on each other
    in a circle)."""
    for key in sorted(set(keys)):
        await conn.execute(Q["lock_object"], key)


async def object_in_use(conn: asyncpg.Connection, sha256: str) -> bool:
    return bool(await conn.fetchval(Q["object_in_use"], sha256))


async def objects_not_in_use(conn: asyncpg.Connection, keys: list[str]) -> list[str]:
    """Those of these object keys that no file points at, in key order."""
    return [r["sha256"] for r in await conn.fetch(Q["objects_not_in_use"], keys)]


async def deleted_objects(conn: asyncpg.Connection, event_ids: list[UUID]) -> list[str]:
    return [r["sha256"] for r in await conn.fetch(Q["deleted_objects"], event_ids)]


async def release_for_attachment(
    conn: asyncpg.Connection, release_id: UUID
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["release_for_attachment"], release_id)
    return row


async def releases_of_file(conn: asyncpg.Connection, file_id: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["releases_of_file"], file_id))


async def images_missing_alt(conn: asyncpg.Connection, release_id: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["images_missing_alt"], release_id))


def like_pattern(word: str) -> str:
    """`word` as a LIKE pattern that matches it literally (its % and _ are not wildcards)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_reusable_photos(
    conn: asyncpg.Connection, words: list[str], release_id: UUID, limit: int
) -> list[asyncpg.Record]:
    """Photos of the archive holding every one of `words`, not yet attached to the release."""
    patterns = [like_pattern(w) for w in words]
    return list(await conn.fetch(Q["search_reusable_photos"], patterns, release_id, limit))


async def fetch_public_file(conn: asyncpg.Connection, file_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_public_file"], file_id)
    return row


async def fetch_embargoed_file(
    conn: asyncpg.Connection, file_id: UUID, contact_id: UUID
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_embargoed_file"], file_id, contact_id)
    return row


async def embargoed_releases_of_file(
    conn: asyncpg.Connection, file_id: UUID, contact_id: UUID
) -> list[UUID]:
    rows = await conn.fetch(Q["embargoed_releases_of_file"], file_id, contact_id)
    return [r[0] for r in rows]


async def fetch_press_kit_release(
    conn: asyncpg.Connection, release_id: UUID
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_press_kit_release"], release_id)
    return row


async def list_press_kit_files(conn: asyncpg.Connection, release_id: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["list_press_kit_files"], release_id))


async def list_public_release_files(
    conn: asyncpg.Connection,
    release_id: UUID,
    *,
    after: tuple[int, datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """A public release's files in order, after the (position, created_at, id) position
    `after`; all of them without `limit`."""
    position = after if after is not None else (None, None, None)
    return list(await conn.fetch(Q["list_public_release_files"], release_id, *position, limit))


async def list_release_thumbnails(
    conn: asyncpg.Connection, release_ids: list[UUID]
) -> dict[UUID, asyncpg.Record]:
    """The first photo of each public release among `release_ids` that has one."""
    rows = await conn.fetch(Q["list_release_thumbnails"], release_ids)
    return {row["release_id"]: row for row in rows}


async def list_media_bank(
    conn: asyncpg.Connection,
    collection: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            Q["list_media_bank"],
            collection,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    )


async def archive_counts(
    conn: asyncpg.Connection, source: str | None, lang: str | None, timezone: str
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q["archive_counts"], source, lang, timezone))


async def search_public_page(
    conn: asyncpg.Connection,
    query: SearchQuery,
    *,
    source: str | None,
    topic: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    after: tuple[float, datetime, UUID] | None,
    limit: int,
    languages: list[str],
) -> list[asyncpg.Record]:
    """Up to `limit` ranked hits, best first: public_release_documents rows with their `rank`
    and, for all but the last of a full page, a `snippet` (HTML, encoded as a JSON string)
    from the first of `languages` each is written in, that language as `snippet_lang` (see
    the query for how candidates are found)."""
    # Planned for its own words each time: a cached generic plan cannot know whether they
    # are common or rare, and was several times slower. And never a sequential scan: to count
    # the matches of a word it believes common, PostgreSQL would rather scan the table until
    # it has seen enough of them than read the full-text index; that is fast when the word
    # is common all over the table and 10-50 times slower when it is not (where the scan
    # starts varies: concurrent scans of a table share their position).
    if not conn.is_in_transaction():
        # SET LOCAL outside a transaction is ignored (with a warning): the search would run
        # on a generic plan with sequential scans, several times slower.
        raise RuntimeError("search_public_page runs in a transaction (a snapshot)")
    await conn.execute(
        "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off"
    )
    return list(
        await conn.fetch(
            Q["search_public_page"],
            query.fi,
            query.sv,
            query.en,
            source,
            topic,
            since,
            until,
            *(after if after else (None, None, None)),
            limit,
            lang,
            languages,
            SEARCH_CANDIDATES,
            EVERY_MATCH_LIMIT,
            RECENT_PROBE,
            RECENT_MATCHES,
        )
    )
