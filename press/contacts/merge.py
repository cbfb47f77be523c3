"""Merging two records of one person: everything of the second moves to the first, and the
second is deleted. Audit entries of both stay, and the merge entry keeps the second's
former content, so no history is lost."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.contacts import repository
from press.contacts.privacy import _optional_tables
from press.contacts.registry import diff, load_contact
from press.contacts.schemas import Contact
from press.errors import InvalidInput, NotFound
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser


def _union(first: list[str], second: list[str], *, skip: str = "") -> list[str]:
    seen = {skip.lower()} if skip else set()
    out = []
    for item in [*first, *second]:
        if item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out


def merged_accreditation(target: Contact, source: Contact) -> dict[str, Any]:
    """The stricter accreditation of two records of one person. A suspension of either stays,
    with no embargo access (a merge never lifts one); the access of a record that has it
    stays, ending at the earlier of the records' ends."""
    suspended = [c for c in (target, source) if c.suspended_at is not None]
    holders = [c for c in (target, source) if c.embargo_access or c.suspended_at is not None]
    ends = [c.accredited_until for c in holders if c.accredited_until is not None]
    return {
        "embargo_access": bool(holders) and not suspended,
        "accredited_until": min(ends, default=None),
        "suspended_at": min((c.suspended_at for c in suspended if c.suspended_at), default=None),
        "suspension_reason": "\n\n".join(c.suspension_reason or "" for c in suspended) or None,
    }


def merged_values(target: Contact, source: Contact) -> dict[str, Any]:
    """The target's fields with the source's added: lists joined, blanks filled, the
    source's address kept as another address."""
    emails = _union(target.other_emails, [source.email, *source.other_emails], skip=target.email)
    notes = "\n\n".join(n for n in (target.notes, source.notes) if n)
    accreditation = merged_accreditation(target, source)
    return {
        "name": target.name,
        "email": target.email,
        "embargo_access": accreditation["embargo_access"],
        "accredited_until": accreditation["accredited_until"],
        "other_emails": emails,
        "phones": _union(target.phones, source.phones),
        "country": target.country or source.country,
        "languages": _union(target.languages, source.languages),
        "beats": _union(target.beats, source.beats),
        "sources": _union(target.sources, source.sources),
        "notes": notes,
        "tags": _union(target.tags, source.tags),
        "lawful_basis": target.lawful_basis,
        "status": target.status,
    }


async def merge_contacts(
    conn: asyncpg.Connection, target_id: UUID, source_id: UUID, user: StaffUser
) -> Contact:
    require(user, Role.editor, "merge contacts")
    if target_id == source_id:
        raise InvalidInput("A contact cannot be merged into itself.")
    # Lock both in id order, so two merges of the same pair cannot deadlock.
    for contact_id in sorted((target_id, source_id)):
        if not await repository.lock_contact(conn, contact_id):
            raise NotFound(f"No contact has the id {contact_id}.")
    target = await load_contact(conn, target_id)
    source = await load_contact(conn, source_id)
    await conn.execute(repository.Q["merge_contact_rows"], target_id, source_id)
    for table in await _optional_tables(conn):
        await conn.execute(
            f"UPDATE {table} SET contact_id = $1 WHERE contact_id = $2", target_id, source_id
        )
    await repository.delete_contact(conn, source_id)
    await repository.update_contact(conn, target_id, merged_values(target, source))
    await repository.set_accreditation(conn, target_id, **merged_accreditation(target, source))
    after = await load_contact(conn, target_id)
    snapshot = msgspec.to_builtins(source)
    changes = {**diff(target, after), "merged": snapshot}
    await record_audit(conn, user, "contact.merge", "contact", target_id, changes)
    await record_audit(
        conn, user, "contact.merged_into", "contact", source_id, {"into": str(target_id)}
    )
    return after
