"""Merging two records of one journalist from the console: choose the other record and which
of the two stays, see the result on a confirmation page, then merge (press.contacts.merge,
the API's own function: its role check, locks and audit entries)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from press.contacts import merge, registry
from press.contacts.schemas import Contact, NearDuplicate
from press.db import Conn
from press.errors import InvalidInput
from press.web import i18n
from press.web.console.access import posted_form, signed_in
from press.web.console.contact_forms import refusal_text
from press.web.console.contacts import ERROR_HANDLERS, search_filters
from press.web.console.layout import CONSOLE, Session, console_language, redirect, render_console
from press.web.console.releases import attempt

CANDIDATES = 10


def _pair(this: Contact, other: Contact, keep: str) -> tuple[Contact, Contact]:
    """(the record that stays, the record merged into it and removed)."""
    return (other, this) if keep == "other" else (this, other)


async def _other(conn: Any, session: Session, form: Any) -> Contact:
    try:
        other_id = UUID(str(form.get("other") or ""))
    except ValueError:
        raise InvalidInput(i18n.gettext("Choose the other record of this person.")) from None
    return await registry.read_contact(conn, other_id, session.user)


class ConsoleMergeController(Controller):
    path = "/console/contacts"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @get("/{contact_id:uuid}/merge")
    async def choose_merge(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        contact_id: FromPath[UUID],
        q: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """The other record: the near-duplicates the registry found, or a search."""
        session = await signed_in(request, conn)
        lang = console_language(request)
        this = await registry.read_contact(conn, contact_id, session.user)
        query = (q or "").strip()[:200]
        found: list[Contact] = []
        if query:
            found, _ = await registry.search_contacts(
                conn, session.user, search_filters(query), None, CANDIDATES
            )
        people: list[NearDuplicate | Contact] = [*this.near_duplicates, *found]
        candidates = [
            {"id": c.id, "name": c.name, "email": c.email} for c in people if c.id != this.id
        ]
        unique = list({c["id"]: c for c in candidates}.values())
        return render_console(
            request, "contact_merge.html", lang, session, this=this, q=query,
            candidates=unique, searched=bool(query),
        )  # fmt: skip

    @post("/{contact_id:uuid}/merge")
    async def merge_contacts(
        self, request: Request[Any, Any, Any], conn: Conn, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        """`intent=confirm`: the confirmation page; `intent=merge`: the merge itself."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        keep = "other" if form.get("keep") == "other" else "this"
        with i18n.speaking(lang, CONSOLE):
            this = await registry.read_contact(conn, contact_id, session.user)
            try:
                other = await _other(conn, session, form)
            except InvalidInput as invalid:
                return render_console(
                    request, "contact_merge.html", lang, session, status=422, this=this,
                    q="", candidates=[], searched=False, error=invalid.detail,
                )  # fmt: skip
            target, source = _pair(this, other, keep)
            if form.get("intent") != "merge":
                return render_console(
                    request, "contact_merge_confirm.html", lang, session, this=this,
                    other=other, keep=keep, target=target, source=source,
                    result=merge.merged_values(target, source),
                )  # fmt: skip
            work = merge.merge_contacts(conn, target.id, source.id, session.user)
            error = await attempt(conn, work)
            if error is None:
                return redirect(f"/console/contacts/{target.id}")
            return render_console(
                request, "contact_merge_confirm.html", lang, session, status=error.status,
                this=this, other=other, keep=keep, target=target, source=source,
                result=merge.merged_values(target, source), error=refusal_text(error),
            )  # fmt: skip
