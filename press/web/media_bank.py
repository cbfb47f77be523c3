"""The media bank: the city's photos and brand material for the media, each with its credit,
licence and alt text, and its downloads in each size."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromQuery

from press.archive import repository as archive
from press.archive.public_files import to_public_file
from press.archive.renditions import RENDITIONS
from press.archive.schemas import PublicFile
from press.errors import InvalidInput
from press.pagination import encode_cursor, time_cursor
from press.public_cache import Built
from press.releases import repository as releases
from press.releases.public import language_preference
from press.settings import Settings
from press.web import i18n
from press.web.caching import cached_page, html_built, page_key
from press.web.layout import render
from press.web.release import file_size

PAGE_SIZE = 24


def downloads(file: PublicFile) -> list[dict[str, str]]:
    """The sizes a photo can be fetched in, largest first: the original, then renditions."""
    original = ""
    if file.width and file.height:
        original = f"{file.width} \N{MULTIPLICATION SIGN} {file.height} px, "
    sizes = [
        {
            "href": file.url,
            "label": i18n.gettext("Original"),
            "size": original + file_size(file.size),
        }
    ]
    for name, longest in sorted(RENDITIONS.items(), key=lambda r: -r[1]):
        if name in file.renditions and (file.width or 0) > longest:
            sizes.append({"href": file.renditions[name], "label": f"{longest} px", "size": ""})
    return sizes


@get(["/fi/media-bank/", "/sv/media-bank/", "/en/media-bank/"], include_in_schema=False)
async def media_bank_page(
    request: Request[Any, Any, Any], state: State, cursor: FromQuery[str | None] = None
) -> Response[bytes]:
    lang = request.scope["path"].strip("/")[:2]
    settings: Settings = state.settings
    try:
        position = time_cursor(cursor)
    except InvalidInput:  # a cursor press did not make: the first page
        cursor = position = None

    async def build(conn: asyncpg.Connection) -> Built:
        rows = await archive.list_media_bank(conn, None, position, PAGE_SIZE + 1)
        seconds = (await releases.public_lookups(conn, state.public_cache)).seconds_to_next_lift
        preference = language_preference(lang, None)
        files = [to_public_file(row, preference, settings.public_url) for row in rows[:PAGE_SIZE]]
        next_href = None
        if len(rows) > PAGE_SIZE:
            last = rows[PAGE_SIZE - 1]
            after = encode_cursor(last["created_at"].isoformat(), str(last["id"]))
            next_href = f"/{lang}/media-bank/?{urlencode({'cursor': after})}"
        with i18n.speaking(lang):
            items = [{"file": f, "downloads": downloads(f)} for f in files]
        body = render(
            request,
            "media_bank.html",
            lang,
            section="/media-bank/",
            items=items,
            next_href=next_href,
            first_href=f"/{lang}/media-bank/" if position else None,
        )
        return html_built(
            settings,
            lang,
            body,
            seconds,
            max((row["created_at"] for row in rows[:PAGE_SIZE]), default=None),
        )

    return await cached_page(request, page_key(request, {"cursor": cursor}, lang), lang, build)
