"""`/sitemap.xml` and `/robots.txt`: the release pages for search engines.

The sitemap lists each public release in each of its languages at its address
(PRESS_RELEASE_URL_TEMPLATE), with its other languages as alternates. Up to URLS_PER_SITEMAP
addresses it is one sitemap; beyond, `/sitemap.xml` is a sitemap index of
`/sitemap.xml?page=N`, each of URLS_PER_SITEMAP addresses, oldest first (older pages stay as
they are while new releases come), with the time of its newest change. The protocol allows
50,000 addresses and 50 MB per sitemap; 10,000 keep a page near 5 MB.

A sitemap may only list addresses of its own host: when the releases live on the city
website, the website publishes their sitemap and this one is not found. Cached like every
public page: rebuilt after a change or a lift.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromQuery

from press.errors import NotFound
from press.public_cache import SITEMAP, Built, PublicCache, cached_public
from press.public_cache import cache_key as public_cache_key
from press.releases import repository
from press.settings import Settings

URLS_PER_SITEMAP = 10_000
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def render_sitemap(rows: list[Any], settings: Settings) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset {SITEMAP_NS} xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for row in rows:
        out.append(
            f"<url><loc>{escape(settings.release_url(row['id'], row['lang'], row['slug']))}</loc>"
        )
        out.append(f"<lastmod>{row['modified_at'].isoformat()}</lastmod>")
        for language in row["languages"]:
            lang, slug = language.split(" ", 1)
            href = quoteattr(settings.release_url(row["id"], lang, slug))
            out.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={href}/>')
        out.append("</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode()


def _own_host(settings: Settings) -> bool:
    sample = settings.release_url("x", "fi", "x")
    return urlsplit(sample).netloc == urlsplit(settings.public_url).netloc


def render_index(pages: list[Any], settings: Settings) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {SITEMAP_NS}>']
    for page in pages:
        loc = escape(f"{settings.public_url}/sitemap.xml?page={page['page']}")
        out.append(
            f"<sitemap><loc>{loc}</loc>"
            f"<lastmod>{page['modified_at'].isoformat()}</lastmod></sitemap>"
        )
    out.append("</sitemapindex>\n")
    return "\n".join(out).encode()


async def sitemap_pages(
    conn: asyncpg.Connection, cache: PublicCache, size: int, seconds: float | None
) -> list[asyncpg.Record]:
    """The sitemaps' numbers and last changes; shared by the builds of one generation (a
    page number past the last is then answered without reading the releases)."""
    name = f"sitemap_pages:{size}"
    if (kept := cache.recall(name)) is not None:
        pages: list[asyncpg.Record] = kept[0]
        return pages
    pages = list(await conn.fetch(repository.Q["sitemap_pages"], size))
    cache.keep(name, pages, seconds)
    return pages


SITEMAP_PARAMETERS = frozenset(("page",))


@get("/sitemap.xml", summary="The release pages, for search engines", include_in_schema=False)
async def sitemap(
    request: Request[Any, Any, Any], state: State, page: FromQuery[int | None] = None
) -> Response[bytes]:
    settings: Settings = state.settings
    if not _own_host(settings):
        raise NotFound("The releases are on the city website: its sitemap lists them.")
    size = URLS_PER_SITEMAP

    async def build(conn: asyncpg.Connection) -> Built:
        seconds = await repository.seconds_to_next_lift(conn)
        pages = await sitemap_pages(conn, request.app.state.public_cache, size, seconds)
        if page is None and len(pages) > 1:
            return Built(render_index(pages, settings), seconds, media_type="application/xml")
        number = 1 if page is None else page
        if not 1 <= number <= max(1, len(pages)):
            raise NotFound(f"There is no such sitemap: /sitemap.xml lists the {len(pages)}.")
        rows = await conn.fetch(repository.Q["sitemap_entries"], size, (number - 1) * size)
        body = render_sitemap(list(rows), settings)
        return Built(body, seconds, media_type="application/xml")

    return await cached_public(
        request, public_cache_key(request, SITEMAP, reads=SITEMAP_PARAMETERS), build
    )


@get("/robots.txt", summary="What crawlers may read", include_in_schema=False)
async def robots(state: State) -> Response[str]:
    settings: Settings = state.settings
    lines = ["User-agent: *", "Disallow: /api/", "Disallow: /feeds/private/", "Allow: /"]
    if _own_host(settings):
        lines.append(f"Sitemap: {settings.public_url}/sitemap.xml")
    return Response(
        "\n".join(lines) + "\n",
        media_type="text/plain",
        headers={"Cache-Control": "public, max-age=3600"},
    )
