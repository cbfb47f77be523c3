"""Press events in PostgreSQL: the only code that runs the events' SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.db import queries_beside
from press.errors import InvalidInput
from press.events.schemas import Event, EventCreate
from press.releases import repository as releases_repository

Q = queries_beside(__file__)


def _event(row: asyncpg.Record) -> Event:
    data = dict(row)
    data["location"] = {
        "name": data.pop("location_name"),
        "address": data.pop("location_address"),
        "latitude": data.pop("latitude"),
        "longitude": data.pop("longitude"),
    }
    data["releases"] = data.pop("release_ids")
    data["contact"] = data.pop("contact_id")
    return msgspec.convert(data, Event, strict=False)


async def check_references(
    conn: asyncpg.Connection,
    releases: list[UUID],
    contact: UUID | None,
    source: str | None = None,
) -> None:
    """422 naming unknown related releases, an unknown contact person or source."""
    if releases:
        unknown = [str(r[0]) for r in await conn.fetch(Q["unknown_releases"], releases)]
        if unknown:
            raise InvalidInput(
                f"unknown releases: {', '.join(unknown)}",
                errors=[{"key": "releases", "message": "unknown release"}],
            )
    if contact is not None or source is not None:
        contacts = [contact] if contact is not None else None
        await releases_repository.check_references(conn, source, None, contacts)


def _columns(event: Event | EventCreate) -> list[Any]:
    location = event.location
    return [
        event.source,
        msgspec.to_builtins(event.translations),
        event.starts_at,
        event.ends_at,
        event.timezone,
        location.name,
        location.address,
        location.latitude,
        location.longitude,
        event.online_url,
        event.accreditation_required,
        list(dict.fromkeys(event.releases)),
        event.contact,
    ]


async def insert_event(conn: asyncpg.Connection, data: EventCreate, author: UUID) -> UUID:
    event_id: UUID = await conn.fetchval(
        Q["insert_event"], *_columns(data), data.visible_from, author
    )
    return event_id


async def fetch_event(
    conn: asyncpg.Connection, event_id: UUID, *, lock: bool = False
) -> Event | None:
    row = await conn.fetchrow(Q["lock_event" if lock else "fetch_event"], event_id)
    return _event(row) if row else None


async def list_events(
    conn: asyncpg.Connection, source: str | None, after: tuple[datetime, UUID] | None, limit: int
) -> list[Event]:
    rows = await conn.fetch(
        Q["list_events"], source, after[0] if after else None, after[1] if after else None, limit
    )
    return [_event(r) for r in rows]


async def update_event(conn: asyncpg.Connection, event: Event, *, resequence: bool) -> None:
    await conn.execute(
        Q["update_event"],
        event.id,
        *_columns(event),
        event.status,
        event.visible_from,
        resequence,
    )


async def delete_event(conn: asyncpg.Connection, event_id: UUID) -> None:
    await conn.execute(Q["delete_event"], event_id)


async def event_is_public_now(conn: asyncpg.Connection, event_id: UUID) -> bool:
    return bool(await conn.fetchval(Q["event_is_public_now"], event_id))


async def list_public_events(
    conn: asyncpg.Connection,
    *,
    starts_from: datetime | None,
    until: datetime | None,
    source: str | None,
    lang: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            Q["list_public_events"],
            starts_from,
            until,
            source,
            lang,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )
    )


async def fetch_public_event(conn: asyncpg.Connection, event_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(Q["fetch_public_event"], event_id)
    return row


async def seconds_to_next_event_reveal(conn: asyncpg.Connection) -> float | None:
    seconds: float | None = await conn.fetchval(Q["seconds_to_next_event_reveal"])
    return seconds


async def list_events_ahead(conn: asyncpg.Connection, limit: int) -> list[Event]:
    return [_event(r) for r in await conn.fetch(Q["list_events_ahead"], limit)]


async def list_events_past(conn: asyncpg.Connection, limit: int) -> list[Event]:
    return [_event(r) for r in await conn.fetch(Q["list_events_past"], limit)]
