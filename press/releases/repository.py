"""Releases in PostgreSQL: the only code that runs the releases' SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

import asyncpg
import msgspec

from press.db import queries_beside
from press.errors import InvalidInput
from press.releases.render import render_markdown, slugify
from press.releases.schemas import (
    Decision,
    Release,
    ReleaseCreate,
    Revision,
    TranslationIn,
)

if TYPE_CHECKING:
    from press.public_cache import PublicCache

Q = queries_beside(__file__)


def _release(row: asyncpg.Record) -> Release:
    data = dict(row)
    data["decision"] = (
        {"id": data["decision_id"], "url": data["decision_url"]} if data["decision_id"] else None
    )
    return msgspec.convert(data, Release, strict=False)


async def check_references(
    conn: asyncpg.Connection,
    source: str | None,
    topics: list[str] | None,
    contacts: list[UUID] | None,
) -> None:
    """422 naming the unknown source, topics or contacts of a write."""
    if source is not None and not await conn.fetchval(Q["source_exists"], source):
        raise InvalidInput(
            f"source {source!r} is not one of ours; see GET /api/v1/sources",
            errors=[{"key": "source", "message": "unknown source"}],
        )
    if topics:
        unknown = [r[0] for r in await conn.fetch(Q["unknown_topics"], topics)]
        if unknown:
            raise InvalidInput(
                f"unknown topics: {', '.join(unknown)}; see GET /api/v1/topics",
                errors=[{"key": "topics", "message": "unknown topic"}],
            )
    if contacts:
        missing = [str(r[0]) for r in await conn.fetch(Q["unknown_contacts"], contacts)]
        if missing:
            raise InvalidInput(
                f"unknown media contacts: {', '.join(missing)}",
                errors=[{"key": "contacts", "message": "unknown contact"}],
            )


async def create_release(conn: asyncpg.Connection, data: ReleaseCreate, author: UUID) -> UUID:
    await check_references(conn, data.source, data.topics, data.contacts)
    decision = data.decision
    release_id: UUID = await conn.fetchval(
        Q["insert_release"],
        data.source,
        decision.id if decision else None,
        decision.url if decision else None,
        data.embargo_terms,
        author,
    )
    for lang, text in data.translations.items():
        await put_translation(conn, release_id, lang, text)
    await replace_topics(conn, release_id, data.topics)
    await replace_contacts(conn, release_id, data.contacts)
    return release_id


async def put_translation(
    conn: asyncpg.Connection,
    release_id: UUID,
    lang: str,
    text: TranslationIn,
    keep_slug: str | None = None,
) -> None:
    # A new slug is tentative (the title's, whoever else has it) until `settle_slugs`.
    slug = keep_slug or slugify(text.title)
    await conn.execute(
        Q["upsert_translation"],
        release_id,
        lang,
        text.title,
        text.lead,
        text.body,
        render_markdown(text.body),
        slug,
    )


def _suffixed(slug: str, release_id: UUID) -> str:
    return f"{slug}-{release_id.hex[:8]}"


def _base(slug: str, release_id: UUID) -> str:
    """The slug a translation asks for: its own without the piece of its own id."""
    return slug.removesuffix("-" + release_id.hex[:8])


async def settle_slugs(
    conn: asyncpg.Connection, release_id: UUID, *, published_now: bool = False
) -> None:
    """Give a release's translations their slugs for where its state now leaves it
    (docs/decisions.md, "Slugs"): a public release or a tombstone keeps its own; a scheduled
    one, and one `published_now`, takes the title's slug unless a release public before it
    holds it, when it takes a piece of its own id after it; any other release claims none,
    and its slug is the title's, tentative. Every release sharing a slug with this one is
    settled again, so that a scheduled release's slug is always the one it will lift with."""
    for row in await conn.fetch(Q["release_slug_claims"], release_id):
        lang, base = row["lang"], _base(row["slug"], release_id)
        await conn.execute(Q["lock_slug"], lang, base)
        if not row["claims"]:
            await conn.execute(Q["set_slug"], [release_id], lang, [base], False)
        await _settle_slug(conn, lang, base, release_id if published_now else None)


async def _settle_slug(
    conn: asyncpg.Connection, lang: str, base: str, published_now: UUID | None
) -> None:
    taken: set[str] = set()
    ids: list[UUID] = []
    slugs: list[str] = []
    for row in await conn.fetch(Q["slug_claimants"], lang, base, published_now):
        owner, slug = row["release_id"], row["slug"]
        if slug not in (base, _suffixed(base, owner)):
            continue  # another slug's: one with a suffix of its own that looks like ours
        if row["settled"]:
            taken.add(slug)
            continue
        slug = base if base not in taken else _suffixed(base, owner)
        taken.add(slug)
        ids.append(owner)
        slugs.append(slug)
    # Let go first, then claim: a slug may pass from one of these releases to another.
    await conn.execute(Q["set_slug"], ids, lang, None, False)
    await conn.execute(Q["set_slug"], ids, lang, slugs, True)


async def delete_translations(
    conn: asyncpg.Connection, release_id: UUID, langs: Sequence[str]
) -> None:
    await conn.execute(Q["delete_translations"], release_id, list(langs))


async def replace_topics(conn: asyncpg.Connection, release_id: UUID, topics: list[str]) -> None:
    await conn.execute(Q["replace_topics"], release_id, sorted(set(topics)))


async def replace_contacts(conn: asyncpg.Connection, release_id: UUID, ids: list[UUID]) -> None:
    await conn.execute(Q["replace_contacts"], release_id, list(dict.fromkeys(ids)))


async def fetch_release(
    conn: asyncpg.Connection, release_id: UUID, *, lock: bool = False
) -> tuple[Release, datetime] | None:
    """The release and the database's "now"; with lock, the row is held until commit."""
    if lock and await conn.fetchval(Q["lock_release"], release_id) is None:
        return None
    row = await conn.fetchrow(Q["fetch_release"], release_id)
    return (_release(row), row["db_now"]) if row else None


async def list_releases(
    conn: asyncpg.Connection,
    state: str | None,
    source: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> tuple[list[Release], datetime | None]:
    rows = await conn.fetch(
        Q["list_releases"],
        state,
        source,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )
    return [_release(r) for r in rows], (rows[0]["db_now"] if rows else None)


async def touch_public_releases(
    conn: asyncpg.Connection, release_ids: list[UUID]
) -> list[asyncpg.Record]:
    """Give the public ones among these releases a new version and `updated_at`; those."""
    return list(await conn.fetch(Q["touch_public_releases"], release_ids))


async def update_release_fields(
    conn: asyncpg.Connection,
    release_id: UUID,
    *,
    source: str,
    decision: Decision | None,
    embargo_terms: str,
    state: str,
    changed_by: UUID | None,
    needs_approval: bool,
) -> None:
    await conn.execute(
        Q["update_release_fields"],
        release_id,
        source,
        decision.id if decision else None,
        decision.url if decision else None,
        embargo_terms,
        state,
        changed_by,
        needs_approval,
    )


async def set_release_state(
    conn: asyncpg.Connection,
    release_id: UUID,
    state: str,
    *,
    publish_at: datetime | None,
    embargo: bool,
    promised_at: datetime | None,
    submitted_by: UUID | None = None,
    approved_by: UUID | None = None,
    reason: str | None = None,
    public_note: str | None = None,
) -> None:
    await conn.execute(
        Q["set_release_state"],
        release_id,
        state,
        publish_at,
        embargo,
        submitted_by,
        approved_by,
        reason,
        public_note,
        promised_at,
    )


async def hold_pending_change(
    conn: asyncpg.Connection,
    release_id: UUID,
    changes: dict[str, Any],
    note: str | None,
    proposed_by: UUID,
) -> bool:
    """Keep a change for approval; False when another one is waiting already."""
    held = await conn.fetchval(Q["hold_pending_change"], release_id, changes, note, proposed_by)
    return held is not None


async def drop_pending_change(conn: asyncpg.Connection, release_id: UUID) -> bool:
    return await conn.fetchval(Q["drop_pending_change"], release_id) is not None


async def insert_revision(
    conn: asyncpg.Connection, release: Release, kind: str, note: str, author: UUID | None
) -> None:
    snapshot = msgspec.to_builtins(release)
    snapshot.pop("allowed_actions", None)
    await conn.execute(
        Q["insert_revision"], release.id, release.version, kind, note, snapshot, author
    )


async def list_revisions(
    conn: asyncpg.Connection,
    release_id: UUID,
    *,
    before: int | None = None,
    limit: int | None = None,
) -> list[Revision]:
    """The release's revisions, newest first, older than id `before`; all of them without
    `limit`."""
    rows = await conn.fetch(Q["list_revisions"], release_id, before, limit)
    return msgspec.convert([dict(r) for r in rows], list[Revision], strict=False)


async def list_public_releases(
    conn: asyncpg.Connection,
    *,
    source: str | None,
    topic: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            Q["list_public_releases"],
            source,
            topic,
            lang,
            since,
            until,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    )


async def list_public_changes(
    conn: asyncpg.Connection,
    *,
    updated_since: datetime,
    source: str | None,
    topic: str | None,
    lang: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            Q["list_public_changes"],
            updated_since,
            source,
            topic,
            lang,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    )


async def fetch_public_release(
    conn: asyncpg.Connection, key: UUID | str, lang: str | None
) -> asyncpg.Record | None:
    if isinstance(key, UUID):
        row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_public_release"], key)
        return row
    slug_row: asyncpg.Record | None = await conn.fetchrow(
        Q["fetch_public_release_by_slug"], key, lang
    )
    return slug_row


async def seconds_to_next_lift(conn: asyncpg.Connection) -> float | None:
    seconds: float | None = await conn.fetchval(Q["seconds_to_next_lift"])
    return seconds


async def list_sources(
    conn: asyncpg.Connection,
    *,
    after: tuple[int, str] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """The sources in their order, after the (position, slug) position `after`; all of them
    without `limit`."""
    position = after if after is not None else (None, None)
    return list(await conn.fetch(Q["list_sources"], *position, limit))


async def list_topics(
    conn: asyncpg.Connection,
    *,
    after: tuple[int, str] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """The topics in their order, after the (position, slug) position `after`; all of them
    without `limit`."""
    position = after if after is not None else (None, None)
    return list(await conn.fetch(Q["list_topics"], *position, limit))


async def list_media_contacts(
    conn: asyncpg.Connection,
    *,
    after: tuple[int, str, UUID] | None = None,
    limit: int | None = None,
) -> list[asyncpg.Record]:
    """The media contacts in page order, after the (position, name, id) position `after`;
    all of them without `limit`."""
    position = after if after is not None else (None, None, None)
    return list(await conn.fetch(Q["list_media_contacts"], *position, limit))


class PublicLookups(NamedTuple):
    sources: dict[str, Any]
    topics: dict[str, Any]
    seconds_to_next_lift: float | None


def recalled_lookups(cache: PublicCache | None) -> PublicLookups | None:
    """The lookups a public cache build of this generation kept (`public_lookups`), if any."""
    if cache is not None and (kept := cache.recall("public_lookups")) is not None:
        (sources, topics), seconds = kept
        return PublicLookups(sources, topics, seconds)
    return None


def _lookups_of(row: asyncpg.Record) -> PublicLookups:
    """The lookups on a row of `public_lookups` or the first of a list with them."""
    return PublicLookups(
        row["lookup_sources"] or {}, row["lookup_topics"] or {}, row["seconds_to_next_lift"]
    )


def _keep_lookups(cache: PublicCache | None, found: PublicLookups) -> None:
    if cache is not None:
        cache.keep("public_lookups", (found.sources, found.topics), found.seconds_to_next_lift)


async def public_lookups(
    conn: asyncpg.Connection, cache: PublicCache | None = None
) -> PublicLookups:
    """Source and topic names and the seconds to the next lift; inside a public cache build,
    shared with the other builds until something public changes or the next lift."""
    if (kept := recalled_lookups(cache)) is not None:
        return kept
    found = _lookups_of(await conn.fetchrow(Q["public_lookups"]))
    _keep_lookups(cache, found)
    return found


async def list_public_releases_with_lookups(
    conn: asyncpg.Connection,
    cache: PublicCache | None,
    *,
    source: str | None,
    topic: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> tuple[PublicLookups, list[asyncpg.Record]]:
    """`public_lookups` and `list_public_releases` in one statement (shared with later builds
    as `public_lookups` shares them); just the rows when a build kept the lookups."""
    if (kept := recalled_lookups(cache)) is not None:
        rows = await list_public_releases(
            conn,
            source=source,
            topic=topic,
            lang=lang,
            since=since,
            until=until,
            after=after,
            limit=limit,
        )
        return kept, rows
    if (source, topic, lang, since, until, after) == (None, None, None, None, None, None):
        rows = await conn.fetch(Q["list_newest_public_releases_with_lookups"], limit)
    else:
        rows = await conn.fetch(
            Q["list_public_releases_with_lookups"],
            source,
            topic,
            lang,
            since,
            until,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    first = rows[0]
    found = _lookups_of(first)
    _keep_lookups(cache, found)
    return found, (list(rows) if first["id"] is not None else [])
