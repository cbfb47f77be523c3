"""What staff do to the registry: each function is one transaction's worth of work, with
its audit entry written on the same connection."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.conditional import version_etag
from press.contacts import repository
from press.contacts.schemas import (
    AccreditationGrant,
    Contact,
    ContactCreate,
    ContactUpdate,
)
from press.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

_UNTRACKED = {"updated_at", "version", "near_duplicates", "accredited"}


def contact_etag(contact: Contact) -> str:
    return version_etag(contact.id, contact.version)


def check_if_match(etag: str, if_match: str | None) -> None:
    """412 on a stale ETag, 428 without one: no one's change is silently overwritten."""
    if if_match is None:
        raise PreconditionRequired()
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if "*" not in tags and etag not in tags:
        raise PreconditionFailed()


def diff(before: msgspec.Struct, after: msgspec.Struct) -> dict[str, Any]:
    old, new = msgspec.to_builtins(before), msgspec.to_builtins(after)
    return {
        key: {"from": old.get(key), "to": new[key]}
        for key in new
        if key not in _UNTRACKED and old.get(key) != new[key]
    }


async def load_contact(conn: asyncpg.Connection, contact_id: UUID) -> Contact:
    contact = await repository.fetch_contact(conn, contact_id)
    if contact is None:
        raise NotFound("No contact has this id.")
    return contact


async def read_contact(conn: asyncpg.Connection, contact_id: UUID, user: StaffUser) -> Contact:
    """One contact with its near-duplicates; the read of personal data is audited."""
    require(user, Role.viewer, "read the contact registry")
    contact = await load_contact(conn, contact_id)
    await record_audit(conn, user, "contact.read", "contact", contact_id)
    dupes = await repository.near_duplicates(conn, contact_id)
    return msgspec.structs.replace(contact, near_duplicates=dupes)


async def search_contacts(
    conn: asyncpg.Connection,
    user: StaffUser,
    filters: dict[str, Any],
    after: tuple[str, UUID] | None,
    size: int,
) -> tuple[list[Contact], str | None]:
    """A page of the registry (`size` contacts at most) and the sort key of its last one when
    more follow. A list shows names and addresses: the read is audited like a single one."""
    require(user, Role.viewer, "read the contact registry")
    items = await repository.list_contacts(conn, **filters, after=after, limit=size + 1)
    last_key = None
    if len(items) > size:
        items = items[:size]
        last_key = await repository.sort_key_of(conn, items[-1].id)
    await record_audit(
        conn, user, "contact.list", "contact", None, {"ids": [str(c.id) for c in items]}
    )
    return items, last_key


async def _check_emails_free(
    conn: asyncpg.Connection, settings_key: str, emails: list[str], except_id: UUID | None
) -> None:
    if len({e.lower() for e in emails}) != len(emails):
        raise InvalidInput("The same e-mail address is given twice.")
    holder = await repository.contact_with_emails(conn, emails, except_id)
    if holder is not None:
        raise Conflict(
            "Another contact has this e-mail address; merge the two instead.",
            contact_id=str(holder),
        )
    hashes = [repository.email_hash(settings_key, e) for e in emails]
    if await repository.is_suppressed(conn, hashes):
        raise Conflict(
            "This address belongs to a person whose data was erased at their request; "
            "it may not be added back.",
        )


async def create_contact(
    conn: asyncpg.Connection, data: ContactCreate, user: StaffUser, secret_key: str
) -> Contact:
    require(user, Role.editor, "add contacts")
    if data.lawful_basis == "consent" and data.consent is None:
        raise InvalidInput("A contact on the basis of consent needs its consent record.")
    await _check_emails_free(conn, secret_key, [data.email, *data.other_emails], None)
    contact_id = await repository.create_contact(conn, data)
    if len(data.outlets) != await repository.set_contact_outlets(conn, contact_id, data.outlets):
        raise InvalidInput("An outlet given does not exist.")
    if data.embargo_access:
        await repository.record_accreditation(
            conn, contact_id, "granted", staff_id=user.id, valid_until=data.accredited_until
        )
    if data.consent is not None:
        c = data.consent
        await repository.add_consent(
            conn, contact_id, c.purpose, c.text_version, c.channel, c.given_at
        )
    contact = await load_contact(conn, contact_id)
    await record_audit(
        conn,
        user,
        "contact.create",
        "contact",
        contact_id,
        {"created": msgspec.to_builtins(contact)},
    )
    dupes = await repository.near_duplicates(conn, contact_id)
    return msgspec.structs.replace(contact, near_duplicates=dupes)


async def update_contact(
    conn: asyncpg.Connection,
    contact_id: UUID,
    data: ContactUpdate,
    user: StaffUser,
    if_match: str | None,
    secret_key: str,
) -> Contact:
    require(user, Role.editor, "edit contacts")
    if not await repository.lock_contact(conn, contact_id):
        raise NotFound("No contact has this id.")
    before = await load_contact(conn, contact_id)
    check_if_match(contact_etag(before), if_match)
    change = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    outlets = change.pop("outlets", None)
    values = {c: change.get(c, getattr(before, c)) for c in repository.CONTACT_COLUMNS}
    if values["embargo_access"] and before.suspended_at is not None and not before.embargo_access:
        raise Conflict("The accreditation is suspended; reinstate it to give embargo access.")
    if "email" in change or "other_emails" in change:
        await _check_emails_free(
            conn, secret_key, [values["email"], *values["other_emails"]], contact_id
        )
    await repository.update_contact(conn, contact_id, values)
    if outlets is not None and len(outlets) != await repository.set_contact_outlets(
        conn, contact_id, outlets
    ):
        raise InvalidInput("An outlet given does not exist.")
    after = await load_contact(conn, contact_id)
    if after.embargo_access != before.embargo_access:
        kind = "granted" if after.embargo_access else "revoked"
        await repository.record_accreditation(
            conn, contact_id, kind, staff_id=user.id, valid_until=after.accredited_until
        )
    if after.status != "active":
        await repository.cancel_pending_deliveries(conn, contact_id, f"contact {after.status}")
    await record_audit(conn, user, "contact.update", "contact", contact_id, diff(before, after))
    return msgspec.structs.replace(
        after, near_duplicates=await repository.near_duplicates(conn, contact_id)
    )


async def grant_accreditation(
    conn: asyncpg.Connection, contact_id: UUID, data: AccreditationGrant, user: StaffUser
) -> Contact:
    """Record a verified press card: gives embargo access until it runs out."""
    require(user, Role.editor, "accredit journalists")
    before = await _locked(conn, contact_id)
    if before.suspended_at is not None:
        raise Conflict("The accreditation is suspended; an approver reinstates it first.")
    if data.valid_until < data.verified_on:
        raise InvalidInput("valid_until is before verified_on.")
    await repository.set_accreditation(
        conn,
        contact_id,
        embargo_access=True,
        accredited_until=data.valid_until,
        suspended_at=None,
        suspension_reason=None,
    )
    await repository.record_accreditation(
        conn,
        contact_id,
        "granted",
        staff_id=user.id,
        evidence=data.evidence,
        verified_on=data.verified_on,
        valid_until=data.valid_until,
    )
    return await _audited(conn, user, "contact.accredit", before)


async def suspend_accreditation(
    conn: asyncpg.Connection, contact_id: UUID, reason: str, user: StaffUser
) -> Contact:
    """Stop embargo access at once (e.g. after a breach); the reason is kept."""
    require(user, Role.editor, "suspend accreditations")
    before = await _locked(conn, contact_id)
    if before.suspended_at is not None:
        raise Conflict("The accreditation is suspended already.")
    await repository.suspend_contact(conn, contact_id, reason)
    await repository.record_accreditation(
        conn, contact_id, "suspended", staff_id=user.id, reason=reason
    )
    return await _audited(conn, user, "contact.suspend", before)


async def reinstate_accreditation(
    conn: asyncpg.Connection, contact_id: UUID, reason: str, user: StaffUser
) -> Contact:
    require(user, Role.approver, "reinstate a suspended accreditation")
    before = await _locked(conn, contact_id)
    if before.suspended_at is None:
        raise Conflict("The accreditation is not suspended.")
    await repository.set_accreditation(
        conn,
        contact_id,
        embargo_access=True,
        accredited_until=before.accredited_until,
        suspended_at=None,
        suspension_reason=None,
    )
    await repository.record_accreditation(
        conn, contact_id, "reinstated", staff_id=user.id, reason=reason
    )
    return await _audited(conn, user, "contact.reinstate", before)


async def _locked(conn: asyncpg.Connection, contact_id: UUID) -> Contact:
    if not await repository.lock_contact(conn, contact_id):
        raise NotFound("No contact has this id.")
    return await load_contact(conn, contact_id)


async def _audited(
    conn: asyncpg.Connection, user: StaffUser, action: str, before: Contact
) -> Contact:
    after = await load_contact(conn, before.id)
    await record_audit(conn, user, action, "contact", before.id, diff(before, after))
    return after
