"""/feeds/: every public feed press offers, so a reader can pick one and paste its address."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec

from press.conditional import conditional_response
from press.db import Conn
from press.releases import repository
from press.releases.schemas import LANGS

_RELEASES = {"fi": "Tiedotteet", "sv": "Pressmeddelanden", "en": "Press releases"}
_EVENTS = {"fi": "Tiedotustilaisuudet", "sv": "Presstillfällen", "en": "Press events"}


class Feed(msgspec.Struct):
    title: str
    url: str
    format: str
    lang: str
    source: str | None = None


class FeedDirectory(msgspec.Struct):
    items: list[Feed]
    filters: str
    private_feeds: str
    next: None = None


def feed_directory(public_url: str, sources: list[tuple[str, dict[str, str]]]) -> FeedDirectory:
    """Release feeds by language, and by source within each; the events calendar by language."""
    items = []
    for lang in LANGS:
        for slug, names in [(None, {}), *sources]:
            title = _RELEASES[lang] + (f": {names[lang]}" if slug else "")
            query = f"?lang={lang}" + (f"&source={slug}" if slug else "")
            for kind in ("rss", "atom"):
                url = f"{public_url}/feeds/releases.{kind}{query}"
                items.append(Feed(title, url, kind, lang, slug))
        url = f"{public_url}/feeds/events.ics?lang={lang}"
        items.append(Feed(_EVENTS[lang], url, "ics", lang))
    return FeedDirectory(
        items=items,
        filters="Release feeds take the list's filters: source, topic and lang "
        "(e.g. /feeds/releases.rss?source=city-board&topic=economy&lang=sv).",
        private_feeds="Accredited journalists have their own feeds, with embargoed releases, "
        "at /feeds/private/{token}/releases.rss|.atom|.ics; the press office issues the token.",
    )


@get(
    "/feeds",
    summary="Every public feed: releases (RSS, Atom) by language and source, events (iCalendar)",
    tags=["feeds"],
    responses={200: ResponseSpec(FeedDirectory)},
)
async def list_feeds(request: Request[Any, Any, State], conn: Conn) -> Response[bytes]:
    rows = await repository.list_sources(conn)
    sources: list[tuple[str, dict[str, str]]] = [
        (r["slug"], {lang: r[f"name_{lang}"] for lang in LANGS}) for r in rows
    ]
    directory = feed_directory(request.app.state.settings.public_url, sources)
    return conditional_response(
        request, msgspec.json.encode(directory), cache_control="public, max-age=300"
    )
