"""The console's audit log: who did what to which release, event, webhook or contact, and
when, filtered and paged, with the actions named in the user's language. Read through
press.staff.audit.read_audit, the API's own (approvers and up)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, Response, get

from press.db import Conn
from press.errors import InvalidInput, PressError
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.audit import AuditFilters, read_audit
from press.staff.schemas import AuditEntry
from press.web import i18n
from press.web.console.access import SignInNeeded, console_error, sign_in_needed, signed_in
from press.web.console.audit_names import ACTION_NAMES, ENTITY_NAMES
from press.web.console.layout import CONSOLE, console_language, render_console
from press.web.console.views import utc_text

PAGE_SIZE = 50
FILTERS = ("actor", "action", "entity", "entity_id", "from", "to")


def day_start(text: str, label: str, zone: ZoneInfo, *, days_after: int = 0) -> datetime | None:
    """Midnight on the city's clocks that begins the day a date field names (or the day
    `days_after` it)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text) + timedelta(days=days_after)
        # Checked here: a day PostgreSQL's timestamptz or Python's UTC cannot hold is wrong.
        return datetime.combine(day, time(), zone).astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(
            i18n.gettext("%(field)s: give a date as the field asks (day, month and year).")
            % {"field": i18n.gettext(label)}
        ) from None


async def audit_filters(
    conn: Any, given: dict[str, str], zone: ZoneInfo
) -> tuple[AuditFilters, str | None]:
    """The filters as the domain takes them, and a note when the actor is no staff user."""
    filters = AuditFilters(
        action=given["action"] or None,
        entity=given["entity"] or None,
        entity_id=given["entity_id"] or None,
        since=day_start(given["from"], "From", zone),
        # A day range includes its last day: entries before the next midnight.
        until=day_start(given["to"], "To", zone, days_after=1),
    )
    if not given["actor"]:
        return filters, None
    actor_id = await staff_repository.staff_user_id(conn, given["actor"])
    if actor_id is None:
        return filters, i18n.gettext("No staff user has this e-mail address.")
    return msgspec.structs.replace(filters, actor_id=actor_id), None


def entry_line(entry: AuditEntry, lang: str, settings: Settings) -> dict[str, Any]:
    changes = msgspec.json.encode(entry.changes).decode()
    return {
        "at": i18n.local_datetime(entry.at, lang, settings.zone),
        "at_utc": utc_text(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "action_name": i18n.gettext(ACTION_NAMES[entry.action])
        if entry.action in ACTION_NAMES
        else entry.action,
        "entity": i18n.gettext(ENTITY_NAMES.get(entry.entity, entry.entity)),
        "entity_id": entry.entity_id,
        "href": subject_href(entry),
        "changes": changes if changes != "{}" else "",
    }


def subject_href(entry: AuditEntry) -> str | None:
    """The console page of what an entry is about, where the console has one."""
    pages = {"release": "/console/releases/", "event": "/console/events/"}
    if entry.entity in pages and entry.entity_id and not entry.action.endswith(".delete"):
        return pages[entry.entity] + entry.entity_id
    if entry.entity == "webhook" and entry.entity_id and entry.action != "webhook.delete":
        return "/console/webhooks/" + entry.entity_id
    return None


def action_choices(given: str) -> list[tuple[str, str]]:
    """The action filter's choices by their names; a code asked for that has no name yet
    (a link from elsewhere) is a choice too, so the form shows what the list is filtered by."""
    named = {code: i18n.gettext(name) for code, name in ACTION_NAMES.items()}
    if given and given not in named:
        named[given] = given
    return sorted(named.items(), key=lambda pair: pair[1].casefold())


def _given(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {name: str(request.query_params.get(name) or "").strip()[:200] for name in FILTERS}


def _before(request: Request[Any, Any, Any]) -> int | None:
    text = str(request.query_params.get("before") or "")
    return int(text) if text.isdecimal() and len(text) < 19 else None


class ConsoleAuditController(Controller):
    path = "/console/audit"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/")
    async def show_audit(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        settings: Settings = request.app.state.settings
        given = _given(request)
        before = _before(request)
        status, error, entries = 200, None, []
        with i18n.speaking(lang, CONSOLE):
            try:
                filters, error = await audit_filters(conn, given, settings.zone)
            except InvalidInput as refused:
                filters, error, status = AuditFilters(), refused.detail, 422
            if error is None:
                entries = await read_audit(
                    conn, session.user, filters, before_id=before, limit=PAGE_SIZE + 1
                )
            else:  # the role is checked though nothing is read
                await read_audit(conn, session.user, filters, before_id=0, limit=1)
            older = None
            if len(entries) > PAGE_SIZE:
                entries = entries[:PAGE_SIZE]
                kept = {k: v for k, v in given.items() if v}
                older = "?" + urlencode({**kept, "before": entries[-1].id})
            return render_console(
                request,
                "audit.html",
                lang,
                session,
                status=status,
                given=given,
                error=error,
                entries=[entry_line(e, lang, settings) for e in entries],
                older=older,
                paged=before is not None,
                first="?" + urlencode({k: v for k, v in given.items() if v}),
                actions=action_choices(given["action"]),
                entities=sorted(
                    ((code, i18n.gettext(name)) for code, name in ENTITY_NAMES.items()),
                    key=lambda pair: pair[1].casefold(),
                ),
            )
