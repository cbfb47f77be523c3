"""The journalist registry in the console: the list with its search, a journalist's page
(fields, accreditation, consents, subscription) and the edit form; the page's own buttons
are in contact_actions.

Every read and change is press.contacts' own function, called in-process with the signed-in
user, so the API's roles and audit entries hold here unchanged. A refusal is shown on the
page it came from, in the user's language where the catalog knows the domain's sentence.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from press.contacts import preferences, registry, repository
from press.contacts.controllers import ContactFilters, sort_cursor
from press.contacts.outlets import search_outlets
from press.db import Conn
from press.errors import InvalidInput, PressError
from press.pagination import encode_cursor
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role
from press.web import i18n
from press.web.console.access import SignInNeeded, posted_form, sign_in_needed, signed_in
from press.web.console.contact_forms import (
    BLANK_OUTLET_ROWS,
    CONTACT_LABELS,
    STATUS_NAMES,
    contact_fields,
    contact_update,
    fields_of_contact,
    refusal_text,
)
from press.web.console.layout import (
    CONSOLE,
    Session,
    console_language,
    redirect,
    render_console,
    when,
)
from press.web.console.releases import attempt, pick_lists
from press.web.console.views import LANGUAGE_LABELS

PAGE_SIZE = 25
# Outlet names the edit form suggests as one types (a datalist); any other is typed whole.
OUTLET_CHOICES = 500
ACCREDITATION_KINDS = {
    "granted": i18n.gettext_noop("Granted"),
    "revoked": i18n.gettext_noop("Revoked"),
    "suspended": i18n.gettext_noop("Suspended"),
    "reinstated": i18n.gettext_noop("Reinstated"),
}


def registry_error(request: Request[Any, Any, Any], error: PressError) -> Response[bytes]:
    """A refusal of the domain as a console page, said in the user's language."""
    lang = console_language(request)
    with i18n.speaking(lang, CONSOLE):
        detail = refusal_text(error)
    response = render_console(request, "error.html", lang, None, status=error.status, detail=detail)
    response.headers.update(error.headers)
    return response


ERROR_HANDLERS: dict[int | type[Exception], Any] = {
    SignInNeeded: sign_in_needed,
    PressError: registry_error,
}


def search_filters(q: str, accredited: bool | None = None) -> dict[str, Any]:
    """The registry's filters as the console's search sets them: the words typed and,
    if ticked, accredited journalists only; the API's other filters left open."""
    filters: dict[str, Any] = dict.fromkeys(ContactFilters.__struct_fields__)
    return filters | {"q": q or None, "accredited": True if accredited else None}


def page_link(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


async def contact_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    contact_id: UUID,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    """A journalist's page: what is held, the accreditation's history, consents given and
    withdrawn, the subscription; each read audited by the domain as the API's are."""
    user, settings = session.user, request.app.state.settings
    contact = await registry.read_contact(conn, contact_id, user)
    require(user, Role.viewer, "read accreditations")
    history = await repository.list_accreditation(conn, contact_id)
    await record_audit(conn, user, "contact.accreditation.read", "contact", contact_id)
    consents = await preferences.list_consents(conn, contact_id, user)
    subscription = await repository.fetch_subscription(conn, contact_id)
    if subscription is not None:
        subscription = await preferences.get_subscription(conn, contact_id, user)
    names = await pick_lists(conn, lang)
    return render_console(
        request,
        "contact.html",
        lang,
        session,
        status=status,
        contact=contact,
        etag=registry.contact_etag(contact),
        history=[
            {
                "kind": i18n.gettext(ACCREDITATION_KINDS.get(e.kind, e.kind)),
                "event": e,
                "when": when(e.created_at, lang, settings),
            }
            for e in history
        ],
        consents=[
            {
                "consent": c,
                "given": when(c.given_at, lang, settings),
                "withdrawn": when(c.withdrawn_at, lang, settings),
            }
            for c in consents
        ],
        subscription=subscription,
        status_name=i18n.gettext(STATUS_NAMES.get(contact.status, contact.status)),
        source_names=dict(names["sources"]),
        topic_names=dict(names["topics"]),
        mail_languages=[(code, i18n.gettext(LANGUAGE_LABELS[code])) for code in i18n.LANGS],
        suspended_text=when(contact.suspended_at, lang, settings),
        may_edit=user.rank >= Role.editor,
        may_reinstate=user.rank >= Role.approver,
        is_admin=user.rank >= Role.admin,
        **context,
    )


async def edit_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    contact_id: UUID,
    fields: dict[str, Any],
    *,
    status: int = 200,
    error: str = "",
    conflict: list[tuple[str, str]] | None = None,
) -> Response[bytes]:
    known_outlets, _ = await search_outlets(
        conn, session.user, q=None, kind=None, country=None, after=None, size=OUTLET_CHOICES
    )
    return render_console(
        request,
        "contact_edit.html",
        lang,
        session,
        status=status,
        contact_id=contact_id,
        fields=fields,
        error=error,
        conflict=conflict,
        statuses=[(k, i18n.gettext(v)) for k, v in STATUS_NAMES.items()],
        outlet_rows=[*(fields["outlets"] or []), *([{"name": "", "role": ""}] * BLANK_OUTLET_ROWS)],
        outlet_names=[o.name for o in known_outlets],
        **(await pick_lists(conn, lang)),
    )


class ConsoleContactController(Controller):
    path = "/console/contacts"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @get("/")
    async def list_contacts(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        q: FromQuery[str | None] = None,
        accredited: FromQuery[bool | None] = None,
        cursor: FromQuery[str | None] = None,
        erased: FromQuery[bool] = False,
    ) -> Response[bytes]:
        """The registry in Finnish/Swedish name order; the search forgives accents (ä, å,
        ö typed or not) and small typos, as the API's does."""
        session = await signed_in(request, conn)
        lang = console_language(request)
        query = (q or "").strip()[:200]
        items, last_key = await registry.search_contacts(
            conn, session.user, search_filters(query, accredited), sort_cursor(cursor), PAGE_SIZE
        )
        more = (
            page_link("/console/contacts", q=query, accredited=accredited,
                      cursor=encode_cursor(last_key, str(items[-1].id)))
            if last_key is not None else None
        )  # fmt: skip
        return render_console(
            request, "contacts.html", lang, session, items=items, q=query,
            accredited=bool(accredited), more=more,
            first=cursor and page_link("/console/contacts", q=query, accredited=accredited),
            export=page_link("/console/contacts/export.csv", q=query, accredited=accredited),
            may_edit=session.user.rank >= Role.editor, erased=erased,
        )  # fmt: skip

    @get("/{contact_id:uuid}")
    async def show_contact(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            return await contact_page(request, conn, session, lang, contact_id)

    @get("/{contact_id:uuid}/edit")
    async def edit_contact(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        contact = await registry.read_contact(conn, contact_id, session.user)
        fields = fields_of_contact(contact, registry.contact_etag(contact))
        with i18n.speaking(lang, CONSOLE):
            return await edit_page(request, conn, session, lang, contact_id, fields)

    @post("/{contact_id:uuid}/edit")
    async def update_contact(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        fields = contact_fields(form)
        key = request.app.state.settings.secret_key
        with i18n.speaking(lang, CONSOLE):
            try:
                change = contact_update(fields, await outlets_named(conn, fields["outlets"]))
            except InvalidInput as invalid:
                return await edit_page(
                    request, conn, session, lang, contact_id, fields,
                    status=422, error=invalid.detail,
                )  # fmt: skip
            work = registry.update_contact(
                conn, contact_id, change, session.user, fields["etag"] or None, key
            )
            error = await attempt(conn, work)
            if error is None:
                return redirect(f"/console/contacts/{contact_id}")
            if error.status == 412:
                # Someone saved meanwhile: nothing is saved, the user's values stay in the
                # form, now against the saved version, and the page lists what differs;
                # saving again decides (as the release editor does).
                current = await registry.load_contact(conn, contact_id)
                saved = fields_of_contact(current, registry.contact_etag(current))
                fields["etag"] = saved["etag"]
                return await edit_page(
                    request, conn, session, lang, contact_id, fields, status=409,
                    conflict=differences(fields, saved),
                )  # fmt: skip
            return await edit_page(
                request, conn, session, lang, contact_id, fields,
                status=error.status, error=refusal_text(error),
            )  # fmt: skip


def differences(typed: dict[str, Any], saved: dict[str, Any]) -> list[tuple[str, str]]:
    """The fields where the record as saved now differs from the form: label and saved value."""
    found = []
    for name, label in CONTACT_LABELS.items():
        mine, theirs = typed.get(name), saved.get(name)
        if name in saved and mine != theirs:
            shown = ", ".join(theirs) if isinstance(theirs, list) else str(theirs)
            found.append((i18n.gettext(label), shown))
    return found


async def outlets_named(
    conn: asyncpg.Connection, rows: list[dict[str, str]] | None
) -> dict[str, UUID]:
    """The outlets the form names, by name in lower case (outlet names are unique in any
    case); a name no outlet has is refused, pointing to the outlets page."""
    found: dict[str, UUID] = {}
    for row in rows or []:
        outlet_id = await repository.outlet_by_name(conn, row["name"])
        if outlet_id is None:
            raise InvalidInput(
                i18n.gettext("No outlet is named “%(name)s”; add it on the outlets page first.")
                % {"name": row["name"]}
            )
        found[row["name"].lower()] = outlet_id
    return found
