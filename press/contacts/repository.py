"""The registry's SQL: contacts, outlets, accreditation, consents, subscriptions and the
press office's media contacts. The only code running press/contacts/queries.sql."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from press.contacts.schemas import (
    AccreditationEvent,
    Consent,
    Contact,
    ContactCreate,
    NearDuplicate,
    Outlet,
    OutletLink,
    StaffMediaContact,
    Subscription,
    SubscriptionIn,
)
from press.db import queries_beside, record_to, records_to

Q = queries_beside(__file__)

# The columns `update_contact` writes, in its parameter order after the id.
CONTACT_COLUMNS = (
    "name", "email", "embargo_access", "accredited_until", "other_emails", "phones", "country",
    "languages", "beats", "sources", "notes", "tags", "lawful_basis", "status",
)  # fmt: skip


def email_hash(secret_key: str, email: str) -> bytes:
    """The suppression-list form of an address: HMAC-SHA256 keyed with the secret key, so a
    leaked list cannot be reversed by hashing a directory of addresses."""
    return hmac.new(secret_key.encode(), email.strip().lower().encode(), hashlib.sha256).digest()


async def create_contact(conn: asyncpg.Connection, data: ContactCreate) -> UUID:
    contact_id: UUID = await conn.fetchval(
        Q["create_contact"],
        data.name,
        data.email,
        data.embargo_access,
        data.accredited_until,
        data.other_emails,
        data.phones,
        data.country,
        data.languages,
        data.beats,
        data.sources,
        data.notes,
        data.tags,
        data.lawful_basis,
    )
    return contact_id


async def fetch_contact(conn: asyncpg.Connection, contact_id: UUID) -> Contact | None:
    row = await conn.fetchrow(Q["fetch_contact"], contact_id)
    return record_to(Contact, row) if row else None


async def lock_contact(conn: asyncpg.Connection, contact_id: UUID) -> bool:
    return await conn.fetchval(Q["lock_contact"], contact_id) is not None


async def update_contact(
    conn: asyncpg.Connection, contact_id: UUID, values: dict[str, Any]
) -> None:
    await conn.execute(Q["update_contact"], contact_id, *(values[c] for c in CONTACT_COLUMNS))


async def touch_contact(conn: asyncpg.Connection, contact_id: UUID) -> None:
    await conn.execute(Q["touch_contact"], contact_id)


async def set_contact_outlets(
    conn: asyncpg.Connection, contact_id: UUID, links: list[OutletLink]
) -> int:
    """Replace the contact's outlets; returns how many of the given outlets exist."""
    await conn.execute(Q["clear_contact_outlets"], contact_id)
    status = await conn.execute(
        Q["add_contact_outlets"],
        contact_id,
        [link.id for link in links],
        [link.role for link in links],
    )
    return int(status.split()[-1])


async def contact_with_emails(
    conn: asyncpg.Connection, emails: list[str], except_id: UUID | None = None
) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        Q["contacts_with_emails"], [e.lower() for e in emails], except_id
    )
    return found


async def near_duplicates(conn: asyncpg.Connection, contact_id: UUID) -> list[NearDuplicate]:
    return records_to(NearDuplicate, await conn.fetch(Q["near_duplicates"], contact_id))


async def list_contacts(
    conn: asyncpg.Connection,
    *,
    q: str | None,
    beat: str | None,
    source: str | None,
    language: str | None,
    country: str | None,
    accredited: bool | None,
    status: str | None,
    outlet: UUID | None,
    tag: str | None,
    after: tuple[str, UUID] | None,
    limit: int,
) -> list[Contact]:
    rows = await conn.fetch(
        Q["list_contacts"],
        q or None,
        beat,
        source,
        language,
        country,
        accredited,
        status,
        outlet,
        tag,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )
    return records_to(Contact, rows)


async def sort_key_of(conn: asyncpg.Connection, contact_id: UUID) -> str:
    key: str = await conn.fetchval(Q["sort_key_of"], contact_id)
    return key


async def delete_contact(conn: asyncpg.Connection, contact_id: UUID) -> None:
    await conn.execute(Q["delete_contact"], contact_id)


async def record_accreditation(
    conn: asyncpg.Connection,
    contact_id: UUID,
    kind: str,
    *,
    staff_id: UUID | None,
    evidence: str = "",
    verified_on: date | None = None,
    valid_until: date | None = None,
    reason: str = "",
) -> None:
    await conn.execute(
        Q["record_accreditation"],
        contact_id,
        kind,
        evidence,
        staff_id,
        verified_on,
        valid_until,
        reason,
    )


async def list_accreditation(
    conn: asyncpg.Connection,
    contact_id: UUID,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[AccreditationEvent]:
    """The contact's accreditation events after id `after`, oldest first; all without
    `limit`."""
    rows = await conn.fetch(Q["list_accreditation"], contact_id, after, limit)
    return records_to(AccreditationEvent, rows)


async def set_accreditation(
    conn: asyncpg.Connection,
    contact_id: UUID,
    *,
    embargo_access: bool,
    accredited_until: date | None,
    suspended_at: datetime | None,
    suspension_reason: str | None,
) -> None:
    await conn.execute(
        Q["set_accreditation"],
        contact_id,
        embargo_access,
        accredited_until,
        suspended_at,
        suspension_reason,
    )


async def add_consent(
    conn: asyncpg.Connection,
    contact_id: UUID,
    purpose: str,
    text_version: str,
    channel: str,
    given_at: datetime | None,
) -> Consent:
    row = await conn.fetchrow(
        Q["add_consent"], contact_id, purpose, text_version, channel, given_at
    )
    return record_to(Consent, row)


async def list_consents(
    conn: asyncpg.Connection,
    contact_id: UUID,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Consent]:
    """The contact's consent records after id `after`, oldest first; all without `limit`."""
    return records_to(Consent, await conn.fetch(Q["list_consents"], contact_id, after, limit))


async def withdraw_consent(
    conn: asyncpg.Connection, contact_id: UUID, consent_id: int
) -> Consent | None:
    row = await conn.fetchrow(Q["withdraw_consent"], contact_id, consent_id)
    return record_to(Consent, row) if row else None


async def cancel_pending_deliveries(
    conn: asyncpg.Connection, contact_id: UUID, reason: str
) -> None:
    await conn.execute(Q["cancel_pending_deliveries"], contact_id, reason)


async def fetch_subscription(conn: asyncpg.Connection, contact_id: UUID) -> Subscription | None:
    row = await conn.fetchrow(Q["fetch_subscription"], contact_id)
    return record_to(Subscription, row) if row else None


async def put_subscription(
    conn: asyncpg.Connection, contact_id: UUID, data: SubscriptionIn
) -> Subscription:
    row = await conn.fetchrow(
        Q["put_subscription"],
        contact_id,
        data.sources,
        data.topics,
        data.languages,
        data.embargoed,
    )
    return record_to(Subscription, row)


async def is_suppressed(conn: asyncpg.Connection, hashes: list[bytes]) -> bool:
    return bool(await conn.fetchval(Q["is_suppressed"], hashes))


async def create_outlet(conn: asyncpg.Connection, values: dict[str, Any]) -> Outlet:
    row = await conn.fetchrow(
        Q["create_outlet"],
        values["name"],
        values["kind"],
        values["country"],
        values["languages"],
        values["website"],
    )
    return record_to(Outlet, row)


async def fetch_outlet(conn: asyncpg.Connection, outlet_id: UUID) -> Outlet | None:
    row = await conn.fetchrow(Q["fetch_outlet"], outlet_id)
    return record_to(Outlet, row) if row else None


async def outlet_by_name(conn: asyncpg.Connection, name: str) -> UUID | None:
    found: UUID | None = await conn.fetchval(Q["outlet_by_name"], name)
    return found


async def update_outlet(
    conn: asyncpg.Connection, outlet_id: UUID, values: dict[str, Any]
) -> Outlet:
    row = await conn.fetchrow(
        Q["update_outlet"],
        outlet_id,
        values["name"],
        values["kind"],
        values["country"],
        values["languages"],
        values["website"],
    )
    return record_to(Outlet, row)


async def delete_outlet(conn: asyncpg.Connection, outlet_id: UUID) -> bool:
    return await conn.fetchval(Q["delete_outlet"], outlet_id) is not None


async def list_outlets(
    conn: asyncpg.Connection,
    *,
    q: str | None,
    kind: str | None,
    country: str | None,
    after: tuple[str, UUID] | None,
    limit: int,
) -> list[Outlet]:
    rows = await conn.fetch(
        Q["list_outlets"],
        q or None,
        kind,
        country,
        after[0] if after else None,
        after[1] if after else None,
        limit,
    )
    return records_to(Outlet, rows)


async def outlet_sort_key(conn: asyncpg.Connection, outlet_id: UUID) -> str:
    key: str = await conn.fetchval(Q["outlet_sort_key"], outlet_id)
    return key


_MEDIA_COLUMNS = ("name", "title", "phone", "email", "topics", "languages", "position")


async def create_media_contact(
    conn: asyncpg.Connection, values: dict[str, Any]
) -> StaffMediaContact:
    row = await conn.fetchrow(Q["create_media_contact"], *(values[c] for c in _MEDIA_COLUMNS))
    return record_to(StaffMediaContact, row)


async def fetch_media_contact(
    conn: asyncpg.Connection, contact_id: UUID
) -> StaffMediaContact | None:
    row = await conn.fetchrow(Q["fetch_media_contact"], contact_id)
    return record_to(StaffMediaContact, row) if row else None


async def list_staff_media_contacts(
    conn: asyncpg.Connection,
    *,
    after: tuple[int, str, UUID] | None = None,
    limit: int | None = None,
) -> list[StaffMediaContact]:
    """The media contacts in page order, after the (position, name, id) position `after`;
    all of them without `limit`."""
    position = after if after is not None else (None, None, None)
    rows = await conn.fetch(Q["list_staff_media_contacts"], *position, limit)
    return records_to(StaffMediaContact, rows)


async def update_media_contact(
    conn: asyncpg.Connection, contact_id: UUID, values: dict[str, Any]
) -> StaffMediaContact:
    row = await conn.fetchrow(
        Q["update_media_contact"], contact_id, *(values[c] for c in _MEDIA_COLUMNS)
    )
    return record_to(StaffMediaContact, row)


async def delete_media_contact(conn: asyncpg.Connection, contact_id: UUID) -> bool:
    return await conn.fetchval(Q["delete_media_contact"], contact_id) is not None


async def lock_outlet(conn: asyncpg.Connection, outlet_id: UUID) -> bool:
    return await conn.fetchval(Q["lock_outlet"], outlet_id) is not None


async def lock_media_contact(conn: asyncpg.Connection, contact_id: UUID) -> bool:
    return await conn.fetchval(Q["lock_media_contact"], contact_id) is not None


async def suspend_contact(conn: asyncpg.Connection, contact_id: UUID, reason: str) -> None:
    await conn.execute(Q["suspend_contact"], contact_id, reason)


async def suppressed_import_rows(
    conn: asyncpg.Connection, numbers: list[int], hashes: list[bytes]
) -> set[int]:
    """Of rows given as pairs (numbers[i], hashes[i]), those with a suppressed address."""
    return {r["number"] for r in await conn.fetch(Q["suppressed_import_rows"], numbers, hashes)}


async def import_rows_in_registry(
    conn: asyncpg.Connection, numbers: list[int], addresses: list[str]
) -> set[int]:
    """Of rows given as pairs (numbers[i], addresses[i]), those with an address in use."""
    rows = await conn.fetch(Q["import_rows_in_registry"], numbers, addresses)
    return {r["number"] for r in rows}


async def import_outlets(
    conn: asyncpg.Connection, names: list[str], countries: list[str]
) -> dict[str, UUID]:
    """The outlets named (made if missing), by each name as given."""
    rows = await conn.fetch(Q["import_outlets"], names, countries)
    return {r["name"]: r["id"] for r in rows}


async def insert_imported_contacts(
    conn: asyncpg.Connection, rows: list[dict[str, Any]]
) -> dict[str, UUID]:
    """New contacts from rows of ContactCreate's fields (and `number`); by e-mail address."""
    made = await conn.fetch(Q["insert_imported_contacts"], rows)
    return {r["email"]: r["id"] for r in made}


async def link_imported_contacts(
    conn: asyncpg.Connection, contact_ids: list[UUID], outlet_ids: list[UUID], roles: list[str]
) -> None:
    await conn.execute(Q["link_imported_contacts"], contact_ids, outlet_ids, roles)
