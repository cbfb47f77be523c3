"""Outlets (newspapers, broadcasters, agencies) in the console: the list with its search,
a new outlet, and changing one; press.contacts.outlets' own functions do each."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from press.contacts.controllers import sort_cursor
from press.contacts.outlets import (
    add_outlet,
    change_outlet,
    outlet_etag,
    read_outlet,
    search_outlets,
)
from press.contacts.schemas import Outlet, OutletCreate, OutletUpdate
from press.db import Conn
from press.pagination import encode_cursor
from press.staff.schemas import Role
from press.web import i18n
from press.web.console.access import posted_form, signed_in
from press.web.console.contact_forms import (
    OUTLET_KINDS,
    OUTLET_LABELS,
    convert,
    fields_of_outlet,
    outlet_body,
    outlet_fields,
    refusal_text,
)
from press.web.console.contacts import ERROR_HANDLERS, PAGE_SIZE, page_link
from press.web.console.layout import CONSOLE, Session, console_language, redirect, render_console
from press.web.console.releases import attempt

NEW = {"name": "", "kind": "other", "country": "", "languages": "", "website": "", "etag": ""}


def outlet_form(
    request: Request[Any, Any, Any],
    session: Session,
    fields: dict[str, Any],
    outlet_id: UUID | None,
    *,
    status: int = 200,
    error: str = "",
) -> Response[bytes]:
    lang = console_language(request)
    with i18n.speaking(lang, CONSOLE):
        kinds = [(k, i18n.gettext(v)) for k, v in OUTLET_KINDS.items()]
    return render_console(
        request, "outlet_edit.html", lang, session, status=status, fields=fields,
        outlet_id=outlet_id, kinds=kinds, error=error,
        action=f"/console/outlets/{outlet_id}" if outlet_id else "/console/outlets/new",
    )  # fmt: skip


class ConsoleOutletController(Controller):
    path = "/console/outlets"
    include_in_schema = False
    exception_handlers = ERROR_HANDLERS

    @get("/")
    async def list_outlets(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        q: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        query = (q or "").strip()[:200]
        items, key = await search_outlets(
            conn, session.user, q=query or None, kind=None, country=None,
            after=sort_cursor(cursor), size=PAGE_SIZE,
        )  # fmt: skip
        more = (
            page_link("/console/outlets", q=query, cursor=encode_cursor(key, str(items[-1].id)))
            if key is not None else None
        )  # fmt: skip
        with i18n.speaking(lang, CONSOLE):
            kinds = {k: i18n.gettext(v) for k, v in OUTLET_KINDS.items()}
        return render_console(
            request, "outlets.html", lang, session, items=items, q=query, more=more,
            kinds=kinds, may_edit=session.user.rank >= Role.editor,
        )  # fmt: skip

    @get("/new")
    async def new_outlet(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        return outlet_form(request, session, dict(NEW), None)

    @post("/new")
    async def create_outlet(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        fields = outlet_fields(form)
        made: list[Outlet] = []

        async def work() -> None:
            data = convert(outlet_body(fields), OutletCreate, OUTLET_LABELS)
            made.append(await add_outlet(conn, data, session.user))

        return await self._save(request, conn, session, fields, None, work, made)

    @get("/{outlet_id:uuid}")
    async def edit_outlet(
        self, request: Request[Any, Any, Any], conn: Conn, outlet_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        outlet = await read_outlet(conn, outlet_id, session.user)
        return outlet_form(
            request, session, fields_of_outlet(outlet, outlet_etag(outlet)), outlet_id
        )

    @post("/{outlet_id:uuid}")
    async def update_outlet(
        self, request: Request[Any, Any, Any], conn: Conn, outlet_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        fields = outlet_fields(form)
        made: list[Outlet] = []

        async def work() -> None:
            data = convert(outlet_body(fields), OutletUpdate, OUTLET_LABELS)
            made.append(
                await change_outlet(conn, outlet_id, data, session.user, fields["etag"] or None)
            )

        return await self._save(request, conn, session, fields, outlet_id, work, made)

    async def _save(
        self,
        request: Request[Any, Any, Any],
        conn: Any,
        session: Session,
        fields: dict[str, Any],
        outlet_id: UUID | None,
        work: Any,
        made: list[Outlet],
    ) -> Response[bytes]:
        """The list after a save, or the form again saying why not."""
        with i18n.speaking(console_language(request), CONSOLE):
            error = await attempt(conn, work())
            if error is None:
                return redirect(page_link("/console/outlets", q=made[0].name))
            if error.status == 412 and outlet_id is not None:
                current = await read_outlet(conn, outlet_id, session.user)
                fields = fields_of_outlet(current, outlet_etag(current))
            return outlet_form(
                request, session, fields, outlet_id,
                status=409 if error.status == 412 else error.status, error=refusal_text(error),
            )  # fmt: skip
