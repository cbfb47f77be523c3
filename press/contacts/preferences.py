"""Consent records and subscriptions as staff keep them for a contact."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from press.contacts import repository
from press.contacts.registry import load_contact
from press.contacts.schemas import Consent, ConsentIn, Subscription, SubscriptionIn
from press.errors import Conflict, NotFound
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser


async def list_consents(
    conn: asyncpg.Connection,
    contact_id: UUID,
    user: StaffUser,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Consent]:
    """The contact's consent records after id `after`, oldest first; all without `limit`."""
    require(user, Role.viewer, "read consent records")
    await load_contact(conn, contact_id)
    await record_audit(conn, user, "contact.consents.read", "contact", contact_id)
    return await repository.list_consents(conn, contact_id, after=after, limit=limit)


async def add_consent(
    conn: asyncpg.Connection, contact_id: UUID, data: ConsentIn, user: StaffUser
) -> Consent:
    require(user, Role.editor, "record consent")
    await load_contact(conn, contact_id)
    consent = await repository.add_consent(
        conn, contact_id, data.purpose, data.text_version, data.channel, data.given_at
    )
    await repository.touch_contact(conn, contact_id)
    await record_audit(
        conn, user, "contact.consent", "contact", contact_id, {"consent": consent.id}
    )
    return consent


async def withdraw_consent(
    conn: asyncpg.Connection, contact_id: UUID, consent_id: int, user: StaffUser
) -> Consent:
    """Withdraw a consent; if it was the last one a consent-based contact had, nothing more
    is sent to them from this moment (queued mail is cancelled, the sender re-checks)."""
    require(user, Role.editor, "record a withdrawal of consent")
    await load_contact(conn, contact_id)
    consent = await repository.withdraw_consent(conn, contact_id, consent_id)
    if consent is None:
        raise NotFound("This contact has no consent in force with this id.")
    await repository.touch_contact(conn, contact_id)
    await repository.cancel_pending_deliveries(conn, contact_id, "consent withdrawn")
    await record_audit(
        conn, user, "contact.consent_withdrawn", "contact", contact_id, {"consent": consent_id}
    )
    return consent


async def get_subscription(
    conn: asyncpg.Connection, contact_id: UUID, user: StaffUser
) -> Subscription:
    require(user, Role.viewer, "read subscriptions")
    await load_contact(conn, contact_id)
    subscription = await repository.fetch_subscription(conn, contact_id)
    if subscription is None:
        raise NotFound("This contact has no subscription.")
    await record_audit(conn, user, "contact.subscription.read", "contact", contact_id)
    return subscription


async def put_subscription(
    conn: asyncpg.Connection, contact_id: UUID, data: SubscriptionIn, user: StaffUser
) -> Subscription:
    require(user, Role.editor, "change subscriptions")
    contact = await load_contact(conn, contact_id)
    if data.embargoed and not contact.accredited:
        raise Conflict("Only accredited journalists may receive embargoed releases in advance.")
    subscription = await repository.put_subscription(conn, contact_id, data)
    await repository.touch_contact(conn, contact_id)
    await record_audit(
        conn,
        user,
        "contact.subscription",
        "contact",
        contact_id,
        {"sources": data.sources, "topics": data.topics, "embargoed": data.embargoed},
    )
    return subscription
