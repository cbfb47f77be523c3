"""HTTP for the public feeds: RSS and Atom of releases, and the press events calendar.

Journalists' private feeds are in `private.py`; they share the helpers here."""

from __future__ import annotations

import gzip
from collections.abc import Hashable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromQuery

from press.conditional import conditional_response, etag_of, gzip_accepted
from press.db import Conn, snapshot_on
from press.events import repository as events_repository
from press.events.controllers import (
    DayFrom,
    DayTo,
    EventFilters,
    cursor_position,
    event_filters,
    public_cache_seconds,
    source_names,
)
from press.events.public import to_public_event
from press.events.schemas import PublicEvent
from press.feeds import render, repository
from press.feeds.cache import FeedCache, RenderedFeed, feed_fingerprint
from press.feeds.calendar import render_calendar
from press.pagination import encode_cursor
from press.public_cache import Built, cached_public, known_query
from press.public_cache import cache_key as public_cache_key
from press.releases import repository as releases_repository
from press.releases.public import LangQuery, check_lang, language_preference, to_public
from press.releases.schemas import PublicRelease
from press.settings import Settings

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
# Litestar adds "; charset=utf-8" to every text/ type itself.
ICS = "text/calendar"
CALENDAR_LIMIT = 1000


def feed_cache(state: State) -> FeedCache:
    """The app's cache of rendered feeds (one per app, made on first use)."""
    cache = state.get("feed_cache")
    if cache is None:
        cache = state["feed_cache"] = FeedCache()
    return cache


# The query parameters each public feed reads: its URL (rel=self) and its cache key keep
# these alone, so `?utm_source=…` makes no new render.
RELEASE_FEED_PARAMETERS = frozenset(("source", "topic", "lang"))
ATOM_FEED_PARAMETERS = RELEASE_FEED_PARAMETERS | {"cursor"}
CALENDAR_PARAMETERS = frozenset(("from", "to", "source", "lang"))


def request_url(
    settings: Settings, request: Request[Any, Any, Any], reads: frozenset[str] | None = None
) -> str:
    """The URL the client asked for, on the public origin: a feed's rel=self; with `reads`,
    with only those of its parameters (a public feed's, as its cache key)."""
    if reads is None:
        query = request.url.query
    else:
        query = known_query(request.scope["query_string"], reads).decode("latin-1")
    return f"{settings.public_url}{request.url.path}" + (f"?{query}" if query else "")


def accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    return gzip_accepted(request.headers.get("accept-encoding"))


def feed_response(
    request: Request[Any, Any, Any],
    feed: RenderedFeed,
    *,
    media_type: str,
    cache_control: str,
    lang: str | None,
) -> Response[bytes]:
    # Each encoding is its own representation with its own ETag (hash of the bytes sent).
    headers = {"Vary": "Accept-Encoding"}
    if lang:
        headers["Content-Language"] = lang
    body, etag = feed.body, feed.etag
    if accepts_gzip(request):
        body, etag = feed.gzipped, feed.gzipped_etag
        headers["Content-Encoding"] = "gzip"
    return conditional_response(
        request,
        body,
        media_type=media_type,
        cache_control=cache_control,
        last_modified=feed.last_modified,
        headers=headers,
        etag=etag,
    )


def render_feed(kind: str, info: render.FeedInfo, entries: list[render.FeedEntry]) -> bytes:
    return render.render_atom(info, entries) if kind == "atom" else render.render_rss(info, entries)


def rendered(body: bytes, last_modified: datetime | None) -> RenderedFeed:
    # mtime=0: the gzip header carries no time, so the same feed compresses to the same bytes.
    gzipped = gzip.compress(body, mtime=0)
    return RenderedFeed(body, gzipped, last_modified, etag_of(body), etag_of(gzipped))


class ReleaseFilters:
    def __init__(self, source: str | None, topic: str | None, lang: str | None) -> None:
        check_lang(lang)
        self.source, self.topic, self.lang = source, topic, lang

    def query(self) -> str:
        params = {"source": self.source, "topic": self.topic, "lang": self.lang}
        return urlencode({k: v for k, v in params.items() if v is not None})


async def feed_info(
    conn: Conn,
    settings: Settings,
    request: Request[Any, Any, Any],
    filters: ReleaseFilters,
    updated: datetime | None,
    next_cursor: str | None,
    reads: frozenset[str] | None = None,
) -> render.FeedInfo:
    lang = filters.lang or "fi"
    qualifiers = []
    if filters.source:
        names = await source_names(conn)
        if filters.source in names:
            qualifiers.append(names[filters.source][f"name_{lang}"])
    if filters.topic:
        topics = {r["slug"]: r for r in await releases_repository.list_topics(conn)}
        if filters.topic in topics:
            qualifiers.append(topics[filters.topic][f"name_{lang}"])
    query = filters.query()
    head = f"{settings.public_url}{request.url.path}" + (f"?{query}" if query else "")
    next_url = None
    if next_cursor:
        next_url = head + ("&" if query else "?") + urlencode({"cursor": next_cursor})
    return render.FeedInfo(
        id=head,
        self_url=request_url(settings, request, reads),
        alternate_url=settings.public_url + "/",
        lang=lang,
        title=render.feed_title(lang, qualifiers),
        description=render.FEED_DESCRIPTION[lang],
        updated=updated,
        first_url=head,
        next_url=next_url,
        hub_url=settings.websub_hub,
    )


async def page_rows(
    conn: Conn, filters: ReleaseFilters, cursor: str | None
) -> list[asyncpg.Record]:
    """The rows of one page of a feed (the public list's own query), and one more if there
    is a next page."""
    return list(
        await releases_repository.list_public_releases(
            conn,
            source=filters.source,
            topic=filters.topic,
            lang=filters.lang,
            since=None,
            until=None,
            after=cursor_position(cursor),
            limit=render.ITEM_LIMIT + 1,
        )
    )


async def public_releases(
    conn: Conn,
    settings: Settings,
    filters: ReleaseFilters,
    cursor: str | None,
    rows: list[asyncpg.Record] | None = None,
) -> tuple[list[PublicRelease], str | None]:
    """One page of the public list (its `rows`, if read already), and the next page's
    cursor."""
    if rows is None:
        rows = await page_rows(conn, filters, cursor)
    sources = await source_names(conn)
    topics = {r["slug"]: r for r in await releases_repository.list_topics(conn)}
    preference = language_preference(filters.lang, None)
    items = [
        to_public(r, preference, sources, topics, settings.release_url)
        for r in rows[: render.ITEM_LIMIT]
    ]
    releases = [i for i in items if isinstance(i, PublicRelease)]
    next_cursor = None
    if len(rows) > render.ITEM_LIMIT:
        last = rows[render.ITEM_LIMIT - 1]
        next_cursor = encode_cursor(last["publish_at"].isoformat(), str(last["id"]))
    return releases, next_cursor


async def public_release_feed(
    request: Request[Any, Any, Any],
    state: State,
    kind: str,
    filters: ReleaseFilters,
    cursor: str | None,
) -> Response[bytes]:
    settings: Settings = state.settings
    position = cursor_position(cursor)  # a cursor we did not make is a 422 before anything else
    gzipped = accepts_gzip(request)
    media_type = ATOM if kind == "atom" else RSS
    reads = ATOM_FEED_PARAMETERS if kind == "atom" else RELEASE_FEED_PARAMETERS
    self_url = request_url(settings, request, reads)

    async def build(conn: asyncpg.Connection) -> Built:
        # Every build reads the page's fingerprint (what it shows: each entry as of its last
        # change, its image, whether a next page follows) and the time to the next lift in one
        # cheap statement outside a transaction, so the feed cache below the response cache
        # spares the render and the releases' text when nothing shown changed, whether the
        # response cache was dropped or is off. The page is the public list's first page, a
        # query that stops after the page: its cost does not grow with the archive.
        glance = await repository.public_feed_glance(
            conn,
            source=filters.source,
            topic=filters.topic,
            lang=filters.lang,
            after=position,
            shown=render.ITEM_LIMIT,
        )
        cache = feed_cache(state)
        feed = cache.get((kind, self_url, glance.fingerprint))
        seconds = glance.seconds_to_next_lift
        if feed is None:
            # Rendered from one snapshot, and kept under the fingerprint of what that snapshot
            # shows: a change committed since the glance is in both.
            async with snapshot_on(conn):
                feed, fingerprint, seconds = await render_release_feed(
                    conn, request, settings, kind, filters, cursor, reads
                )
            cache.store((kind, self_url, fingerprint), feed)
        built = feed_built(feed, media_type, filters.lang, gzipped, seconds)
        if settings.websub_hub:  # WebSub discovery (W3C WebSub §4)
            built.headers["Link"] = f'<{settings.websub_hub}>; rel="hub", <{self_url}>; rel="self"'
        return built

    key = public_cache_key(request, gzipped, reads=reads)
    return await cached_public(request, key, build, snapshot=False)


async def render_release_feed(
    conn: asyncpg.Connection,
    request: Request[Any, Any, Any],
    settings: Settings,
    kind: str,
    filters: ReleaseFilters,
    cursor: str | None,
    reads: frozenset[str],
) -> tuple[RenderedFeed, Hashable, float | None]:
    """A page of a public feed rendered, the fingerprint of what it shows (as
    `repository.public_feed_glance` reads it), and the seconds to the next lift."""
    rows = await page_rows(conn, filters, cursor)
    shown = rows[: render.ITEM_LIMIT]
    images = await repository.main_images(conn, [r["id"] for r in shown])
    last_modified = max((r["modified_at"] for r in shown), default=None)
    fingerprint = feed_fingerprint(
        [(r["id"], r["modified_at"], image_key(images.get(r["id"]))) for r in shown],
        has_next=len(rows) > render.ITEM_LIMIT,
    )
    releases, next_cursor = await public_releases(conn, settings, filters, cursor, rows)
    info = await feed_info(conn, settings, request, filters, last_modified, next_cursor, reads)
    entries = await public_entries(conn, settings, releases, images)
    feed = rendered(render_feed(kind, info, entries), last_modified)
    return feed, fingerprint, await releases_repository.seconds_to_next_lift(conn)


def image_key(image: asyncpg.Record | None) -> tuple[Any, ...] | None:
    """A main image (`repository.main_images`) as a feed's fingerprint has it."""
    if image is None:
        return None
    return (image["id"], image["filename"], image["content_type"], image["size"])


async def public_entries(
    conn: asyncpg.Connection,
    settings: Settings,
    releases: list[PublicRelease],
    images: dict[UUID, asyncpg.Record] | None = None,
) -> list[render.FeedEntry]:
    """Feed entries of public releases, each with its main image as the enclosure (`images`,
    if read already)."""
    if images is None:
        images = await repository.main_images(conn, [r.id for r in releases])
    return [
        render.entry_from_release(
            r, settings.public_url, enclosure=enclosure_of(settings, images.get(r.id))
        )
        for r in releases
    ]


def enclosure_of(settings: Settings, image: Any) -> render.Enclosure | None:
    if image is None:
        return None
    url = f"{settings.public_url}/api/v1/files/{image['id']}/{quote(image['filename'])}"
    return render.Enclosure(url=url, length=image["size"], type=image["content_type"])


def feed_built(
    feed: RenderedFeed, media_type: str, lang: str | None, gzipped: bool, seconds: float | None
) -> Built:
    # Each encoding is its own representation with its own ETag (hash of the bytes sent).
    headers = {"Vary": "Accept-Encoding"}
    if lang:
        headers["Content-Language"] = lang
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Built(
        body=feed.gzipped if gzipped else feed.body,
        seconds_to_next_lift=seconds,
        last_modified=feed.last_modified,
        media_type=media_type,
        headers=headers,
        etag=feed.gzipped_etag if gzipped else feed.etag,
    )


async def public_events(conn: Conn, settings: Settings, filters: EventFilters) -> list[PublicEvent]:
    rows = await events_repository.list_public_events(
        conn,
        starts_from=filters.starts_from,
        until=filters.until,
        source=filters.source,
        lang=filters.lang,
        after=None,
        limit=CALENDAR_LIMIT,
    )
    preference = language_preference(filters.lang, None)
    sources = await source_names(conn)
    return [to_public_event(r, preference, sources, settings.public_url) for r in rows]


def calendar_host(settings: Settings) -> str:
    return urlsplit(settings.public_url).hostname or "press"


class FeedController(Controller):
    path = "/feeds"
    tags = ["feeds"]

    @get(
        "/releases.rss",
        summary="Published releases as RSS 2.0 (newest 50); same filters as the list",
        media_type=RSS,
    )
    async def releases_rss(
        self,
        request: Request[Any, Any, Any],
        state: State,
        source: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        lang: LangQuery = None,
    ) -> Response[bytes]:
        filters = ReleaseFilters(source, topic, lang)
        return await public_release_feed(request, state, "rss", filters, None)

    @get(
        "/releases.atom",
        summary="Published releases as Atom; rel=next pages back through the archive (RFC 5005)",
        media_type=ATOM,
    )
    async def releases_atom(
        self,
        request: Request[Any, Any, Any],
        state: State,
        source: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        lang: LangQuery = None,
        cursor: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        filters = ReleaseFilters(source, topic, lang)
        return await public_release_feed(request, state, "atom", filters, cursor)

    @get("/events.ics", summary="Public press events as iCalendar", media_type=ICS)
    async def events_ics(
        self,
        request: Request[Any, Any, Any],
        state: State,
        from_: DayFrom = None,
        to: DayTo = None,
        source: FromQuery[str | None] = None,
        lang: LangQuery = None,
    ) -> Response[bytes]:
        settings: Settings = state.settings
        filters = event_filters(state, from_, to, source, lang)
        gzipped = accepts_gzip(request)

        async def build(conn: asyncpg.Connection) -> Built:
            events = await public_events(conn, settings, filters)
            body = render_calendar(
                events,
                host=calendar_host(settings),
                lang=lang or "fi",
                timezone=settings.timezone,
            )
            last_modified = max((e.updated_at for e in events), default=None)
            return feed_built(
                rendered(body, last_modified), ICS, lang, gzipped, await public_cache_seconds(conn)
            )

        key = public_cache_key(request, gzipped, reads=CALENDAR_PARAMETERS)
        return await cached_public(request, key, build)
