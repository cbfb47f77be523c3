"""The forms on a journalist's page that change one thing at once: the accreditation (grant a
verified press card, suspend, reinstate, revoke) and the subscription. Each button is one
call of press.contacts, with its role check and audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath

from press.contacts import preferences, registry
from press.contacts.schemas import (
    AccreditationGrant,
    AccreditationReason,
    ContactUpdate,
    SubscriptionIn,
)
from press.db import Conn
from press.errors import InvalidInput
from press.web import i18n
from press.web.console.access import posted_form, signed_in
from press.web.console.contact_forms import OTHER_LABELS, SUBSCRIPTION_LABELS, convert, refusal_text
from press.web.console.contacts import ERROR_HANDLERS, contact_page
from press.web.console.layout import CONSOLE, Session, console_language, redirect
from press.web.console.releases import attempt


class ConsoleContactActionController(Controller):
    path = "/console/contacts"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @post("/{contact_id:uuid}/accreditation")
    async def change_accreditation(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Grant (a verified press card), suspend, reinstate, or revoke embargo access."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        action = str(form.get("action") or "")
        with i18n.speaking(lang, CONSOLE):
            try:
                work = accreditation_work(conn, contact_id, action, form, session, request)
            except InvalidInput as invalid:
                return await contact_page(
                    request, conn, session, lang, contact_id, status=422,
                    accreditation_error=invalid.detail,
                )  # fmt: skip
            error = await attempt(conn, work)
            if error is None:
                return redirect(f"/console/contacts/{contact_id}")
            return await contact_page(
                request, conn, session, lang, contact_id, status=error.status,
                accreditation_error=refusal_text(error),
            )  # fmt: skip

    @post("/{contact_id:uuid}/subscription")
    async def change_subscription(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        """What the journalist receives by e-mail, entered on their behalf (confirmed at once,
        as the API's PUT does)."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            try:
                data = subscription_in(form)
            except InvalidInput as invalid:
                return await contact_page(
                    request, conn, session, lang, contact_id, status=422,
                    subscription_error=invalid.detail,
                )  # fmt: skip
            error = await attempt(
                conn, preferences.put_subscription(conn, contact_id, data, session.user)
            )
            if error is None:
                return redirect(f"/console/contacts/{contact_id}")
            return await contact_page(
                request, conn, session, lang, contact_id, status=error.status,
                subscription_error=refusal_text(error),
            )  # fmt: skip


def subscription_in(form: FormMultiDict) -> SubscriptionIn:
    body = {
        name: [str(v) for v in form.getall(name, [])] for name in ("sources", "topics", "languages")
    }
    data: SubscriptionIn = convert(
        {**body, "embargoed": form.get("embargoed") == "on"}, SubscriptionIn, SUBSCRIPTION_LABELS
    )
    return data


def accreditation_work(
    conn: asyncpg.Connection,
    contact_id: UUID,
    action: str,
    form: Any,
    session: Session,
    request: Request[Any, Any, Any],
) -> Any:
    """The domain's call for the accreditation form's button (not yet awaited)."""
    user = session.user
    reason = {"reason": str(form.get("reason") or "").strip()}
    if action == "grant":
        grant = {
            "evidence": str(form.get("evidence") or "").strip(),
            "verified_on": _date(form.get("verified_on"), "verified_on"),
            "valid_until": _date(form.get("valid_until"), "valid_until"),
        }
        data = convert(grant, AccreditationGrant, OTHER_LABELS)
        return registry.grant_accreditation(conn, contact_id, data, user)
    if action in ("suspend", "reinstate"):
        text = convert(reason, AccreditationReason, OTHER_LABELS).reason
        if action == "suspend":
            return registry.suspend_accreditation(conn, contact_id, text, user)
        return registry.reinstate_accreditation(conn, contact_id, text, user)
    if action == "revoke":
        etag = str(form.get("etag") or "") or None
        key = request.app.state.settings.secret_key
        change = ContactUpdate(embargo_access=False)
        return registry.update_contact(conn, contact_id, change, user, etag, key)
    raise InvalidInput(i18n.gettext("Choose what to do with the accreditation."))


def _date(value: Any, field: str) -> str:
    """A date field as the browser sends it (YYYY-MM-DD); anything else is refused."""
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        label = i18n.gettext(OTHER_LABELS[field])
        raise InvalidInput(i18n.gettext("Give “%(field)s” as a date.") % {"field": label}) from None
