"""A subscriber's own preferences, reached by the signed link in every e-mail: what the
registry holds about them, and changing, pausing, resuming or ending their subscription.

The link is the key (no password): whoever reads the mailbox may change what is sent there.
Unsubscribing is `press.contacts.subscriptions.unsubscribe`, the same as the one-click link.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from press.contacts import links, repository
from press.contacts.repository import Q
from press.contacts.schemas import Consent, Contact, Subscription
from press.errors import Conflict, NotFound

UNKNOWN_LINK = "This link is not valid."


class OwnRecord(msgspec.Struct):
    """What the registry holds about a person, as their preferences page shows it."""

    contact: Contact
    subscription: Subscription | None
    consents: list[Consent]


def read_preferences_token(secret_key: str, token: str) -> UUID:
    """The person a preferences link belongs to (the unsubscribe key), or NotFound."""
    contact_id = links.read_unsubscribe_token(secret_key, token)
    if contact_id is None:
        raise NotFound(UNKNOWN_LINK)
    return contact_id


async def own_record(conn: asyncpg.Connection, contact_id: UUID) -> OwnRecord:
    contact = await repository.fetch_contact(conn, contact_id)
    if contact is None or contact.status == "erased":
        raise NotFound(UNKNOWN_LINK)
    return OwnRecord(
        contact=contact,
        subscription=await repository.fetch_subscription(conn, contact_id),
        consents=await repository.list_consents(conn, contact_id),
    )


async def change_own_subscription(
    conn: asyncpg.Connection,
    contact_id: UUID,
    sources: list[str],
    topics: list[str],
    languages: list[str],
) -> None:
    """New choices for a confirmed or paused subscription (empty: everything)."""
    changed = await conn.fetchval(
        Q["change_own_subscription"], contact_id, sources, topics, languages
    )
    if changed is None:
        raise Conflict("There is no subscription to change; subscribe again first.")
    await repository.touch_contact(conn, contact_id)


async def pause_own_subscription(conn: asyncpg.Connection, contact_id: UUID) -> None:
    """Stop sending until resumed; mail already queued for the person is cancelled."""
    if await conn.fetchval(Q["pause_own_subscription"], contact_id) is None:
        raise Conflict("There is no subscription in force to pause.")
    await repository.cancel_pending_deliveries(conn, contact_id, "subscription paused")
    await repository.touch_contact(conn, contact_id)


async def resume_own_subscription(conn: asyncpg.Connection, contact_id: UUID) -> None:
    if await conn.fetchval(Q["resume_own_subscription"], contact_id) is None:
        raise Conflict("The subscription is not paused.")
    await repository.touch_contact(conn, contact_id)


async def confirmation_state(conn: asyncpg.Connection, token: str, secret_key: str) -> str:
    """What a confirmation link can still do: `open`, `used` (followed already, or replaced
    by a newer request) or `invalid` (not a link press made)."""
    found = links.read_confirm_token(secret_key, token)
    if found is None:
        return "invalid"
    pending = await conn.fetchval(Q["pending_subscription"], *found)
    return "used" if pending is None else "open"
