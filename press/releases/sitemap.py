"""`/sitemap.xml` and `/robots.txt`: the release pages for search engines.

The sitemap lists each public release in each of its languages at its address
(PRESS_RELEASE_URL_TEMPLATE), with its other languages as alternates, newest first, up to
the protocol's 50,000 addresses. A sitemap may only list addresses of its own host: when
the releases live on the city website, the website publishes their sitemap and this one is
not found. Cached like every public page: rebuilt after a change or a lift.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State

from press.errors import NotFound
from press.public_cache import SITEMAP, Built, cached_public
from press.public_cache import cache_key as public_cache_key
from press.releases import repository
from press.settings import Settings

MAX_URLS = 50_000


def render_sitemap(rows: list[Any], settings: Settings) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
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


@get("/sitemap.xml", summary="The release pages, for search engines", include_in_schema=False)
async def sitemap(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    settings: Settings = state.settings
    if not _own_host(settings):
        raise NotFound("The releases are on the city website: its sitemap lists them.")

    async def build(conn: asyncpg.Connection) -> Built:
        rows = await conn.fetch(repository.Q["sitemap_entries"], MAX_URLS)
        seconds = await repository.seconds_to_next_lift(conn)
        return Built(
            body=render_sitemap(list(rows), settings),
            seconds_to_next_lift=seconds,
            media_type="application/xml",
        )

    return await cached_public(request, public_cache_key(request, SITEMAP), build)


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
