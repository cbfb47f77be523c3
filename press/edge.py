"""What is answered before routing: HEAD as GET, and revalidations of cached public pages.

HEAD (RFC 9110 §9.3.2): every general-purpose server must support it; feed readers, link
checkers, calendar clients and caches use it to look at a URL's headers without its body.
The router only knows the GET handlers, so HEAD is routed as GET and the body is dropped on
the way out: the headers, Content-Length included, are the GET's.

Revalidation: the website, feed readers and calendars poll with If-None-Match, and most
polls find nothing new. When the public cache holds the answer to exactly this request
(path, query string and language) and the ETag matches, the 304 is sent from here, as
`press.public_cache.respond` would send it, without the framework's routing, parameter
parsing and response objects. Anything else (no validator, no entry, another ETag, an
entry kept under another kind of key) goes on to the app unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from press.conditional import etag_matches, public_cache_control
from press.public_cache import PublicCache, scope_key
from press.releases.public import language_preference

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Edge:
    def __init__(self, app: ASGIApp, cache: PublicCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
            send = _headers_only(send)
        if not await self._not_modified(scope, send):
            await self.app(scope, receive, send)

    async def _not_modified(self, scope: Scope, send: Send) -> bool:
        if not self.cache.enabled:
            return False
        if_none_match = accept_language = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif name == b"accept-language":
                accept_language = value.decode("latin-1")
        if if_none_match is None:
            return False
        query = scope["query_string"]
        lang = None
        if b"lang=" in query:
            langs = parse_qs(query.decode("latin-1")).get("lang")
            lang = langs[0] if langs else None
        preference = language_preference(lang, accept_language)
        # The key the public handlers keep their answers under: cache_key(request, language).
        entry = self.cache.lookup(scope_key(scope, preference[0]))
        if entry is None or not (
            if_none_match == entry.etag or etag_matches(if_none_match, entry.etag)
        ):
            return False
        remaining = None
        if entry.lift_deadline is not None:
            remaining = max(0.0, entry.lift_deadline - time.monotonic())
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in entry.headers.items()
        ]
        headers.append((b"cache-control", public_cache_control(remaining).encode("latin-1")))
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return True


def _headers_only(send: Send) -> Send:
    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return headers_only
