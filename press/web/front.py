"""The press room's front page: `/` sends a reader to their language, and `/{lang}/` lists
the newest releases, filtered by source, topic, year and month, or searched.

The list is the public API's own: the same repository functions (`list_public_releases`,
and `search_public_page` with Finnish inflection when a search is typed) over the same
visibility predicate, with the releases' first photos as thumbnails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromQuery

from press.archive import repository as archive
from press.archive.public_files import to_public_file
from press.archive.public_search import MAX_QUERY, search_cursor
from press.archive.search import search_query
from press.errors import InvalidInput
from press.pagination import encode_cursor, time_cursor
from press.public_cache import Built
from press.releases import repository as releases
from press.releases.public import language_preference, to_public
from press.releases.schemas import PublicRelease
from press.settings import Settings
from press.web import i18n
from press.web.caching import cached_page, html_built, page_key
from press.web.layout import render

PAGE_SIZE = 12


@dataclass(frozen=True)
class Filters:
    """What the reader chose, each checked: a value that cannot be one is left out."""

    source: str | None = None
    topic: str | None = None
    year: int | None = None
    month: int | None = None
    q: str | None = None
    cursor: str | None = None

    def query(self, **changes: Any) -> dict[str, str | None]:
        values = {**self.__dict__, **changes}
        return {k: None if v is None else str(v) for k, v in values.items()}

    def href(self, lang: str, **changes: Any) -> str:
        given = {k: v for k, v in sorted(self.query(**changes).items()) if v is not None}
        return f"/{lang}/" + (f"?{urlencode(given)}" if given else "")

    def published_range(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """The year or month chosen, as instants in the city's time zone."""
        if self.year is None:
            return None, None
        if self.month is None:
            start, end = (
                datetime(self.year, 1, 1, tzinfo=zone),
                datetime(self.year + 1, 1, 1, tzinfo=zone),
            )
        else:
            start = datetime(self.year, self.month, 1, tzinfo=zone)
            end = datetime(self.year + self.month // 12, self.month % 12 + 1, 1, tzinfo=zone)
        return start, end


def _number(text: str | None, low: int, high: int) -> int | None:
    if text is None or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def read_filters(
    source: str | None,
    topic: str | None,
    year: str | None,
    month: str | None,
    q: str | None,
    cursor: str | None,
) -> Filters:
    chosen_year = _number(year, 1900, 2999)
    text = (q or "").strip()[:MAX_QUERY] or None
    return Filters(
        source=source or None,
        topic=topic or None,
        year=chosen_year,
        month=_number(month, 1, 12) if chosen_year is not None else None,
        q=text,
        cursor=cursor or None,
    )


@get("/", include_in_schema=False)
async def choose_language(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The front page in the reader's language (Accept-Language, else Finnish)."""
    lang = i18n.reader_language(request.headers.get("accept-language"))
    return Response(
        b"",
        status_code=302,
        headers={"Location": f"/{lang}/", "Vary": "Accept-Language", "Cache-Control": "no-store"},
    )


@get(["/fi/", "/sv/", "/en/"], include_in_schema=False)
async def front_page(
    request: Request[Any, Any, Any],
    state: State,
    source: FromQuery[str | None] = None,
    topic: FromQuery[str | None] = None,
    year: FromQuery[str | None] = None,
    month: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
    cursor: FromQuery[str | None] = None,
) -> Response[bytes]:
    lang = request.scope["path"].strip("/")[:2]
    filters = read_filters(source, topic, year, month, q, cursor)
    settings: Settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        items, next_position, seconds = await newest_releases(conn, state, filters, lang)
        thumbnails = await archive.list_release_thumbnails(conn, [item.id for item in items])
        counts = await archive.archive_counts(conn, None, None, settings.timezone)
        sources, topics, _ = await releases.public_lookups(conn, state.public_cache)
        with i18n.speaking(lang):
            context = front_context(filters, lang, items, thumbnails, settings)
            context["sources"] = [(slug, row[f"name_{lang}"]) for slug, row in sources.items()]
            context["topics"] = sorted(
                ((slug, row[f"name_{lang}"]) for slug, row in topics.items()), key=lambda t: t[1]
            )
            context["years"] = sorted({row["year"] for row in counts}, reverse=True)
            context["months"] = i18n.month_names(lang)
            context["next_href"] = (
                filters.href(lang, cursor=next_position) if next_position else None
            )
        body = render(request, "front.html", lang, section="/", **context)
        return html_built(
            settings,
            lang,
            body,
            seconds,
            max((item.updated_at for item in items), default=None),
        )

    key = page_key(request, filters.query(), lang)
    return await cached_page(request, key, lang, build)


async def newest_releases(
    conn: asyncpg.Connection, state: State, filters: Filters, lang: str
) -> tuple[list[PublicRelease], str | None, float | None]:
    """A page of public releases, newest first or best match first; the cursor of the next
    page (None on the last) and the seconds to the next lift."""
    settings: Settings = state.settings
    preference = language_preference(lang, None)
    sources, topics, seconds = await releases.public_lookups(conn, state.public_cache)
    since, until = filters.published_range(settings.zone)
    try:
        search_after = search_cursor(filters.cursor) if filters.q else None
        time_after = None if filters.q else time_cursor(filters.cursor)
    except InvalidInput:  # a cursor press did not make: the first page
        search_after = time_after = None
    if filters.q:
        rows = await archive.search_public_page(
            conn,
            search_query(filters.q),
            source=filters.source,
            topic=filters.topic,
            lang=None,
            since=since,
            until=until,
            after=search_after,
            limit=PAGE_SIZE + 1,
            languages=preference,
        )
    else:
        rows = await releases.list_public_releases(
            conn,
            source=filters.source,
            topic=filters.topic,
            lang=None,
            since=since,
            until=until,
            after=time_after,
            limit=PAGE_SIZE + 1,
        )
    items = []
    for row in rows[:PAGE_SIZE]:
        item = to_public(row, preference, sources, topics, settings.release_url)
        assert isinstance(item, PublicRelease)
        items.append(item)
    next_position = None
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1]
        position = (last["rank"],) if filters.q else ()
        next_position = encode_cursor(*position, last["publish_at"].isoformat(), str(last["id"]))
    return items, next_position, seconds


def front_context(
    filters: Filters,
    lang: str,
    items: list[PublicRelease],
    thumbnails: dict[UUID, Any],
    settings: Settings,
) -> dict[str, Any]:
    zone = settings.zone
    public = settings.public_url
    feed_query = urlencode(
        {
            k: v
            for k, v in (("lang", lang), ("source", filters.source), ("topic", filters.topic))
            if v
        }
    )
    events_query = urlencode({k: v for k, v in (("lang", lang), ("source", filters.source)) if v})
    feeds = [
        {
            "type": "application/rss+xml",
            "title": i18n.gettext("Releases (RSS)"),
            "href": f"{public}/feeds/releases.rss?{feed_query}",
        },
        {
            "type": "application/atom+xml",
            "title": i18n.gettext("Releases (Atom)"),
            "href": f"{public}/feeds/releases.atom?{feed_query}",
        },
        {
            "type": "text/calendar",
            "title": i18n.gettext("Events (iCalendar)"),
            "href": f"{public}/feeds/events.ics?{events_query}",
        },
    ]
    shown = []
    for item in items:
        thumbnail = thumbnails.get(item.id)
        image = to_public_file(thumbnail, [item.lang], public) if thumbnail else None
        shown.append(
            {
                "item": item,
                "href": f"/releases/{item.id}?lang={item.lang}",
                "date": i18n.local_date(item.published_at, lang, zone),
                "image": image,
            }
        )
    return {
        "filters": filters,
        "filtered": any(v is not None for k, v in filters.query().items() if k != "cursor"),
        "releases": shown,
        "feeds": feeds,
        "first_href": filters.href(lang, cursor=None) if filters.cursor else None,
    }
