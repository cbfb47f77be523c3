"""Acting on a person's own privacy request, from the link e-mailed to them: the download of
everything held about them, or their erasure. The request works once (completed here)."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from press.contacts import links
from press.contacts.privacy import contact_data, erase_contact
from press.contacts.repository import Q
from press.errors import NotFound
from press.staff.repository import record_audit

INVALID = "This link is not valid, has been used already or is more than a day old."


async def open_request(conn: asyncpg.Connection, token: str, secret_key: str) -> asyncpg.Record:
    """The request a link belongs to, locked, while it can be acted on."""
    found = links.read_privacy_token(secret_key, token)
    row = await conn.fetchrow(Q["privacy_request"], *found) if found else None
    if row is None:
        raise NotFound(INVALID)
    return row


class PrivacyOutcome(msgspec.Struct):
    kind: str  # access | erasure
    lang: str
    data: dict[str, Any] | None = None  # for access: everything held, as exported


def privacy_link_state(token: str, secret_key: str) -> str:
    """`used` for a link press made that no longer acts (done or over a day old), else
    `invalid`; asked once `open_request` has found nothing."""
    return "used" if links.read_privacy_token(secret_key, token) else "invalid"


async def act_on_privacy_request(
    conn: asyncpg.Connection, token: str, secret_key: str
) -> PrivacyOutcome:
    """Complete the request the link names (NotFound when it cannot act any more)."""
    row = await open_request(conn, token, secret_key)
    contact_id = row["contact_id"]
    await conn.execute(Q["complete_privacy_request"], row["id"])
    if row["kind"] == "access":
        data = await contact_data(conn, contact_id)
        await record_audit(conn, None, "contact.export.self", "contact", contact_id)
        return PrivacyOutcome(kind="access", lang=row["lang"], data=data)
    await erase_contact(
        conn, contact_id, None, secret_key=secret_key, reason="self-service request"
    )
    return PrivacyOutcome(kind="erasure", lang=row["lang"])
