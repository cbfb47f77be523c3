"""What approvers do to webhook subscriptions and their deliveries: each function checks the
role, applies the address rules, and writes the audit entry on the caller's connection. The
staff API and the console both call these, so neither has a rule the other lacks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
import msgspec

from press.embargo import repository
from press.embargo.schemas import Delivery, Webhook, WebhookCreate, WebhookUpdate
from press.embargo.signing import new_webhook_secret, secret_is_valid
from press.embargo.webhook_targets import TargetRefused, check_webhook_url, target_policy
from press.errors import Conflict, InvalidInput, NotFound
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

DELIVERY_STATES = ("pending", "delivered", "failed")
REFUSED_ADDRESS = (
    "url must reach a public address: webhooks are not sent to loopback, private, "
    "link-local or cloud-metadata addresses unless the operator allows the network "
    "(PRESS_WEBHOOK_ALLOW_NETWORKS)"
)
FORM_OF_ANOTHER = (
    "This form was sent by another staff member; open the webhooks page again for a form of "
    "your own."
)
FORM_USED = "This form was sent already; open the webhooks page again for a new form."


def webhook_of(row: asyncpg.Record, *, secret: str | None = None) -> Webhook:
    """A subscription as staff read it: the secret only where it was just set."""
    fields = {k: v for k, v in row.items() if k != "secret"}
    return msgspec.convert({**fields, "secret": secret}, Webhook, strict=False)


async def check_url(url: str, allow_networks: tuple[str, ...]) -> None:
    try:
        await check_webhook_url(url, target_policy(allow_networks))
    except TargetRefused:
        raise InvalidInput(
            REFUSED_ADDRESS, errors=[{"key": "url", "message": "address not allowed"}]
        ) from None


def check_secret(secret: str) -> None:
    if not secret_is_valid(secret):
        raise InvalidInput(
            "secret must be whsec_ followed by base64 of 24 to 64 bytes",
            errors=[{"key": "secret", "message": "invalid secret"}],
        )


async def load_webhook(conn: asyncpg.Connection, webhook_id: UUID) -> asyncpg.Record:
    row = await repository.fetch_webhook(conn, webhook_id)
    if row is None:
        raise NotFound("No webhook has this id.")
    return row


async def list_webhooks(
    conn: asyncpg.Connection,
    user: StaffUser,
    *,
    after: tuple[datetime, UUID] | None = None,
    limit: int | None = None,
) -> list[Webhook]:
    """Subscriptions, oldest first, after the (created_at, id) position `after`; all of them
    without `limit`."""
    require(user, Role.approver, "see webhooks")
    return [webhook_of(r) for r in await repository.list_webhooks(conn, after=after, limit=limit)]


async def get_webhook(conn: asyncpg.Connection, webhook_id: UUID, user: StaffUser) -> Webhook:
    require(user, Role.approver, "see webhooks")
    return webhook_of(await load_webhook(conn, webhook_id))


async def create_webhook(
    conn: asyncpg.Connection, data: WebhookCreate, user: StaffUser, allow_networks: tuple[str, ...]
) -> Webhook:
    """A new subscription; the answer carries its secret, which is never shown again."""
    made, _ = await create_webhook_once(conn, data, user, allow_networks, None)
    return made


async def create_webhook_once(
    conn: asyncpg.Connection,
    data: WebhookCreate,
    user: StaffUser,
    allow_networks: tuple[str, ...],
    form_key: str | None,
) -> tuple[Webhook, bool]:
    """A new subscription, or the one the same form (`form_key`) made before, and whether this
    call made it. The form made before is found before the address is checked again: its
    page is shown even if the address no longer resolves."""
    require(user, Role.approver, "manage webhooks")
    if earlier := await made_by_form(conn, form_key, user):
        return earlier, False
    secret = data.secret or new_webhook_secret()
    check_secret(secret)
    await check_url(data.url, allow_networks)
    row = await repository.insert_webhook(
        conn,
        url=data.url,
        description=data.description,
        event_types=sorted(set(data.event_types)),
        secret=secret,
        active=data.active,
        created_by=user.id,
        form_key=form_key,
    )
    if row is None:
        # Only a form key conflicts: the same form, sent at the same moment (a double click),
        # made it first; or made it and it was deleted since.
        if earlier := await made_by_form(conn, form_key, user):
            return earlier, False
        raise Conflict(FORM_USED)
    changes = {"url": data.url, "event_types": row["event_types"], "active": data.active}
    await record_audit(conn, user, "webhook.create", "webhook", row["id"], changes)
    return webhook_of(row, secret=secret), True


async def made_by_form(
    conn: asyncpg.Connection, form_key: str | None, user: StaffUser
) -> Webhook | None:
    """The webhook this form key made, if any. A form is shown to one person, so another's key
    is refused rather than their webhook shown. The secret is shown again only while nothing
    changed the subscription since: a secret set later is not the one this form was given."""
    if form_key is None:
        return None
    row = await repository.fetch_webhook_by_form_key(conn, form_key)
    if row is None:
        return None
    if row["created_by"] != user.id:
        raise Conflict(FORM_OF_ANOTHER)
    return webhook_of(row, secret=row["secret"] if row["version"] == 1 else None)


async def update_webhook(
    conn: asyncpg.Connection,
    webhook_id: UUID,
    data: WebhookUpdate,
    user: StaffUser,
    allow_networks: tuple[str, ...],
) -> Webhook:
    """Change a subscription (switching it off or on included); a new secret is shown once."""
    require(user, Role.approver, "manage webhooks")
    before = await load_webhook(conn, webhook_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "secret" in changes:
        check_secret(changes["secret"])
    if "url" in changes:
        await check_url(changes["url"], allow_networks)
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    merged = {k: before[k] for k in ("url", "description", "event_types", "secret", "active")}
    row = await repository.update_webhook(conn, webhook_id, **{**merged, **changes})
    audited = {k: ("changed" if k == "secret" else v) for k, v in changes.items()}
    await record_audit(conn, user, "webhook.update", "webhook", webhook_id, audited)
    return webhook_of(row, secret=changes.get("secret"))


async def delete_webhook(conn: asyncpg.Connection, webhook_id: UUID, user: StaffUser) -> None:
    require(user, Role.approver, "manage webhooks")
    if not await repository.delete_webhook(conn, webhook_id):
        raise NotFound("No webhook has this id.")
    await record_audit(conn, user, "webhook.delete", "webhook", webhook_id, {})


async def list_deliveries(
    conn: asyncpg.Connection,
    webhook_id: UUID,
    user: StaffUser,
    *,
    delivery_state: str | None = None,
    after: tuple[datetime, UUID] | None = None,
    limit: int,
) -> list[Delivery]:
    """A subscription's deliveries with their attempts, newest first."""
    require(user, Role.approver, "see webhook deliveries")
    await load_webhook(conn, webhook_id)
    if delivery_state is not None and delivery_state not in DELIVERY_STATES:
        raise InvalidInput(
            f"state must be one of {', '.join(DELIVERY_STATES)}",
            errors=[{"key": "state", "message": "unknown value"}],
        )
    return await repository.list_deliveries(conn, webhook_id, delivery_state, after, limit)


async def retry_delivery(
    conn: asyncpg.Connection, webhook_id: UUID, delivery_id: UUID, user: StaffUser
) -> None:
    """Queue a delivery again with a fresh round of attempts: the sender takes it from the
    deliveries the outbox was fanned out into, with the same id, so a receiver that got it
    after all can tell."""
    require(user, Role.approver, "retry webhook deliveries")
    if not await repository.retry_delivery(conn, webhook_id, delivery_id):
        raise NotFound("This webhook has no delivery with this id.")
    await record_audit(
        conn, user, "webhook.retry", "webhook", webhook_id, {"delivery_id": str(delivery_id)}
    )
