"""A person's rights from the console: their data as a download (access, GDPR art. 15) and
erasure (art. 17) after the officer types the person's name to confirm. Both are
press.contacts.privacy's own functions: admins only, audited as the API's are."""

from __future__ import annotations

import unicodedata
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from press.conditional import PRIVATE
from press.contacts import privacy, registry
from press.db import Conn
from press.web import i18n
from press.web.console.access import posted_form, signed_in
from press.web.console.contact_forms import refusal_text
from press.web.console.contacts import ERROR_HANDLERS
from press.web.console.layout import CONSOLE, HEADERS, console_language, redirect, render_console
from press.web.console.releases import attempt


def same_name(typed: str, name: str) -> bool:
    """Whether the name typed is the person's: case, spacing and Unicode form aside (an ä
    typed as a + combining diaeresis is still ä), but not accents: Åberg is not Aberg."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return bool(norm(name)) and norm(typed) == norm(name)


class ConsolePrivacyController(Controller):
    path = "/console/contacts"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @get("/{contact_id:uuid}/export.json")
    async def export_contact(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Everything held about the person, as a file to hand over."""
        session = await signed_in(request, conn)
        data = await privacy.export_contact(conn, contact_id, session.user)
        return Response(
            msgspec.json.format(msgspec.json.encode(data), indent=2),
            media_type="application/json",
            headers={
                **HEADERS,
                "Cache-Control": PRIVATE,
                "Content-Disposition": f'attachment; filename="contact-{contact_id}.json"',
            },
        )

    @get("/{contact_id:uuid}/erase")
    async def confirm_erasure(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        contact = await registry.read_contact(conn, contact_id, session.user)
        lang = console_language(request)
        return render_console(request, "contact_erase.html", lang, session, contact=contact)

    @post("/{contact_id:uuid}/erase")
    async def erase_contact(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        contact = await registry.load_contact(conn, contact_id)
        key = request.app.state.settings.secret_key
        with i18n.speaking(lang, CONSOLE):
            if not same_name(str(form.get("confirm_name") or ""), contact.name):
                error = i18n.gettext("The name typed is not the person's name; nothing was erased.")
                return render_console(
                    request, "contact_erase.html", lang, session, status=422,
                    contact=contact, error=error,
                )  # fmt: skip
            refused = await attempt(
                conn, privacy.erase_on_request(conn, contact_id, session.user, key)
            )
            if refused is not None:
                return render_console(
                    request, "contact_erase.html", lang, session, status=refused.status,
                    contact=contact, error=refusal_text(refused),
                )  # fmt: skip
        return redirect("/console/contacts?erased=1")
