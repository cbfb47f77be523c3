"""What staff do to press events: each function is one transaction's worth of work.

Each checks the role, changes the row, writes the audit entry and the outbox event on the
caller's connection, so they commit or roll back together.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import asyncpg
import msgspec

from press.conditional import version_etag
from press.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from press.events import repository
from press.events.schemas import Event, EventCreate, EventUpdate
from press.outbox import add_event
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

# A change to any of these must reach subscribed calendars: SEQUENCE goes up (RFC 5546).
CALENDAR_FIELDS = frozenset(
    {"translations", "starts_at", "ends_at", "timezone", "location", "online_url", "status"}
)
_UNTRACKED = {"updated_at", "version", "sequence"}


def event_etag(event: Event) -> str:
    return version_etag(event.id, event.version)


def check_event(event: Event | EventCreate) -> None:
    """422 for an event that ends before it starts or names no known time zone."""
    if event.ends_at < event.starts_at:
        raise InvalidInput(
            "ends_at is before starts_at",
            errors=[{"key": "ends_at", "message": "before starts_at"}],
        )
    try:
        ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone {event.timezone!r} is not a known time zone (e.g. Europe/Helsinki)",
            errors=[{"key": "timezone", "message": "unknown time zone"}],
        ) from None
    location = event.location
    if (location.latitude is None) != (location.longitude is None):
        raise InvalidInput(
            "give both latitude and longitude, or neither",
            errors=[{"key": "location", "message": "incomplete coordinates"}],
        )


def diff(before: Event, after: Event) -> dict[str, Any]:
    old, new = msgspec.to_builtins(before), msgspec.to_builtins(after)
    return {
        key: {"from": old[key], "to": new[key]}
        for key in new
        if key not in _UNTRACKED and old.get(key) != new[key]
    }


async def load(conn: asyncpg.Connection, event_id: UUID, *, lock: bool = False) -> Event:
    event = await repository.fetch_event(conn, event_id, lock=lock)
    if event is None:
        raise NotFound("No event has this id.")
    return event


async def _event(conn: asyncpg.Connection, event_type: str, event: Event, key: str) -> None:
    payload = {
        "id": str(event.id),
        "version": event.version,
        "sequence": event.sequence,
        "status": event.status,
        "starts_at": event.starts_at.isoformat(),
        # Consumers hold the news of a hidden event until it is visible.
        "visible_from": event.visible_from.isoformat() if event.visible_from else None,
    }
    await add_event(conn, event_type, event.id, key, payload)


async def create_event(conn: asyncpg.Connection, data: EventCreate, user: StaffUser) -> Event:
    require(user, Role.editor, "write events")
    check_event(data)
    await repository.check_references(conn, data.releases, data.contact, data.source)
    event = await load(conn, await repository.insert_event(conn, data, user.id))
    await record_audit(
        conn, user, "event.create", "event", event.id, {"created": msgspec.to_builtins(event)}
    )
    await _event(conn, "event.created", event, f"event.created:{event.id}")
    return event


def apply_update(event: Event, data: EventUpdate) -> Event:
    """The event with a partial change applied. Pure."""
    changes = {
        field: getattr(data, field)
        for field in data.__struct_fields__
        if getattr(data, field) is not msgspec.UNSET
    }
    if "translations" in changes:
        merged = dict(event.translations)
        for lang, text in changes["translations"].items():
            if text is None:
                merged.pop(lang, None)
            else:
                merged[lang] = text
        if not merged:
            raise InvalidInput(
                "an event needs at least one language",
                errors=[{"key": "translations", "message": "empty"}],
            )
        changes["translations"] = merged
    return msgspec.structs.replace(event, **changes)


async def update_event(
    conn: asyncpg.Connection,
    event_id: UUID,
    data: EventUpdate,
    user: StaffUser,
    if_match: str | None,
) -> Event:
    require(user, Role.editor, "edit events")
    before = await load(conn, event_id, lock=True)
    if if_match is None:
        raise PreconditionRequired()
    if if_match.strip().removeprefix("W/") != event_etag(before):
        raise PreconditionFailed()
    after = apply_update(before, data)
    check_event(after)
    changes = diff(before, after)
    if not changes:
        return before
    if data.releases is not msgspec.UNSET or data.contact is not msgspec.UNSET:
        await repository.check_references(conn, after.releases, after.contact)
    if "source" in changes:
        await repository.check_references(conn, [], None, after.source)
    await repository.update_event(conn, after, resequence=bool(CALENDAR_FIELDS & set(changes)))
    event = await load(conn, event_id)
    await record_audit(conn, user, "event.update", "event", event.id, changes)
    cancelled = before.status != "cancelled" and event.status == "cancelled"
    event_type = "event.cancelled" if cancelled else "event.updated"
    await _event(conn, event_type, event, f"{event_type}:{event.id}:{event.version}")
    return event


async def delete_event(conn: asyncpg.Connection, event_id: UUID, user: StaffUser) -> None:
    """Delete an event no one outside has seen; a public one is cancelled instead, so that
    subscribed calendars learn it is off."""
    require(user, Role.editor, "delete events")
    event = await load(conn, event_id, lock=True)
    if await repository.event_is_public_now(conn, event_id):
        raise Conflict("This event is public: cancel it (status cancelled) instead.")
    await repository.delete_event(conn, event_id)
    await record_audit(
        conn, user, "event.delete", "event", event.id, {"deleted": msgspec.to_builtins(event)}
    )
