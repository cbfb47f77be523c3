"""Accredited journalists' private feeds: public releases and those under embargo, marked,
and a calendar of embargo lift times. The token is in the path (feed readers and calendars
cannot send a header), so it is a feed token (`pft_`, scope `feed`) that opens these feeds and
nothing else; an API token here is unknown. Every response is `private, no-store`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from press.conditional import PRIVATE
from press.db import Conn
from press.embargo.journalists import Journalist, fetch_journalist
from press.errors import NotFound
from press.events.controllers import EventFilters, source_names
from press.feeds import render, repository
from press.feeds.calendar import EmbargoLift, render_calendar
from press.feeds.controllers import (
    ATOM,
    ICS,
    RSS,
    ReleaseFilters,
    calendar_host,
    feed_info,
    feed_response,
    public_entries,
    public_events,
    public_releases,
    render_feed,
    rendered,
)
from press.releases import repository as releases_repository
from press.releases.public import LangQuery, check_lang, language_preference, to_public
from press.releases.schemas import PublicRelease
from press.settings import Settings


async def _embargoed_releases(
    conn: Conn, settings: Settings, journalist: Journalist, filters: ReleaseFilters
) -> list[tuple[PublicRelease, datetime, int]]:
    rows = await repository.list_embargoed_releases(
        conn, journalist.id, filters.source, filters.topic, filters.lang, render.ITEM_LIMIT
    )
    sources = await source_names(conn)
    topics = {r["slug"]: r for r in await releases_repository.list_topics(conn)}
    preference = language_preference(filters.lang, None)
    found = []
    for row in rows:
        item = to_public(row, preference, sources, topics, settings.release_url)
        assert isinstance(item, PublicRelease)
        found.append((item, row["modified_at"], row["version"]))
    return found


async def private_release_feed(
    request: Request[Any, Any, Any],
    conn: Conn,
    state: State,
    token: str,
    kind: str,
    filters: ReleaseFilters,
) -> Response[bytes]:
    journalist = await fetch_journalist(conn, token, "feed")
    if journalist is None:
        raise NotFound()
    settings: Settings = state.settings
    embargoed = await _embargoed_releases(conn, settings, journalist, filters)
    public, _ = await public_releases(conn, settings, filters, None)
    entries = [
        render.entry_from_release(
            r, settings.public_url, render.embargo_label(settings.zone, r.published_at)
        )
        for r, _, _ in reversed(embargoed)
    ]
    entries += await public_entries(conn, settings, public)
    entries = entries[: render.ITEM_LIMIT]
    updated = max((e.updated for e in entries), default=None)
    info = await feed_info(conn, settings, request, filters, updated, None)
    info = render.FeedInfo(**{**_fields(info), "first_url": None})
    body = render_feed(kind, info, entries)
    return feed_response(
        request,
        rendered(body, updated),
        media_type=ATOM if kind == "atom" else RSS,
        cache_control=PRIVATE,
        lang=filters.lang,
    )


def _fields(info: render.FeedInfo) -> dict[str, Any]:
    return {f: getattr(info, f) for f in info.__struct_fields__}


class PrivateFeedController(Controller):
    path = "/feeds/private"
    tags = ["feeds: journalists"]

    @get(
        "/{token:str}/releases.rss",
        summary="A journalist's RSS: public releases and those under embargo, marked",
        media_type=RSS,
    )
    async def private_releases_rss(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        state: State,
        token: FromPath[str],
        source: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        lang: LangQuery = None,
    ) -> Response[bytes]:
        filters = ReleaseFilters(source, topic, lang)
        return await private_release_feed(request, conn, state, token, "rss", filters)

    @get(
        "/{token:str}/releases.atom",
        summary="A journalist's Atom feed: public releases and those under embargo, marked",
        media_type=ATOM,
    )
    async def private_releases_atom(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        state: State,
        token: FromPath[str],
        source: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        lang: LangQuery = None,
    ) -> Response[bytes]:
        filters = ReleaseFilters(source, topic, lang)
        return await private_release_feed(request, conn, state, token, "atom", filters)

    @get(
        "/{token:str}/releases.ics",
        summary="A journalist's calendar: public press events and embargo lift times",
        media_type=ICS,
    )
    async def private_calendar(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        state: State,
        token: FromPath[str],
        lang: LangQuery = None,
    ) -> Response[bytes]:
        check_lang(lang)
        journalist = await fetch_journalist(conn, token, "feed")
        if journalist is None:
            raise NotFound()
        settings: Settings = state.settings
        filters = EventFilters(starts_from=None, until=None, source=None, lang=lang)
        events = await public_events(conn, settings, filters)
        embargoed = await _embargoed_releases(
            conn, settings, journalist, ReleaseFilters(None, None, lang)
        )
        lifts = [
            EmbargoLift(
                release_id=r.id,
                lang=r.lang,
                title=r.title,
                url=r.url,
                at=r.published_at,
                changed_at=changed,
                version=version,
                notice=render.EMBARGO_NOTICE[r.lang].format(
                    until=render.embargo_label(settings.zone, r.published_at)
                ),
            )
            for r, changed, version in embargoed
        ]
        body = render_calendar(
            events,
            host=calendar_host(settings),
            lang=lang or "fi",
            timezone=settings.timezone,
            lifts=lifts,
        )
        return feed_response(
            request, rendered(body, None), media_type=ICS, cache_control=PRIVATE, lang=lang
        )
