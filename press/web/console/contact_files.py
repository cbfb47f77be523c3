"""Spreadsheets in and out of the registry from the console: the CSV import with its per-row
report, and the registry (or the part a search selects) as a CSV download. Both are
press.contacts.importer's own functions: editors and up, audited as the API's are.

The import answers when it is done (a result page, no JavaScript needed): ten thousand rows
take a few seconds, as bench and tests/contacts/test_import.py measure.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromQuery

from press.conditional import PRIVATE
from press.contacts import importer
from press.contacts.controllers import ContactFilters
from press.contacts.schemas import ImportReport
from press.db import Conn
from press.errors import Forbidden, PressError
from press.web import i18n
from press.web.console.access import signed_in
from press.web.console.contact_forms import refusal_text
from press.web.console.contacts import ERROR_HANDLERS
from press.web.console.layout import CONSOLE, HEADERS, Session, console_language, render_console
from press.web.console.releases import attempt
from press.web.console.sessions import check_form_token

FIELD_NAMES = {
    "name": i18n.gettext_noop("Name"),
    "email": i18n.gettext_noop("E-mail address"),
    "other_emails": i18n.gettext_noop("Other e-mail addresses"),
    "phones": i18n.gettext_noop("Phone numbers"),
    "outlet": i18n.gettext_noop("Outlet"),
    "role": i18n.gettext_noop("Role at the outlet"),
    "country": i18n.gettext_noop("Country code"),
    "languages": i18n.gettext_noop("Languages"),
    "beats": i18n.gettext_noop("Beats"),
    "sources": i18n.gettext_noop("Sources followed"),
    "tags": i18n.gettext_noop("Tags"),
    "notes": i18n.gettext_noop("Notes"),
}


def import_page(
    request: Request[Any, Any, Any],
    session: Session,
    *,
    status: int = 200,
    report: ImportReport | None = None,
    error: str = "",
) -> Response[bytes]:
    lang = console_language(request)
    with i18n.speaking(lang, CONSOLE):
        columns = (
            [(h, i18n.gettext(FIELD_NAMES[f]) if f in FIELD_NAMES else "") for h, f in
             report.columns.items()]
            if report else []
        )  # fmt: skip
    return render_console(
        request, "contact_import.html", lang, session, status=status, report=report,
        columns=columns, error=error,
    )  # fmt: skip


class ConsoleContactFileController(Controller):
    path = "/console/contacts"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @get("/export.csv")
    async def export_registry(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        q: FromQuery[str | None] = None,
        accredited: FromQuery[bool | None] = None,
    ) -> Response[bytes]:
        """The contacts the list shows for this search, all of them, as a spreadsheet."""
        session = await signed_in(request, conn)
        query = (q or "").strip()[:200] or None
        filters = ContactFilters(q=query, accredited=True if accredited else None)
        contacts = await importer.export_contacts(conn, session.user, filters, "csv")
        return Response(
            importer.contacts_csv(contacts),
            media_type="text/csv",
            headers={
                **HEADERS,
                "Cache-Control": PRIVATE,
                "Content-Disposition": 'attachment; filename="contacts.csv"',
            },
        )

    @get("/import")
    async def import_form(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        return import_page(request, session)

    @post("/import")
    async def import_contacts(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        """The file sent, imported (or checked only); the report row by row."""
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            try:
                form = await request.form()
            except RequestEntityTooLarge:
                limit = request.route_handler.resolve_request_max_body_size() or 0
                error = i18n.gettext("The file is larger than %(size)s MB; import it in parts.") % {
                    "size": f"{limit / 1e6:g}"
                }
                return import_page(request, session, status=413, error=error)
            check_form_token(form.get("csrf"), session.form_token)
            upload = form.get("file")
            if upload is None or not hasattr(upload, "read"):
                error = i18n.gettext("Choose the CSV file to import.")
                return import_page(request, session, status=422, error=error)
            raw = await upload.read()
            key = request.app.state.settings.secret_key
            dry_run = form.get("dry_run") == "on"
            reports: list[ImportReport] = []

            async def work() -> None:
                reports.append(await importer.import_file(
                    conn, raw, key, dry_run=dry_run, user=session.user
                ))  # fmt: skip

            refused: PressError | None = await attempt(conn, work())
            if isinstance(refused, Forbidden):
                raise refused
            if refused is not None:
                return import_page(
                    request, session, status=refused.status, error=refusal_text(refused)
                )
            return import_page(request, session, report=reports[0])
