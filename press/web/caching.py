"""Pages through the public cache: keyed by what a page reads, never by the URL as sent.

A page reads a few parameters; anything else in the query (`?utm_source=x`, a cache-buster)
must neither make a new render nor reach the page, else any `?x=` forces a build: a cheap
denial of service. The key is the path, the parameters the page reads in a fixed order, and
what else varies the page (its language), as `press.public_cache.cache_key` makes it; so a
request sent with exactly those parameters is answered by press.edge before routing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response

from press.errors import Gone, NotFound
from press.public_cache import Build, Built, cached_public
from press.releases.public import public_note
from press.settings import Settings
from press.web import i18n
from press.web.layout import page_headers, render


def page_key(
    request: Request[Any, Any, Any], parameters: Mapping[str, str | None], *parts: Any
) -> tuple[Any, ...]:
    """The cache key of a page showing `parameters` (those it reads, None when absent).

    press.edge keys a request at this path by the same names (`known_query`: those of its
    parameters, as sent, in order of name), so a request whose parameters are spelled as this
    key spells them (plain values, each once) is answered before routing, whatever else its
    query holds: it names the same values, and a value a page kept checks out the same again."""
    path = request.scope["path"]
    request.app.state.public_cache.note_reads(path, frozenset(parameters))
    query = urlencode(sorted((k, v) for k, v in parameters.items() if v is not None))
    return (path, query.encode(), *parts)


def html_built(
    settings: Settings, lang: str, body: bytes, seconds: float | None, modified: datetime | None
) -> Built:
    """A page as the public cache keeps it: HTML in `lang`, with the pages' headers."""
    return Built(
        body=body,
        seconds_to_next_lift=seconds,
        last_modified=modified,
        media_type="text/html",
        headers={"Content-Language": lang, **page_headers(settings)},
    )


async def cached_page(
    request: Request[Any, Any, Any], key: tuple[Any, ...], lang: str, build: Build
) -> Response[bytes]:
    """The page built by `build` (or kept), or the HTML 404/410 in `lang` should it find
    nothing public to show."""
    try:
        return await cached_public(request, key, build)
    except NotFound:
        return missing_page(request, lang, gone=False)
    except Gone as error:
        note = public_note(error.extra["tombstone"])
        return missing_page(request, lang, gone=True, note=note)


def missing_page(
    request: Request[Any, Any, Any], lang: str, *, gone: bool, note: str | None = None
) -> Response[bytes]:
    """Nothing public here (404), or a withdrawn release (410), said in the reader's language
    with the public note of its withdrawal when staff gave one (never the internal reason).
    Never cached: what is missing now may be published in a second."""
    with i18n.speaking(lang):
        if gone:
            heading = i18n.gettext("This release has been withdrawn")
            text = note or i18n.gettext(
                "The release that was published at this address is withdrawn."
            )
        else:
            heading = i18n.gettext("Page not found")
            text = i18n.gettext("Nothing is published at this address.")
    body = render(request, "missing.html", lang, heading=heading, text=text, section="/")
    return Response(
        body,
        status_code=410 if gone else 404,
        media_type="text/html",
        headers={
            "Cache-Control": "no-store",
            "Content-Language": lang,
            "Vary": "Accept-Language",
            **page_headers(request.app.state.settings),
        },
    )
