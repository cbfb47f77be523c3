"""The console's webhooks: subscriptions, switching one off or deleting it, and each one's
delivery log with a retry for a delivery that failed. Every action is
press.embargo.webhook_actions', the API's own, with the signed-in user: approvers only, and
the address rules (no private, loopback or metadata address) apply unchanged."""

from __future__ import annotations

import re
import secrets
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from press.db import Conn
from press.embargo import webhook_actions as actions
from press.embargo.schemas import Delivery, Webhook, WebhookCreate, WebhookUpdate
from press.errors import InvalidInput, PressError
from press.settings import Settings
from press.web import i18n
from press.web.console.access import (
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.layout import CONSOLE, Session, console_language, redirect, render_console
from press.web.console.refusals import refusal_text
from press.web.console.releases import attempt
from press.web.console.views import utc_text

LOG_LIMIT = 50
DELIVERY_STATE_NAMES = {
    "pending": i18n.gettext_noop("Waiting to be sent"),
    "delivered": i18n.gettext_noop("Delivered"),
    "failed": i18n.gettext_noop("Failed"),
}
PATTERN_SEPARATORS = re.compile(r"[\s,]+")
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
STALE_FORM = i18n.gettext_noop(
    "This form was out of date, so nothing was made: send the form below again."
)


def webhook_create(form: Any) -> WebhookCreate:
    """The new subscription the form asks for: patterns separated by spaces or commas."""
    body = {
        "url": str(form.get("url") or "").strip(),
        "description": str(form.get("description") or "").strip(),
        "event_types": [
            p for p in PATTERN_SEPARATORS.split(str(form.get("event_types") or "")) if p
        ],
    }
    try:
        return msgspec.convert(body, WebhookCreate)
    except msgspec.ValidationError as error:
        raise InvalidInput(str(error)) from error


def form_key_of(form: Any) -> str | None:
    """The key the form was made with (`list_page`), which makes sending it again harmless;
    None from a page older than the keys or a client that sends none: it makes a webhook each
    time, as before."""
    key = str(form.get("form_key") or "")
    if not key:
        return None
    if not FORM_KEY.fullmatch(key):
        raise InvalidInput(STALE_FORM, errors=[{"key": "form_key", "message": "invalid"}])
    return key


def delivery_line(delivery: Delivery, lang: str, settings: Settings) -> dict[str, Any]:
    """A delivery as its log shows it: what happened at each attempt, and what comes next."""
    zone = settings.zone
    return {
        "id": delivery.id,
        "event_type": delivery.event_type,
        "state": delivery.state,
        "state_name": i18n.gettext(DELIVERY_STATE_NAMES.get(delivery.state, delivery.state)),
        "attempts": delivery.attempts,
        "created_text": i18n.local_datetime(delivery.created_at, lang, zone),
        "next_text": i18n.local_datetime(delivery.next_attempt_at, lang, zone)
        if delivery.state == "pending"
        else "",
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "log": [
            {
                "at": i18n.local_datetime(a.at, lang, zone),
                "at_utc": utc_text(a.at),
                "status": a.status,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in delivery.attempt_log
        ],
    }


async def list_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    hooks = await actions.list_webhooks(conn, session.user)
    entered = context.pop("entered", {"url": "", "description": "", "event_types": "release.*"})
    # A new key each time the form is shown: the webhook made with it is the form's answer
    # however often the browser sends it (a reload, a double click).
    form_key = secrets.token_urlsafe(16)
    return render_console(
        request, "webhooks.html", lang, session, status=status, hooks=hooks, entered=entered,
        form_key=form_key, **context,
    )  # fmt: skip


async def webhook_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    webhook_id: UUID,
    *,
    status: int = 200,
    shown: Webhook | None = None,
    **context: Any,
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    hook = shown or await actions.get_webhook(conn, webhook_id, session.user)
    deliveries = await actions.list_deliveries(conn, webhook_id, session.user, limit=LOG_LIMIT)
    return render_console(
        request,
        "webhook.html",
        lang,
        session,
        status=status,
        hook=hook,
        deliveries=[delivery_line(d, lang, settings) for d in deliveries],
        limit=LOG_LIMIT,
        **context,
    )


class ConsoleWebhookController(Controller):
    path = "/console/webhooks"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/")
    async def list_webhooks(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            return await list_page(request, conn, session, lang)

    @post("/")
    async def create_webhook(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        """A new subscription: its page, showing the secret this once (never stored in a
        page that could be reloaded from a cache: console pages are no-store). The same form
        sent again shows the webhook it made, its secret again, and makes nothing."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        settings: Settings = request.app.state.settings
        made: list[tuple[Webhook, bool]] = []

        async def work() -> None:
            data, key = webhook_create(form), form_key_of(form)
            made.append(
                await actions.create_webhook_once(
                    conn, data, session.user, settings.webhook_allow_networks, key
                )
            )

        with i18n.speaking(lang, CONSOLE):
            error = await attempt(conn, work())
            if error is not None:
                entered = {k: str(form.get(k) or "") for k in ("url", "description", "event_types")}
                detail = refusal_text(error, lang, settings.zone)
                return await list_page(
                    request, conn, session, lang, status=error.status, error=detail,
                    entered=entered,
                )  # fmt: skip
            hook, new = made[0]
            return await webhook_page(
                request, conn, session, lang, hook.id, status=201 if new else 200, shown=hook,
                made_before=not new,
            )  # fmt: skip

    @get("/{webhook_id:uuid}")
    async def show_webhook(
        self, request: Request[Any, Any, Any], conn: Conn, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        retried = request.query_params.get("retried") is not None
        with i18n.speaking(lang, CONSOLE):
            return await webhook_page(request, conn, session, lang, webhook_id, retried=retried)

    @post("/{webhook_id:uuid}/active")
    async def switch_webhook(
        self, request: Request[Any, Any, Any], conn: Conn, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Switch a subscription off (nothing is sent; deliveries wait) or on again."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        change = WebhookUpdate(active=form.get("active") == "on")
        allowed = request.app.state.settings.webhook_allow_networks
        await actions.update_webhook(conn, webhook_id, change, session.user, allowed)
        return redirect(f"/console/webhooks/{webhook_id}")

    @post("/{webhook_id:uuid}/delete")
    async def delete_webhook(
        self, request: Request[Any, Any, Any], conn: Conn, webhook_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        await posted_form(request, session)
        await actions.delete_webhook(conn, webhook_id, session.user)
        return redirect("/console/webhooks/")

    @post("/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/retry")
    async def retry_delivery(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        webhook_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
    ) -> Response[bytes]:
        """Queue the delivery again (the API's retry): the sender picks it up."""
        session = await signed_in(request, conn)
        await posted_form(request, session)
        await actions.retry_delivery(conn, webhook_id, delivery_id, session.user)
        return redirect(f"/console/webhooks/{webhook_id}?retried={delivery_id}")
