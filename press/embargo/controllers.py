"""HTTP for the embargo engine: journalist tokens, embargoed reading, the schedule, webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.conditional import PRIVATE, conditional_response
from press.db import Conn
from press.embargo import repository
from press.embargo.journalists import JournalistDep, new_journalist_token, provide_journalist
from press.embargo.schemas import (
    DeliveryPage,
    EmbargoedRelease,
    EmbargoedReleasePage,
    EmbargoedText,
    EmbargoReadPage,
    IssuedJournalistToken,
    JournalistTokenCreate,
    JournalistTokenPage,
    SchedulePage,
    Webhook,
    WebhookCreate,
    WebhookPage,
    WebhookUpdate,
)
from press.embargo.signing import new_webhook_secret, secret_is_valid
from press.errors import InvalidInput, NotFound
from press.pagination import decode_cursor, encode_cursor, next_link, page_limit
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role

DELIVERY_STATES = ("pending", "delivered", "failed")


class JournalistTokenController(Controller):
    path = "/api/v1/manage/contacts/{contact_id:uuid}/tokens"
    tags = ["manage: contacts"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Issue a journalist token (shown once)",
        responses={201: ResponseSpec(IssuedJournalistToken)},
    )
    async def create_journalist_token(
        self,
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[JournalistTokenCreate | None] = None,
    ) -> Response[bytes]:
        require(staff, Role.editor, "issue journalist tokens")
        request = data or JournalistTokenCreate()
        if not await repository.contact_exists(conn, contact_id):
            raise NotFound("No contact has this id.")
        token = new_journalist_token()
        row = await repository.insert_journalist_token(
            conn, contact_id, token, request.label, request.expires_at
        )
        await record_audit(
            conn, staff, "contact.token.issue", "contact", contact_id, {"token_id": str(row.id)}
        )
        issued = IssuedJournalistToken(
            id=row.id,
            contact_id=contact_id,
            token=token,
            label=row.label,
            created_at=row.created_at,
            expires_at=row.expires_at,
        )
        return _private(issued, 201)  # the token itself: no cache may keep it

    @get(
        "/",
        summary="A contact's journalist tokens (never the tokens themselves)",
        responses={200: ResponseSpec(JournalistTokenPage)},
    )
    async def list_journalist_tokens(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.editor, "see journalist tokens")
        if not await repository.contact_exists(conn, contact_id):
            raise NotFound("No contact has this id.")
        page = JournalistTokenPage(items=await repository.list_journalist_tokens(conn, contact_id))
        return _private(page)

    @delete("/{token_id:uuid}", status_code=204, summary="Revoke a journalist token at once")
    async def revoke_journalist_token(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], token_id: FromPath[UUID]
    ) -> None:
        require(staff, Role.editor, "revoke journalist tokens")
        if not await repository.revoke_journalist_token(conn, contact_id, token_id):
            raise NotFound("This contact has no token with this id.")
        await record_audit(
            conn, staff, "contact.token.revoke", "contact", contact_id, {"token_id": str(token_id)}
        )


def _private(value: Any, status: int = 200) -> Response[bytes]:
    return Response(
        msgspec.json.encode(value),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": PRIVATE},
    )


def _embargoed(row: asyncpg.Record) -> EmbargoedRelease:
    return EmbargoedRelease(
        id=row["id"],
        source=row["source"],
        topics=row["topics"],
        # release_documents carries the Markdown source too; journalists get what the public
        # will get at the lift.
        translations={
            lang: msgspec.convert(text, EmbargoedText) for lang, text in row["translations"].items()
        },
        embargo=True,
        embargo_until=row["publish_at"],
        embargo_terms=row["embargo_terms"],
        updated_at=row["updated_at"],
    )


class EmbargoedReleaseController(Controller):
    """Accredited journalists read releases under embargo; every read is logged."""

    path = "/api/v1/embargoed/releases"
    tags = ["journalists: embargoed"]
    dependencies = {"journalist": Provide(provide_journalist)}

    @get(
        "/",
        summary="Releases under embargo, soonest lift first",
        responses={200: ResponseSpec(EmbargoedReleasePage)},
    )
    async def list_embargoed_releases(
        self, request: Request[Any, Any, Any], conn: Conn, journalist: JournalistDep
    ) -> Response[bytes]:
        rows = await repository.list_embargoed_releases(conn)
        await repository.record_embargo_reads(
            conn, journalist.id, journalist.token_id, [r["id"] for r in rows]
        )
        page = EmbargoedReleasePage(items=[_embargoed(r) for r in rows])
        return _journalist_response(request, msgspec.json.encode(page))

    @get(
        "/{key:str}",
        summary="One release under embargo",
        responses={200: ResponseSpec(EmbargoedRelease)},
    )
    async def get_embargoed_release(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        journalist: JournalistDep,
        key: FromPath[str],
    ) -> Response[bytes]:
        try:
            release_id = UUID(key)
        except ValueError:
            raise NotFound() from None
        row = await repository.fetch_embargoed_release(conn, release_id)
        if row is None:
            # Unknown, public already, or scheduled without embargo: the same answer.
            raise NotFound()
        await repository.record_embargo_reads(
            conn, journalist.id, journalist.token_id, [release_id]
        )
        body = msgspec.json.encode(_embargoed(row))
        return _journalist_response(request, body)


def _journalist_response(request: Request[Any, Any, Any], body: bytes) -> Response[bytes]:
    return conditional_response(
        request, body, cache_control=PRIVATE, headers={"Vary": "Authorization, Accept-Language"}
    )


class ScheduleController(Controller):
    path = "/api/v1/manage"
    tags = ["manage: schedule"]
    dependencies = {"staff": Provide(provide_staff)}

    @get(
        "/schedule",
        summary="Everything scheduled, in lift order, with its lift time",
        responses={200: ResponseSpec(SchedulePage)},
    )
    async def list_schedule(self, conn: Conn, staff: Staff) -> Response[bytes]:
        return _private(SchedulePage(items=await repository.list_schedule(conn)))

    @get(
        "/releases/{release_id:uuid}/embargo-reads",
        summary="Who read this release under embargo, and when",
        responses={200: ResponseSpec(EmbargoReadPage)},
    )
    async def list_embargo_reads(
        self, conn: Conn, staff: Staff, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.editor, "see who read embargoed releases")
        if not await repository.release_exists(conn, release_id):
            raise NotFound("No release has this id.")
        reads = await repository.list_embargo_reads(conn, release_id)
        return _private(EmbargoReadPage(items=reads))


def _webhook(row: asyncpg.Record, *, secret: str | None = None) -> Webhook:
    fields = {k: v for k, v in row.items() if k != "secret"}
    return msgspec.convert({**fields, "secret": secret}, Webhook, strict=False)


def _check_secret(secret: str) -> None:
    if not secret_is_valid(secret):
        raise InvalidInput(
            "secret must be whsec_ followed by base64 of 24 to 64 bytes",
            errors=[{"key": "secret", "message": "invalid secret"}],
        )


def _delivery_position(cursor: str | None) -> tuple[datetime, UUID] | None:
    values = decode_cursor(cursor, 2)
    if values is None:
        return None
    try:
        return datetime.fromisoformat(values[0]), UUID(values[1])
    except (TypeError, ValueError):
        raise InvalidInput(
            "cursor is not valid; use the `next` link of the previous page",
            errors=[{"key": "cursor", "message": "invalid cursor"}],
        ) from None


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
        self, conn: Conn, staff: Staff, data: JSONBody[WebhookCreate]
    ) -> Response[bytes]:
        require(staff, Role.approver, "manage webhooks")
        secret = data.secret or new_webhook_secret()
        _check_secret(secret)
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
        return _private(_webhook(row, secret=secret), 201)

    @get("/", summary="All webhook subscriptions", responses={200: ResponseSpec(WebhookPage)})
    async def list_webhooks(self, conn: Conn, staff: Staff) -> Response[bytes]:
        require(staff, Role.approver, "see webhooks")
        rows = await repository.list_webhooks(conn)
        return _private(WebhookPage(items=[_webhook(r) for r in rows]))

    @get(
        "/{webhook_id:uuid}",
        summary="One webhook subscription",
        responses={200: ResponseSpec(Webhook)},
    )
    async def get_webhook(
        self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.approver, "see webhooks")
        return _private(_webhook(await _load_webhook(conn, webhook_id)))

    @patch(
        "/{webhook_id:uuid}",
        summary="Change a subscription (a new secret is shown once)",
        responses={200: ResponseSpec(Webhook)},
    )
    async def update_webhook(
        self, conn: Conn, staff: Staff, webhook_id: FromPath[UUID], data: JSONBody[WebhookUpdate]
    ) -> Response[bytes]:
        require(staff, Role.approver, "manage webhooks")
        before = await _load_webhook(conn, webhook_id)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "secret" in changes:
            _check_secret(changes["secret"])
        if "event_types" in changes:
            changes["event_types"] = sorted(set(changes["event_types"]))
        merged = {k: before[k] for k in ("url", "description", "event_types", "secret", "active")}
        row = await repository.update_webhook(conn, webhook_id, **{**merged, **changes})
        audited = {k: ("changed" if k == "secret" else v) for k, v in changes.items()}
        await record_audit(conn, staff, "webhook.update", "webhook", webhook_id, audited)
        return _private(_webhook(row, secret=changes.get("secret")))

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
            conn, webhook_id, delivery_state, _delivery_position(cursor), size + 1
        )
        nxt = None
        if len(items) > size:
            items, last = items[:size], items[size - 1]
            nxt = next_link(
                request.app.state.settings.public_url,
                request.url.path,
                dict(request.query_params),
                encode_cursor(last.created_at.isoformat(), str(last.id)),
            )
        return _private(DeliveryPage(items=items, next=nxt))

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
