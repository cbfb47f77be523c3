"""Press events: those to come and those past, each with "add to calendar" as its own .ics.

The events are the public API's (`list_public_events`, `fetch_public_event`, through the
`public_events` view); the calendar file is the events feed's renderer with one event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath

from press.db import queries_beside
from press.errors import NotFound
from press.events import repository
from press.events.controllers import public_cache_seconds, source_names
from press.events.public import to_public_event
from press.events.schemas import PublicEvent
from press.feeds.calendar import render_calendar
from press.feeds.controllers import ICS, calendar_host
from press.public_cache import Built
from press.releases.public import language_preference
from press.settings import Settings
from press.web import i18n
from press.web.caching import cached_page, html_built, page_key
from press.web.layout import render

Q = queries_beside(__file__)
UPCOMING_LIMIT = 50
PAST_SHOWN = 20
PAST_DAYS = 365


def shown_event(event: PublicEvent, lang: str, settings: Settings) -> dict[str, Any]:
    zone = settings.zone
    same_day = event.starts_at.astimezone(zone).date() == event.ends_at.astimezone(zone).date()
    ends = (
        i18n.local_datetime(event.ends_at, lang, zone).rsplit(" ", 1)[1]
        if same_day
        else i18n.local_datetime(event.ends_at, lang, zone)
    )
    return {
        "event": event,
        "when": f"{i18n.local_datetime(event.starts_at, lang, zone)}\N{EN DASH}{ends}",
        "calendar": f"/{lang}/events/{event.id}/calendar.ics",
        "releases": [f"/releases/{release_id}?lang={lang}" for release_id in event.releases],
    }


async def events_around_now(
    conn: asyncpg.Connection, lang: str, settings: Settings
) -> tuple[list[PublicEvent], list[PublicEvent], datetime]:
    """Public events still to come (or under way), soonest first, and the latest past ones,
    newest first; and the database's now."""
    now: datetime = await conn.fetchval(Q["database_now"])
    preference = language_preference(lang, None)
    sources = await source_names(conn)
    upcoming = await repository.list_public_events(
        conn, starts_from=now, until=None, source=None, lang=None, after=None,
        limit=UPCOMING_LIMIT,
    )  # fmt: skip
    recent = await repository.list_public_events(
        conn, starts_from=now - timedelta(days=PAST_DAYS), until=now, source=None, lang=None,
        after=None, limit=1000,
    )  # fmt: skip
    past = [row for row in recent if row["ends_at"] < now][-PAST_SHOWN:][::-1]
    public_url = settings.public_url
    return (
        [to_public_event(r, preference, sources, public_url) for r in upcoming],
        [to_public_event(r, preference, sources, public_url) for r in past],
        now,
    )


@get(["/fi/events/", "/sv/events/", "/en/events/"], include_in_schema=False)
async def events_page(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    lang = request.scope["path"].strip("/")[:2]
    settings: Settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        upcoming, past, now = await events_around_now(conn, lang, settings)
        seconds = await public_cache_seconds(conn)
        # The page changes when the next event ends (it moves to the past), too.
        ending = [(e.ends_at - now).total_seconds() for e in upcoming]
        soonest = min([s for s in (seconds, *ending) if s is not None], default=None)
        with i18n.speaking(lang):
            context = {
                "upcoming": [shown_event(e, lang, settings) for e in upcoming],
                "past": [shown_event(e, lang, settings) for e in past],
            }
        body = render(request, "events.html", lang, section="/events/", **context)
        return html_built(
            settings,
            lang,
            body,
            soonest,
            max((e.updated_at for e in upcoming + past), default=None),
        )

    return await cached_page(request, page_key(request, {}, lang), lang, build)


@get(
    ["/fi/events/{event_id:uuid}/calendar.ics", "/sv/events/{event_id:uuid}/calendar.ics",
     "/en/events/{event_id:uuid}/calendar.ics"],
    include_in_schema=False,
)  # fmt: skip
async def event_calendar(
    request: Request[Any, Any, Any], state: State, event_id: FromPath[UUID]
) -> Response[bytes]:
    """One event as a calendar file: what "add to calendar" opens."""
    lang = request.scope["path"].strip("/")[:2]
    settings: Settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        row = await repository.fetch_public_event(conn, event_id)
        if row is None:
            raise NotFound()
        sources = await source_names(conn)
        event = to_public_event(row, language_preference(lang, None), sources, settings.public_url)
        body = render_calendar(
            [event], host=calendar_host(settings), lang=event.lang, timezone=settings.timezone
        )
        return Built(
            body=body,
            seconds_to_next_lift=await public_cache_seconds(conn),
            last_modified=event.updated_at,
            media_type=ICS,
            headers={
                "Content-Disposition": f'attachment; filename="event-{event.id}.ics"',
                "Content-Language": event.lang,
            },
        )

    return await cached_page(request, page_key(request, {}, lang), lang, build)
