"""HTTP for webhook subscriptions and their deliveries, under /api/v1/manage/webhooks. The
rules are in press.embargo.webhook_actions, which the console calls too."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.db import Conn
from press.embargo import webhook_actions as actions
from press.embargo.controllers import private_response
from press.embargo.schemas import DeliveryPage, Webhook, WebhookCreate, WebhookPage, WebhookUpdate
from press.pagination import PageLimit, cut_page, next_link, page_limit, time_cursor
from press.staff.auth import Staff, provide_staff


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
        allowed = state.settings.webhook_allow_networks
        return private_response(await actions.create_webhook(conn, data, staff, allowed), 201)

    @get(
        "/",
        summary="Webhook subscriptions, oldest first",
        responses={200: ResponseSpec(WebhookPage)},
    )
    async def list_webhooks(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size, after = page_limit(limit), time_cursor(cursor)
        hooks = await actions.list_webhooks(conn, staff, after=after, limit=size + 1)
        items, nxt = cut_page(request, hooks, size, lambda w: (w.created_at.isoformat(), str(w.id)))
        return private_response(WebhookPage(items=items, next=nxt))

    @get(
        "/{webhook_id:uuid}",
        summary="One webhook subscription",
        responses={200: ResponseSpec(Webhook)},
    )
    async def get_webhook(
        self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        return private_response(await actions.get_webhook(conn, webhook_id, staff))

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
        allowed = state.settings.webhook_allow_networks
        return private_response(
            await actions.update_webhook(conn, webhook_id, data, staff, allowed)
        )

    @delete("/{webhook_id:uuid}", status_code=204, summary="Delete a subscription")
    async def delete_webhook(self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID]) -> None:
        await actions.delete_webhook(conn, webhook_id, staff)

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
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size = page_limit(limit)
        items = await actions.list_deliveries(
            conn,
            webhook_id,
            staff,
            delivery_state=delivery_state,
            after=time_cursor(cursor),
            limit=size + 1,
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
        await actions.retry_delivery(conn, webhook_id, delivery_id, staff)
        return {"status": "pending"}
