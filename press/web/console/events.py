"""The console's press events: upcoming and past, and a form to create, edit and cancel one,
its times typed on the city's clocks. Every change is press.events.actions', called with
the signed-in user, so the API's roles and checks apply unchanged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath

from press.db import Conn
from press.errors import PreconditionFailed, PressError
from press.events import actions, repository
from press.events.schemas import Event, EventUpdate
from press.releases import repository as releases_repository
from press.releases.schemas import LANGS
from press.settings import Settings
from press.web import i18n
from press.web.console.access import (
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.event_form import event_create, event_fields, event_update, fields_of_event
from press.web.console.layout import CONSOLE, Session, console_language, redirect, render_console
from press.web.console.releases import attempt
from press.web.console.views import LANGUAGE_LABELS, title_of, utc_text

LIST_LIMIT = 100
STATUS_NAMES = {
    "confirmed": i18n.gettext_noop("Confirmed"),
    "cancelled": i18n.gettext_noop("Cancelled"),
}


def event_line(event: Event, lang: str, settings: Settings) -> dict[str, Any]:
    """An event as a line of the list: its time on the city's clocks and in UTC."""
    zone = settings.zone
    return {
        "href": f"/console/events/{event.id}",
        "title": title_of(event, lang),
        "status": i18n.gettext(STATUS_NAMES.get(event.status, event.status)),
        "cancelled": event.status == "cancelled",
        "starts_text": i18n.local_datetime(event.starts_at, lang, zone),
        "starts_iso": event.starts_at.isoformat(),
        "starts_utc": utc_text(event.starts_at),
        "hidden_until": i18n.local_datetime(event.visible_from, lang, zone)
        if event.visible_from
        else "",
    }


async def event_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    fields: dict[str, Any],
    event: Event | None,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    sources = await releases_repository.list_sources(conn)
    return render_console(
        request,
        "event.html",
        lang,
        session,
        status=status,
        fields=fields,
        event=event,
        title=title_of(event, lang) if event else "",
        action=f"/console/events/{event.id}" if event else "/console/events/new",
        sources=[(row["slug"], row[f"name_{lang}"]) for row in sources],
        langs=[(code, i18n.gettext(LANGUAGE_LABELS[code])) for code in LANGS],
        cancelled=event is not None and event.status == "cancelled",
        **context,
    )


def blank_fields() -> dict[str, Any]:
    return {
        "source": "",
        "texts": {lang: {"title": "", "description": ""} for lang in LANGS},
        "starts_at": "",
        "ends_at": "",
        "visible_from": "",
        "location_name": "",
        "location_address": "",
        "online_url": "",
        "accreditation_required": False,
        "etag": "",
    }


class ConsoleEventController(Controller):
    path = "/console/events"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/")
    async def list_events(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        settings: Settings = request.app.state.settings
        ahead = await repository.list_events_ahead(conn, LIST_LIMIT)
        past = await repository.list_events_past(conn, LIST_LIMIT)
        with i18n.speaking(lang, CONSOLE):
            return render_console(
                request,
                "events.html",
                lang,
                session,
                ahead=[event_line(e, lang, settings) for e in ahead],
                past=[event_line(e, lang, settings) for e in past],
                limit=LIST_LIMIT,
            )

    @get("/new")
    async def new_event(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            return await event_page(request, conn, session, lang, blank_fields(), None)

    @post("/new")
    async def create_event(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        zone = request.app.state.settings.zone
        created: list[Event] = []

        async def work(fields: dict[str, Any]) -> None:
            created.append(
                await actions.create_event(conn, event_create(fields, zone), session.user)
            )

        failed = await self._save(request, conn, session, form, None, work)
        return failed or redirect(f"/console/events/{created[0].id}?saved=1")

    @get("/{event_id:uuid}")
    async def edit_event(
        self, request: Request[Any, Any, Any], conn: Conn, event_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        event = await actions.load(conn, event_id)
        fields = fields_of_event(event, request.app.state.settings.zone, actions.event_etag(event))
        saved = request.query_params.get("saved") == "1"
        with i18n.speaking(lang, CONSOLE):
            return await event_page(request, conn, session, lang, fields, event, saved=saved)

    @post("/{event_id:uuid}")
    async def update_event(
        self, request: Request[Any, Any, Any], conn: Conn, event_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        zone = request.app.state.settings.zone
        before = await actions.load(conn, event_id)

        async def work(fields: dict[str, Any]) -> None:
            change = event_update(fields, before, zone)
            await actions.update_event(conn, event_id, change, session.user, fields["etag"])

        failed = await self._save(request, conn, session, form, before, work)
        return failed or redirect(f"/console/events/{event_id}?saved=1")

    @post("/{event_id:uuid}/cancel")
    async def cancel_event(
        self, request: Request[Any, Any, Any], conn: Conn, event_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Cancel: calendars that subscribed learn the event is off (it stays listed)."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        before = await actions.load(conn, event_id)
        change = EventUpdate(status="cancelled")
        work = actions.update_event(conn, event_id, change, session.user, str(form.get("etag")))
        error = await attempt(conn, work)
        if error is None:
            return redirect(f"/console/events/{event_id}?saved=1")
        return await self._refused(request, conn, session, before, error)

    @post("/{event_id:uuid}/delete")
    async def delete_event(
        self, request: Request[Any, Any, Any], conn: Conn, event_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Delete an event no one outside has seen; the domain refuses a public one (it is
        cancelled instead, so that calendars learn it is off)."""
        session = await signed_in(request, conn)
        await posted_form(request, session)
        before = await actions.load(conn, event_id)
        error = await attempt(conn, actions.delete_event(conn, event_id, session.user))
        if error is None:
            return redirect("/console/events/")
        return await self._refused(request, conn, session, before, error)

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        conn: asyncpg.Connection,
        session: Session,
        event: Event,
        error: PressError,
    ) -> Response[bytes]:
        """The event's page as saved, saying why a cancel or delete was refused."""
        lang = console_language(request)
        zone = request.app.state.settings.zone
        fields = fields_of_event(event, zone, actions.event_etag(event))
        with i18n.speaking(lang, CONSOLE):
            return await event_page(
                request, conn, session, lang, fields, event, status=error.status,
                error=_refusal(error),
            )  # fmt: skip

    async def _save(
        self,
        request: Request[Any, Any, Any],
        conn: asyncpg.Connection,
        session: Session,
        form: FormMultiDict,
        before: Event | None,
        work: Any,
    ) -> Response[bytes] | None:
        """Save the form through `work`, or the form again (as typed) saying why not."""
        lang = console_language(request)
        fields = event_fields(form)
        with i18n.speaking(lang, CONSOLE):
            # The form's own reading (times, fields) is refused in the savepoint too.
            error = await attempt(conn, work(fields))
            if error is None:
                return None
            return await event_page(
                request, conn, session, lang, fields, before, status=error.status,
                error=_refusal(error),
            )  # fmt: skip


def _refusal(error: PressError) -> str:
    if isinstance(error, PreconditionFailed):
        return i18n.gettext(
            "Someone else changed this event while you were editing: nothing was saved. "
            "Open the event again to see their change."
        )
    return error.detail
