"""What is answered before routing: HEAD as GET, and whatever the public cache holds.

HEAD (RFC 9110 §9.3.2): every general-purpose server must support it; feed readers, link
checkers, calendar clients and caches use it to look at a URL's headers without its body.
The router only knows the GET handlers, so HEAD is routed as GET and the body is dropped on
the way out: the headers, Content-Length included, are the GET's.

The public cache: the website, feed readers and calendars poll the same few URLs, and most
polls find nothing new. When the public cache holds the answer to exactly this request
(path, the query parameters its handler reads, and the language or encoding its handler keys
it by; see `press.public_cache.cache_key`), the answer is sent from here, as
`press.public_cache.respond` sends it (a 304 when the client's copy is current, else the
body), without the framework's routing, parameter parsing and response objects. Anything
else goes on to the app unchanged; so does a request whose `lang` is given more than once,
which the handler might read otherwise than this module does.

Early routes: a public page the cache does not hold may be built here too, by the function
its handler calls (`early`, by path), from its parameters as the framework parses them.
That is done only for requests whose parameters are plain: each given once, none empty
(others are ignored, as the handler ignores them). The function may decline (None); if it
fails (invalid input, say), nothing has been sent and the request goes on to the app,
whose answer, a problem document, is the same as the handler's would have been. The public
list is polled with new queries all the time (searches, sync cursors): this spares it the
framework's work, which cost as much as the rest of a search page beyond its SQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from time import perf_counter
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs

from litestar import Request

from press.conditional import gzip_accepted
from press.public_cache import (
    SITEMAP,
    Entry,
    PublicCache,
    encoded_answer,
    key_path,
    known_query,
    raw_answer,
)
from press.releases.public import language_preference
from press.releases.schemas import LANGS

if TYPE_CHECKING:
    from press.ops.request_log import RequestLog

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# An early route: the parameters it takes, and the function that makes its entry from them.
Early = tuple[
    frozenset[str], Callable[[Request[Any, Any, Any], dict[str, str]], Awaitable[Entry | None]]
]


HEAD_AS_GET = "press.head"  # in the scope of a HEAD routed as a GET, for the request log
_HEADERS = (
    b"if-none-match",
    b"if-modified-since",
    b"accept-language",
    b"accept-encoding",
    b"x-request-id",
)


class Edge:
    """`requests` (press.ops.request_log.RequestLog) counts and logs the answers sent here;
    it wraps `app` to do the same for the app's. Answers sent here do without its wrapper
    around `send`, which cost as much as the rest of a cached answer."""

    def __init__(
        self,
        app: ASGIApp,
        cache: PublicCache,
        early: dict[str, Early] | None = None,
        requests: RequestLog | None = None,
    ):
        self.app = app
        self.cache = cache
        self.early = early or {}
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        method = scope["method"]
        if method == "HEAD":
            # A copy: the server reads the method of its own scope to send no body.
            scope = {**scope, "method": "GET", HEAD_AS_GET: True}
            send = _headers_only(send)
        header = read_headers(scope["headers"])
        entry = self._entry(scope, header) if self.cache.enabled else None
        if entry is not None:
            self.cache.hits += 1
        if entry is None and scope["path"] in self.early:
            entry = await self._early(scope, self.early[scope["path"]])
        if entry is None:
            await self.app(scope, receive, send)
            return
        status, raw, body = self._answer(entry, header)
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        request_id = raw[-1][1] if self.requests is not None else None
        size = len(body) if method == "GET" else 0
        self.account(scope, method, status, size, started, request_id)

    def answer_now(
        self, scope: Scope, header: dict[bytes, str | None]
    ) -> tuple[int, bytes, bytes, bytes | None] | None:
        """The answer the public cache holds for a GET `scope`, or None: for a server that
        writes it itself (press.protocol), which then calls `account`. The status, the
        header lines (each `name: value` and CRLF), the body, and the request id.
        `header`: `read_headers` of the request's headers."""
        entry = self._entry(scope, header) if self.cache.enabled else None
        if entry is None:
            return None
        self.cache.hits += 1
        status, lines = encoded_answer(
            entry, header[b"if-none-match"], header[b"if-modified-since"]
        )
        body = entry.built.body if status == 200 else b""
        request_id = None
        if self.requests is not None:
            request_id = self.requests.request_id(header[b"x-request-id"])
            lines += b"x-request-id: " + request_id + b"\r\n"
        return status, lines, body, request_id

    def _answer(
        self, entry: Entry, header: dict[bytes, str | None]
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        status, raw = raw_answer(entry, header[b"if-none-match"], header[b"if-modified-since"])
        body = entry.built.body if status == 200 else b""
        if self.requests is not None:
            # Last, where `__call__` finds it; the entry's own list stays as it is.
            raw = [*raw, (b"x-request-id", self.requests.request_id(header[b"x-request-id"]))]
        return status, raw, body

    def account(
        self,
        scope: Scope,
        method: str,
        status: int,
        size: int,
        started: float,
        request_id: bytes | None,
    ) -> None:
        """Count and log an answer sent from here, started at perf_counter() `started`."""
        requests = self.requests
        if requests is not None and request_id is not None:
            path = scope["path"]
            # An early route's path is its template; other paths' the router's.
            route = path if path in self.early else requests.route_of(path)
            seconds = perf_counter() - started
            requests.answered(scope, method, route, status, size, seconds, request_id)

    async def _early(self, scope: Scope, route: Early) -> Entry | None:
        """The entry an early route makes for this request; None when it is left to the app."""
        names, make = route
        request: Request[Any, Any, Any] = Request(cast("Any", scope))
        parameters: dict[str, str] = {}
        for name, value in request.query_params.multi_items():
            if name in names:
                if not value or name in parameters:
                    return None
                parameters[name] = value
        try:
            return await make(request, parameters)
        except Exception:  # the app answers: its answer to a failure is the handler's
            return None

    def _entry(self, scope: Scope, header: dict[bytes, str | None]) -> Entry | None:
        """The entry kept under any of the keys a public handler could have used for this
        request; their last parts (a language, a bool, SITEMAP) never collide."""
        query = scope["query_string"]
        path = key_path(scope)
        # The parameters its handler reads, as its handler keys them; before any handler at
        # this path has keyed an entry, the query as sent (no entry can match it then).
        reads = self.cache.reads.get(path)
        known = query if reads is None else known_query(query, reads)
        lang = None
        if b"lang=" in query:
            langs = parse_qs(query.decode("latin-1")).get("lang")
            if langs and len(langs) > 1:
                return None
            lang = langs[0] if langs else None
        for part in (
            language_preference(lang, header[b"accept-language"])[0],
            _path_language(scope["path"]),
            gzip_accepted(header[b"accept-encoding"]),
            SITEMAP,
        ):
            entry = self.cache.lookup((path, known, part))
            if entry is not None:
                return entry
        return None


def read_headers(headers: list[tuple[bytes, bytes]]) -> dict[bytes, str | None]:
    """The request headers the edge reads, by lower-case name (None when not sent)."""
    header: dict[bytes, str | None] = dict.fromkeys(_HEADERS)
    for name, value in headers:
        if name in header:
            header[name] = value.decode("latin-1")
    return header


def _path_language(path: str) -> str | None:
    """The language a page's address names (`/sv/events/` is a Swedish page, whatever the
    reader's Accept-Language): the press room keys its pages by it (press.web.caching)."""
    lang = path[1:3]
    return lang if lang in LANGS and path[3:4] in ("/", "") else None


def _headers_only(send: Send) -> Send:
    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return headers_only
