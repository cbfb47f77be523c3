"""`GET /releases/{id or slug}`: a published release as an HTML page (press/releases/page.py).

The same lookup and visibility as the JSON detail (`public_release`), cached the same way;
an address with nothing published gets an HTML 404, a withdrawn release an HTML 410.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from press.archive import repository as files
from press.archive.public_files import to_public_file
from press.errors import Gone, NotFound
from press.public_cache import Built, cached_public
from press.public_cache import cache_key as public_cache_key
from press.releases.detail import parse_key, public_release
from press.releases.page import SECURITY_HEADERS, render_missing, render_release
from press.releases.public import check_lang, language_preference, public_note


class ReleasePageController(Controller):
    path = "/releases"
    tags = ["public: releases"]
    include_in_schema = False

    @get("/{key:str}", summary="One published release as an HTML page")
    async def release_page(
        self,
        request: Request[Any, Any, Any],
        state: State,
        key: FromPath[str],
        lang: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        check_lang(lang)
        accept_language = request.headers.get("accept-language")
        preference = language_preference(lang, accept_language)
        settings = state.settings
        try:
            lookup = parse_key(key)

            async def build(conn: asyncpg.Connection) -> Built:
                item, row, seconds = await public_release(
                    conn, state, lookup, lang, accept_language
                )
                public = settings.public_url
                base = f"{public}/releases/{item.id}"
                rows = await files.list_public_release_files(conn, item.id)
                body = render_release(
                    item,
                    [to_public_file(r, [item.lang], public) for r in rows],
                    lambda code: f"{base}?{urlencode({'lang': code})}",
                    {
                        "api": f"{public}/api/v1/releases/{item.id}?lang={item.lang}",
                        "feed": f"{public}/feeds/releases.rss?lang={item.lang}",
                        "press_kit": f"{public}/api/v1/releases/{item.id}/press-kit.zip",
                    },
                    settings.zone,
                )
                return Built(
                    body=body,
                    seconds_to_next_lift=seconds,
                    last_modified=row["modified_at"],
                    media_type="text/html",
                    headers={"Content-Language": item.lang, **SECURITY_HEADERS},
                )

            return await cached_public(request, public_cache_key(request, preference[0]), build)
        except (NotFound, Gone) as error:
            note = public_note(error.extra["tombstone"]) if isinstance(error, Gone) else None
            return Response(
                render_missing(preference[0], gone=isinstance(error, Gone), note=note),
                status_code=error.status,
                media_type="text/html",
                headers={"Cache-Control": "no-store", **SECURITY_HEADERS},
            )
