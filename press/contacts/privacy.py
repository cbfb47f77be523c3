"""Data protection: the right of access (export), the right to erasure, and retention.

Erasure keeps the contact row as a tombstone with no personal data (status `erased`), so
rows that must stay for accountability — audit entries, delivery counts, embargo-read
records — still point at one anonymous id. The address survives only as a keyed hash on
the suppression list, which staff entry, import and self-service subscription check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.contacts.repository import Q, email_hash
from press.errors import NotFound
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

# Tables other domains may add that hold rows about a contact (by `contact_id`). Read and
# anonymised only when they exist, so the registry does not depend on those domains.
OPTIONAL_TABLES = (
    "embargo_reads",
    "privacy_requests",
    "release_embargo_recipients",
    "room_sign_ins",
    "room_sessions",
)
# Columns of those tables that identify a person beyond the contact id; nulled on erasure.
IDENTIFYING_COLUMNS = ("ip", "ip_address", "user_agent", "remote_addr")
# Secrets left out of the export, as the registry's own tokens are: a reading-room session's
# hash would serve no one but whoever got hold of the export.
SECRET_COLUMNS = ("token_hash",)


class InactiveContact(msgspec.Struct):
    id: UUID
    name: str
    last_activity: datetime


async def _optional_tables(conn: asyncpg.Connection) -> dict[str, list[str]]:
    """Existing optional tables with a contact_id column, and their identifying columns."""
    rows = await conn.fetch(
        "SELECT table_name, array_agg(column_name::text) AS columns "
        "FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY($1::text[]) "
        "GROUP BY table_name",
        list(OPTIONAL_TABLES),
    )
    found = {}
    for row in rows:
        if "contact_id" in row["columns"]:
            found[row["table_name"]] = [c for c in row["columns"] if c in IDENTIFYING_COLUMNS]
    return found


async def export_contact(
    conn: asyncpg.Connection, contact_id: UUID, user: StaffUser
) -> dict[str, Any]:
    """Every piece of data held about the person, for an admin answering a request."""
    require(user, Role.admin, "export a person's data")
    data = await contact_data(conn, contact_id)
    await record_audit(conn, user, "contact.export", "contact", contact_id)
    return data


async def contact_data(conn: asyncpg.Connection, contact_id: UUID) -> dict[str, Any]:
    """Every piece of data held about the person, machine-readable (GDPR art. 15 and 20)."""
    data: dict[str, Any] = await conn.fetchval(Q["export_contact"], contact_id)
    if data["contact"] is None:
        raise NotFound("No contact has this id.")
    # Table names come from OPTIONAL_TABLES above, never from input.
    for table in await _optional_tables(conn):
        rows = await conn.fetchval(
            f"SELECT coalesce(jsonb_agg(to_jsonb(r) - $2::text[]), '[]') FROM {table} r "
            "WHERE contact_id = $1",
            contact_id,
            list(SECRET_COLUMNS),
        )
        data[table] = rows
    return data


async def erase_contact(
    conn: asyncpg.Connection,
    contact_id: UUID,
    user: StaffUser | None,
    *,
    secret_key: str | None,
    reason: str,
) -> None:
    """Erase the person everywhere. With `secret_key`, their addresses go on the suppression
    list (erasure at their request); without it (retention) they may subscribe again."""
    row = await conn.fetchrow(
        "SELECT email, other_emails FROM contacts WHERE id = $1 AND status <> 'erased' FOR UPDATE",
        contact_id,
    )
    if row is None:
        raise NotFound("No contact has this id.")
    if secret_key is not None:
        hashes = [email_hash(secret_key, e) for e in [row["email"], *row["other_emails"]]]
        await conn.execute(Q["suppress_emails"], hashes, reason)
    await conn.execute(Q["erase_related"], contact_id)
    await conn.execute(Q["erase_contact"], contact_id)
    for table, columns in (await _optional_tables(conn)).items():
        if columns:
            assignments = ", ".join(f"{c} = NULL" for c in columns)
            await conn.execute(
                f"UPDATE {table} SET {assignments} WHERE contact_id = $1", contact_id
            )
    await conn.execute(Q["erase_audit"], str(contact_id))
    await record_audit(conn, user, "contact.erase", "contact", contact_id, {"reason": reason})


async def erase_on_request(
    conn: asyncpg.Connection, contact_id: UUID, user: StaffUser, secret_key: str
) -> None:
    require(user, Role.admin, "erase a person's data")
    await erase_contact(conn, contact_id, user, secret_key=secret_key, reason="request")


async def purge_inactive(
    conn: asyncpg.Connection, months: int, apply: bool
) -> list[InactiveContact]:
    """The contacts with no activity for `months` and no consent in force; with `apply`,
    erase them (not suppressed: they may come back of their own accord). Idempotent: an
    erased contact is no longer a candidate."""
    rows = await conn.fetch(Q["inactive_contacts"], months)
    found = [msgspec.convert(dict(r), InactiveContact) for r in rows]
    if apply:
        for contact in found:
            await erase_contact(conn, contact.id, None, secret_key=None, reason="retention")
    return found
