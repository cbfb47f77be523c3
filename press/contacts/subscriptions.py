"""Self-service subscriptions: subscribe with double opt-in, confirm, unsubscribe.

Public and anonymous, so every answer to a subscription request is the same whether the
address is new, known, or suppressed: the endpoint tells no one who is in the registry.
Following a link only shows a page; the change is a POST from its button (or the RFC 8058
one-click POST a mail client sends), so link scanners in mail filters change nothing.
"""

from __future__ import annotations

import html
import uuid
from typing import Any

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody

from press.contacts import links, repository
from press.contacts.limits import client_address, count_anonymous_request
from press.contacts.repository import Q
from press.contacts.schemas import PublicSubscribe
from press.db import Conn
from press.errors import NotFound
from press.problem_responses import problems

ACCEPTED = {"status": "accepted", "detail": "If the address can be subscribed, a confirmation "
            "e-mail is on its way; nothing is sent before the link in it is followed."}  # fmt: skip


async def request_subscription(
    conn: asyncpg.Connection, data: PublicSubscribe, secret_key: str, client: str
) -> None:
    """Record the request and queue the confirmation e-mail (sent by press.delivery)."""
    await count_anonymous_request(conn, "subscribe", client, data.email, secret_key)
    if await repository.is_suppressed(conn, [repository.email_hash(secret_key, data.email)]):
        return
    contact_id = await conn.fetchval(Q["contact_by_email"], data.email)
    if contact_id is None:
        name = data.name or data.email.split("@")[0]
        contact_id = await conn.fetchval(
            Q["create_self_registered"], name, data.email.lower(), data.languages
        )
    elif await conn.fetchval(Q["recently_requested"], contact_id):
        return
    nonce = uuid.uuid4()
    pending = {
        "sources": data.sources,
        "topics": data.topics,
        "languages": data.languages,
        "consent_text_version": data.consent_text_version,
    }
    await conn.execute(Q["request_subscription"], contact_id, nonce, pending)
    lang = data.languages[0] if data.languages and data.languages[0] in ("fi", "sv", "en") else "fi"
    await conn.execute(Q["queue_mail"], "confirmation", nonce, None, contact_id, lang, False)


async def confirm(conn: asyncpg.Connection, token: str, secret_key: str) -> None:
    found = links.read_confirm_token(secret_key, token)
    pending = await conn.fetchval(Q["pending_subscription"], *found) if found else None
    if found is None or pending is None:
        raise NotFound("This confirmation link is unknown or has been used already.")
    contact_id = found[0]
    await conn.execute(
        Q["confirm_subscription"],
        contact_id,
        pending["sources"],
        pending["topics"],
        pending["languages"],
    )
    await repository.add_consent(
        conn, contact_id, "press-releases", pending["consent_text_version"], "web-form", None
    )
    await repository.touch_contact(conn, contact_id)


async def unsubscribe(conn: asyncpg.Connection, token: str, secret_key: str) -> None:
    """Stop all mail to the person at once: the subscription ends, consent is withdrawn and
    queued mail is cancelled. Repeating it is harmless."""
    contact_id = links.read_unsubscribe_token(secret_key, token)
    if contact_id is None:
        raise NotFound("This unsubscribe link is not valid.")
    await conn.execute(Q["unsubscribe"], contact_id)
    await conn.execute(Q["withdraw_all_consents"], contact_id)
    await repository.cancel_pending_deliveries(conn, contact_id, "unsubscribed")


def page(title: str, text: str, button: str | None = None, *, lang: str = "en") -> Response[str]:
    """A small page for a link followed from an e-mail; its button POSTs to the same URL."""
    form = (
        f'<form method="post"><button type="submit">{html.escape(button)}</button></form>'
        if button
        else ""
    )
    body = (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(text)}</p>{form}</html>"
    )
    return Response(
        body,
        media_type="text/html",  # Litestar adds the charset
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


# The documented answers: a small HTML page for a person who followed an e-mailed link, and
# the same 202 to every anonymous request (whether the address is known is not told).
HTML_PAGE = {200: ResponseSpec(str, media_type="text/html", description="A page for people")}
ACCEPTED_ANSWER = {202: ResponseSpec(dict[str, str], description="`status` and `detail`")}


def accepted(answer: dict[str, str]) -> Response[bytes]:
    """The one answer to an anonymous request, whoever the address belongs to."""
    return Response(
        msgspec.json.encode(answer),
        status_code=202,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


class SubscriptionController(Controller):
    path = "/api/v1/subscriptions"
    tags = ["public: subscriptions"]

    @post(
        "/",
        summary="Ask to receive releases by e-mail (double opt-in)",
        status_code=202,
        responses={**ACCEPTED_ANSWER, **problems(429)},
    )
    async def subscribe(
        self, request: Request[Any, Any, Any], conn: Conn, data: JSONBody[PublicSubscribe]
    ) -> Response[bytes]:
        await request_subscription(
            conn, data, request.app.state.settings.secret_key, client_address(request)
        )
        return accepted(ACCEPTED)

    @get(
        "/confirm/{token:str}",
        summary="The confirmation page of a subscription request",
        responses=HTML_PAGE,
    )
    async def confirm_page(self, token: FromPath[str]) -> Response[str]:
        return page("Confirm your subscription", "Press the button to start receiving "
                     "press releases by e-mail.", "Confirm")  # fmt: skip

    @post(
        "/confirm/{token:str}",
        summary="Confirm a subscription request",
        status_code=200,
        responses=HTML_PAGE,
    )
    async def confirm_subscription(
        self, request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
    ) -> Response[str]:
        await confirm(conn, token, request.app.state.settings.secret_key)
        return page("Subscription confirmed", "You will receive press releases by e-mail.")

    @get(
        "/unsubscribe/{token:str}",
        summary="The unsubscribe page of a signed link",
        responses=HTML_PAGE,
    )
    async def unsubscribe_page(
        self, request: Request[Any, Any, Any], token: FromPath[str]
    ) -> Response[str]:
        if links.read_unsubscribe_token(request.app.state.settings.secret_key, token) is None:
            raise NotFound("This unsubscribe link is not valid.")
        return page("Unsubscribe", "Press the button to stop all e-mail from us.", "Unsubscribe")

    @post(
        "/unsubscribe/{token:str}",
        summary="Unsubscribe (the button, or RFC 8058 one-click from a mail client)",
        status_code=200,
        responses=HTML_PAGE,
    )
    async def unsubscribe_by_link(
        self, request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
    ) -> Response[str]:
        await unsubscribe(conn, token, request.app.state.settings.secret_key)
        return page("Unsubscribed", "You will receive no more e-mail from us.")
