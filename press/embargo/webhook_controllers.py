"""HTTP for webhook subscriptions and their deliveries, under /api/v1/manage/webhooks."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.db import Conn
from press.embargo import repository
from press.embargo.controllers import private_response
from press.embargo.schemas import DeliveryPage, Webhook, WebhookCreate, WebhookPage, WebhookUpdate
from press.embargo.signing import new_webhook_secret, secret_is_valid
from press.embargo.webhook_targets import TargetRefused, check_webhook_url, target_policy
from press.errors import InvalidInput, NotFound
from press.pagination import next_link, page_limit, time_cursor
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role

DELIVERY_STATES = ("pending", "delivered", "failed")


def _webhook(row: asyncpg.Record, *, secret: str | None = None) -> Webhook:
    fields = {k: v for k, v in row.items() if k != "secret"}
    return msgspec.convert({**fields, "secret": secret}, Webhook, strict=False)


async def _check_url(url: str, state: State) -> None:
    policy = target_policy(state.settings.webhook_allow_networks)
    try:
        await check_webhook_url(url, policy)
    except TargetRefused:
        raise InvalidInput(
            "url must reach a public address: webhooks are not sent to loopback, private, "
            "link-local or cloud-metadata addresses unless the operator allows the network "
            "(PRESS_WEBHOOK_ALLOW_NETWORKS)",
            errors=[{"key": "url", "message": "address not allowed"}],
        ) from None


def _check_secret(secret: str) -> None:
    if not secret_is_valid(secret):
        raise InvalidInput(
            "secret must be whsec_ followed by base64 of 24 to 64 bytes",
            errors=[{"key": "secret", "message": "invalid secret"}],
        )


class WebhookController(Controller):
    """Subscriptions of the city website and others to publication events."""

    path = "/api/v1/manage/webhooks"
    tags = ["manage: webhooks"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Subscribe a URL to events; the secret is shown in this answer only",
        responses={201: ResponseSpec(Webhook)},
    )
    async def create_webhook(
        self, conn: Conn, staff: Staff, state: State, data: JSONBody[WebhookCreate]
    ) -> Response[bytes]:
        require(staff, Role.approver, "manage webhooks")
        secret = data.secret or new_webhook_secret()
        _check_secret(secret)
        await _check_url(data.url, state)
        row = await repository.insert_webhook(
            conn,
            url=data.url,
            description=data.description,
            event_types=sorted(set(data.event_types)),
            secret=secret,
            active=data.active,
            created_by=staff.id,
        )
        changes = {"url": data.url, "event_types": row["event_types"], "active": data.active}
        await record_audit(conn, staff, "webhook.create", "webhook", row["id"], changes)
        return private_response(_webhook(row, secret=secret), 201)

    @get("/", summary="All webhook subscriptions", responses={200: ResponseSpec(WebhookPage)})
    async def list_webhooks(self, conn: Conn, staff: Staff) -> Response[bytes]:
        require(staff, Role.approver, "see webhooks")
        rows = await repository.list_webhooks(conn)
        return private_response(WebhookPage(items=[_webhook(r) for r in rows]))

    @get(
        "/{webhook_id:uuid}",
        summary="One webhook subscription",
        responses={200: ResponseSpec(Webhook)},
    )
    async def get_webhook(
        self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.approver, "see webhooks")
        return private_response(_webhook(await _load_webhook(conn, webhook_id)))

    @patch(
        "/{webhook_id:uuid}",
        summary="Change a subscription (a new secret is shown once)",
        responses={200: ResponseSpec(Webhook)},
    )
    async def update_webhook(
        self,
        conn: Conn,
        staff: Staff,
        state: State,
        webhook_id: FromPath[UUID],
        data: JSONBody[WebhookUpdate],
    ) -> Response[bytes]:
        require(staff, Role.approver, "manage webhooks")
        before = await _load_webhook(conn, webhook_id)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "secret" in changes:
            _check_secret(changes["secret"])
        if "url" in changes:
            await _check_url(changes["url"], state)
        if "event_types" in changes:
            changes["event_types"] = sorted(set(changes["event_types"]))
        merged = {k: before[k] for k in ("url", "description", "event_types", "secret", "active")}
        row = await repository.update_webhook(conn, webhook_id, **{**merged, **changes})
        audited = {k: ("changed" if k == "secret" else v) for k, v in changes.items()}
        await record_audit(conn, staff, "webhook.update", "webhook", webhook_id, audited)
        return private_response(_webhook(row, secret=changes.get("secret")))

    @delete("/{webhook_id:uuid}", status_code=204, summary="Delete a subscription")
    async def delete_webhook(self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID]) -> None:
        require(staff, Role.approver, "manage webhooks")
        if not await repository.delete_webhook(conn, webhook_id):
            raise NotFound("No webhook has this id.")
        await record_audit(conn, staff, "webhook.delete", "webhook", webhook_id, {})

    @get(
        "/{webhook_id:uuid}/deliveries",
        summary="Deliveries and their attempts, newest first",
        responses={200: ResponseSpec(DeliveryPage)},
    )
    async def list_deliveries(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        webhook_id: FromPath[UUID],
        delivery_state: Annotated[str | None, QueryParameter(name="state")] = None,
        cursor: FromQuery[str | None] = None,
        limit: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        require(staff, Role.approver, "see webhook deliveries")
        await _load_webhook(conn, webhook_id)
        if delivery_state is not None and delivery_state not in DELIVERY_STATES:
            raise InvalidInput(
                f"state must be one of {', '.join(DELIVERY_STATES)}",
                errors=[{"key": "state", "message": "unknown value"}],
            )
        size = page_limit(limit)
        items = await repository.list_deliveries(
            conn, webhook_id, delivery_state, time_cursor(cursor), size + 1
        )
        nxt = None
        if len(items) > size:
            items, last = items[:size], items[size - 1]
            nxt = next_link(request, last.created_at.isoformat(), str(last.id))
        return private_response(DeliveryPage(items=items, next=nxt))

    @post(
        "/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry",
        status_code=202,
        summary="Send a delivery again, with a fresh round of attempts",
    )
    async def retry_delivery(
        self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID], delivery_id: FromPath[UUID]
    ) -> dict[str, str]:
        require(staff, Role.approver, "retry webhook deliveries")
        if not await repository.retry_delivery(conn, webhook_id, delivery_id):
            raise NotFound("This webhook has no delivery with this id.")
        await record_audit(
            conn, staff, "webhook.retry", "webhook", webhook_id, {"delivery_id": str(delivery_id)}
        )
        return {"status": "pending"}


async def _load_webhook(conn: asyncpg.Connection, webhook_id: UUID) -> asyncpg.Record:
    row = await repository.fetch_webhook(conn, webhook_id)
    if row is None:
        raise NotFound("No webhook has this id.")
    return row
