"""A person's own access to and erasure of what the registry holds about them (GDPR art. 15,
17 and 20), without asking the press office.

Public and anonymous like subscribing: a request is answered the same way whether the
address is known, unknown, erased or suppressed, and only a link e-mailed to the address
acts on it, so only whoever reads that mailbox sees or erases anything. Following the link
shows a page; the download or the erasure is the POST of its button, so link scanners in
mail filters change nothing. A link works once, for a day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import FromPath, JSONBody

from press.contacts import repository
from press.contacts.limits import client_address, count_anonymous_request
from press.contacts.own_privacy import act_on_privacy_request, open_request
from press.contacts.repository import Q
from press.contacts.schemas import PrivacyRequestIn
from press.contacts.subscriptions import ACCEPTED_ANSWER, HTML_PAGE, accepted, page
from press.db import Conn
from press.problem_responses import problems

ACCEPTED = {
    "status": "accepted",
    "detail": "If the address is in our registry, an e-mail with a link to complete the "
    "request is on its way; the link works once, for 24 hours.",
}

PAGES = {
    "access": {
        "fi": ("Omat tietosi", "Lataa kaikki tiedot, joita meillä on sinusta.", "Lataa tiedot"),
        "sv": ("Dina uppgifter", "Ladda ner alla uppgifter vi har om dig.", "Ladda ner"),
        "en": ("Your data", "Download everything we hold about you.", "Download"),
    },
    "erasure": {
        "fi": ("Tietojesi poistaminen", "Poista kaikki tietosi. Et saa sen jälkeen "
               "tiedotteita, eikä osoitettasi voi enää lisätä rekisteriin.", "Poista tiedot"),
        "sv": ("Radera dina uppgifter", "Radera alla dina uppgifter. Därefter får du inga "
               "pressmeddelanden och adressen kan inte längre läggas till.", "Radera"),
        "en": ("Erase your data", "Erase everything we hold about you. You will receive no "
               "more releases, and the address cannot be added again.", "Erase"),
    },
}  # fmt: skip
ERASED = {
    "fi": ("Tiedot poistettu", "Kaikki tietosi on poistettu rekisteristämme."),
    "sv": ("Uppgifterna raderade", "Alla dina uppgifter har raderats ur vårt register."),
    "en": ("Data erased", "Everything we held about you has been erased."),
}


async def request_privacy(
    conn: asyncpg.Connection, data: PrivacyRequestIn, secret_key: str, client: str
) -> None:
    """Record the request and queue the e-mail with its link (sent by press.delivery)."""
    await count_anonymous_request(conn, "privacy", client, data.email, secret_key)
    if await repository.is_suppressed(conn, [repository.email_hash(secret_key, data.email)]):
        return
    contact_id = await conn.fetchval(Q["contact_by_email"], data.email)
    if contact_id is None or await conn.fetchval(Q["open_privacy_request"], contact_id, data.kind):
        return
    nonce = uuid.uuid4()
    await conn.execute(Q["insert_privacy_request"], nonce, contact_id, data.kind, data.lang)
    await conn.execute(Q["queue_mail"], "privacy", nonce, None, contact_id, data.lang, False)


@dataclass
class DataOrPage(Operation):
    """The privacy link's action answers the person's data (JSON) or a page (HTML)."""

    def __post_init__(self) -> None:
        ok = self.responses["200"] if self.responses else None
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content["text/html"] = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))


class PrivacyController(Controller):
    path = "/api/v1/privacy"
    tags = ["public: privacy"]

    @post(
        "/requests",
        summary="Ask for your data, or for its erasure (a link is e-mailed)",
        status_code=202,
        responses={**ACCEPTED_ANSWER, **problems(429)},
    )
    async def ask(
        self, request: Request[Any, Any, Any], conn: Conn, data: JSONBody[PrivacyRequestIn]
    ) -> Response[bytes]:
        await request_privacy(
            conn, data, request.app.state.settings.secret_key, client_address(request)
        )
        return accepted(ACCEPTED)

    @get("/{token:str}", summary="The page of an e-mailed privacy link", responses=HTML_PAGE)
    async def link_page(
        self, request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
    ) -> Response[str]:
        row = await open_request(conn, token, request.app.state.settings.secret_key)
        title, text, button = PAGES[row["kind"]][row["lang"]]
        return page(title, text, button, lang=row["lang"])

    @post(
        "/{token:str}",
        summary="Download your data, or erase it",
        status_code=200,
        responses={
            200: ResponseSpec(
                dict[str, Any],
                description=(
                    "A request for access: the data, as a JSON attachment. A request for"
                    " erasure: a page for people (text/html) saying it is done."
                ),
                generate_examples=False,
            )
        },
        operation_class=DataOrPage,
    )
    async def act(
        self, request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
    ) -> Response[Any]:
        outcome = await act_on_privacy_request(conn, token, request.app.state.settings.secret_key)
        if outcome.kind == "access":
            return Response(
                msgspec.json.encode(outcome.data),
                media_type="application/json",
                headers={
                    "Cache-Control": "no-store",
                    "Content-Disposition": 'attachment; filename="my-data.json"',
                },
            )
        return page(*ERASED[outcome.lang], lang=outcome.lang)
