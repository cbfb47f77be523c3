"""HTTP for press events: the staff API under /api/v1/manage/events and the public list."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.conditional import private_json
from press.db import Conn
from press.errors import NotFound
from press.events import actions, repository
from press.events.public import to_public_event
from press.events.schemas import (
    Event,
    EventCreate,
    EventPage,
    EventUpdate,
    PublicEvent,
    PublicEventPage,
)
from press.instants import parse_instant
from press.pagination import PageLimit, cut_page, next_link, page_limit, time_cursor
from press.problem_responses import problems
from press.public_cache import Built, cached_public
from press.public_cache import cache_key as public_cache_key
from press.releases import repository as releases_repository
from press.releases.public import LANG_ONLY, LangQuery, check_lang, language_preference
from press.staff.auth import Staff, provide_staff


def _staff_response(event: Event, status: int = 200) -> Response[bytes]:
    return private_json(event, actions.event_etag(event), status)


cursor_position = time_cursor


def parse_day_or_instant(name: str, value: str | None, zone: ZoneInfo) -> datetime | None:
    """A date (YYYY-MM-DD, midnight in the office's zone) or an RFC 3339 instant."""
    if value is not None and len(value) == 10:
        try:
            return datetime.combine(date.fromisoformat(value), time(), zone)
        except ValueError:
            pass
    return parse_instant(name, value)


# `from` and `to`, as parse_day_or_instant reads them.
_DAY_OR_INSTANT = {
    "one_of": [
        Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
        Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
    ]
}
DayFrom = Annotated[
    str | None,
    QueryParameter(
        name="from",
        description="A day (midnight in the office's time zone) or an RFC 3339 timestamp",
        schema_extra=_DAY_OR_INSTANT,
    ),
]
DayTo = Annotated[
    str | None,
    QueryParameter(
        description="A day (midnight in the office's time zone) or an RFC 3339 timestamp",
        schema_extra=_DAY_OR_INSTANT,
    ),
]


# The query parameters the public list of events reads (press.public_cache keys by them).
EVENT_LIST_PARAMETERS = frozenset(("from", "to", "source", "lang", "cursor", "limit"))


class EventFilters(msgspec.Struct, frozen=True):
    """The filters of the public event list and the calendar feed."""

    starts_from: datetime | None
    until: datetime | None
    source: str | None
    lang: str | None


def event_filters(
    state: State, from_: str | None, to: str | None, source: str | None, lang: str | None
) -> EventFilters:
    check_lang(lang)
    zone = state.settings.zone
    return EventFilters(
        starts_from=parse_day_or_instant("from", from_, zone),
        until=parse_day_or_instant("to", to, zone),
        source=source,
        lang=lang,
    )


async def public_cache_seconds(conn: Conn) -> float | None:
    """Until the next release lifts or the next hidden event appears, whichever is first."""
    lift = await releases_repository.seconds_to_next_lift(conn)
    reveal = await repository.seconds_to_next_event_reveal(conn)
    known = [s for s in (lift, reveal) if s is not None]
    return min(known) if known else None


async def source_names(conn: Conn) -> dict[str, Any]:
    return {r["slug"]: r for r in await releases_repository.list_sources(conn)}


class ManageEventController(Controller):
    path = "/api/v1/manage/events"
    tags = ["manage: events"]
    dependencies = {"staff": Provide(provide_staff)}

    @post("/", summary="Create a press event", responses={201: ResponseSpec(Event)})
    async def create_event(
        self, conn: Conn, staff: Staff, data: JSONBody[EventCreate]
    ) -> Response[bytes]:
        return _staff_response(await actions.create_event(conn, data, staff), 201)

    @get("/", summary="All press events, hidden ones included, by start time")
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        source: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> EventPage:
        size = page_limit(limit)
        items = await repository.list_events(conn, source, cursor_position(cursor), size + 1)
        items, nxt = cut_page(request, items, size, lambda e: (e.starts_at.isoformat(), str(e.id)))
        return EventPage(items=items, next=nxt)

    @get("/{event_id:uuid}", summary="One press event", responses={200: ResponseSpec(Event)})
    async def get_event(
        self, conn: Conn, staff: Staff, event_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _staff_response(await actions.load(conn, event_id))

    @patch(
        "/{event_id:uuid}",
        summary="Change or cancel a press event; send If-Match with its ETag",
        responses={200: ResponseSpec(Event), **problems(412, 428)},
    )
    async def update_event(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        event_id: FromPath[UUID],
        data: JSONBody[EventUpdate],
    ) -> Response[bytes]:
        event = await actions.update_event(
            conn, event_id, data, staff, request.headers.get("if-match")
        )
        return _staff_response(event)

    @delete("/{event_id:uuid}", summary="Delete a press event that was never public")
    async def delete_event(self, conn: Conn, staff: Staff, event_id: FromPath[UUID]) -> None:
        await actions.delete_event(conn, event_id, staff)


class PublicEventController(Controller):
    path = "/api/v1/events"
    tags = ["public: events"]

    @get(
        "/",
        summary="Public press events by start time; from/to select those overlapping a range",
        responses={200: ResponseSpec(PublicEventPage)},
    )
    async def list_public_events(
        self,
        request: Request[Any, Any, Any],
        state: State,
        from_: DayFrom = None,
        to: DayTo = None,
        source: FromQuery[str | None] = None,
        lang: LangQuery = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        filters = event_filters(state, from_, to, source, lang)
        size = page_limit(limit)
        position = cursor_position(cursor)
        preference = language_preference(lang, request.headers.get("accept-language"))
        public_url = state.settings.public_url

        async def build(conn: asyncpg.Connection) -> Built:
            rows = await repository.list_public_events(
                conn,
                starts_from=filters.starts_from,
                until=filters.until,
                source=filters.source,
                lang=filters.lang,
                after=position,
                limit=size + 1,
            )
            sources = await source_names(conn)
            items = [to_public_event(r, preference, sources, public_url) for r in rows[:size]]
            nxt = None
            if len(rows) > size:
                last = rows[size - 1]
                page_end = (last["starts_at"].isoformat(), str(last["id"]))
                nxt = next_link(request, *page_end, reads=EVENT_LIST_PARAMETERS)
            return Built(
                body=msgspec.json.encode(PublicEventPage(items=items, next=nxt)),
                seconds_to_next_lift=await public_cache_seconds(conn),
                last_modified=max((r["modified_at"] for r in rows[:size]), default=None),
            )

        key = public_cache_key(request, preference[0], reads=EVENT_LIST_PARAMETERS)
        return await cached_public(request, key, build)

    @get(
        "/{event_id:uuid}",
        summary="One public press event",
        responses={200: ResponseSpec(PublicEvent)},
    )
    async def get_public_event(
        self,
        request: Request[Any, Any, Any],
        state: State,
        event_id: FromPath[UUID],
        lang: LangQuery = None,
    ) -> Response[bytes]:
        check_lang(lang)
        preference = language_preference(lang, request.headers.get("accept-language"))

        async def build(conn: asyncpg.Connection) -> Built:
            row = await repository.fetch_public_event(conn, event_id)
            if row is None:
                raise NotFound()
            sources = await source_names(conn)
            item = to_public_event(row, preference, sources, state.settings.public_url)
            return Built(
                body=msgspec.json.encode(item),
                seconds_to_next_lift=await public_cache_seconds(conn),
                last_modified=row["modified_at"],
                headers={"Content-Language": item.lang},
            )

        key = public_cache_key(request, preference[0], reads=LANG_ONLY)
        return await cached_public(request, key, build)
