"""The HTTP/1.1 connections of `press serve`: uvicorn's httptools protocol, with bounds.

Left alone, uvicorn reads a request head of any size (a 50 MB header was read whole, for
93 MB of memory) and waits as long as a client likes for a head or a body that trickles in a
byte at a time (slowloris: a few hundred such connections hold a server). Here:

- the head (request line and headers) may be MAX_HEAD_BYTES long; the bytes past that are
  not read, the answer is 431 and the connection is closed;
- a head must arrive within `header_timeout` seconds of the connection opening or of its
  first byte: else 408 (silence, for a connection that never sent anything) and close;
- a body must keep coming: it has `body_timeout` seconds, plus one second for every
  MIN_BODY_RATE bytes received; else 408 (if no answer has started) and close. An upload at
  any usable speed never meets that limit; a body sent a byte at a time meets it.

Between requests, uvicorn's keep-alive timeout closes an idle connection.

And one shortcut: a GET or HEAD without a body whose answer the public cache holds (the
website's, the feed readers' and the calendars' polls, most of all traffic) is answered
here, as soon as its head is read, with the bytes press.edge would have sent: no request
task, no ASGI messages, one write. Any other request, or any request while an earlier
one on the connection is still being answered or while the client is not reading what it
was sent, goes to the app as uvicorn hands it on. The answer is counted and logged as the
edge's own (press.edge.Edge.account).
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from http import HTTPStatus
from time import perf_counter
from typing import Any
from urllib.parse import unquote

import httptools
import msgspec
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from press.edge import Edge, read_headers
from press.errors import PROBLEM_JSON, TYPE_BASE
from press.settings import Settings

MAX_HEAD_BYTES = 16 * 1024
MIN_BODY_RATE = 1024  # bytes per second a body must average once its first seconds are up
KEEP_ALIVE_SECONDS = 5


@dataclass(frozen=True)
class RequestLimits:
    max_head_bytes: int = MAX_HEAD_BYTES
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    min_body_rate: int = MIN_BODY_RATE


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for `press serve`: this protocol, with the settings' timeouts."""
    limits = RequestLimits(
        header_timeout=settings.header_timeout_seconds,
        body_timeout=settings.body_timeout_seconds,
    )
    return {
        "http": functools.partial(BoundedHttpToolsProtocol, limits=limits),
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        # press has no WebSocket routes; an upgrade would hand the connection to a protocol
        # without these bounds.
        "ws": "none",
    }


def refusal(status: HTTPStatus, detail: str) -> bytes:
    """A whole response that ends the connection, its body a problem document."""
    body = msgspec.json.encode(
        {
            "type": TYPE_BASE + status.phrase.lower().replace(" ", "-"),
            "title": status.phrase,
            "status": status.value,
            "detail": detail,
        }
    )
    head = (
        f"HTTP/1.1 {status.value} {status.phrase}\r\n"
        f"content-type: {PROBLEM_JSON}\r\ncontent-length: {len(body)}\r\n"
        "cache-control: no-store\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """One client connection; see the module's docstring for its bounds.

    Its deadlines (the head's, the body's) are watched by one timer that is not moved on
    every request: each phase notes when its clock started, and the timer, when it fires,
    works out from the phase it finds whether time is up or when to look again. A
    connection polled thousands of times a second so arms a timer every few seconds, not
    two per request; answers sent here watch their keep-alive the same way."""

    def __init__(self, *args: Any, limits: RequestLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._head_bytes: int | None = 0  # of the head being read; None while a body is
        self._head_since: float | None = None  # when the head being read started
        self._body_bytes = 0
        self._body_started = 0.0
        self._deadline: asyncio.TimerHandle | None = None
        self._edge = edge_of(self.app)
        self._answered: AnsweredHere | None = None
        self._idle_since: float | None = None  # since an answer sent here, if still idle
        self._idle_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_since = self.loop.time()
        self._watch(self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # The parser is fed no more of a head than the limit allows: what it is not fed, it
        # does not keep. Past the head, everything goes to the parser as it comes.
        while data and not self.transport.is_closing():
            if self._head_bytes is None:
                super().data_received(data)
                return
            if self._head_since is None:  # the first bytes of a head
                self._head_since = self.loop.time()
                self._watch(self.limits.header_timeout)
            room = self.limits.max_head_bytes - self._head_bytes
            if room <= 0:
                detail = f"The request's headers are over {self.limits.max_head_bytes} bytes."
                self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, detail)
                return
            part, data = (data, b"") if len(data) <= room else (data[:room], data[room:])
            self._head_bytes += len(part)
            super().data_received(part)

    def _unset_keepalive_if_required(self) -> None:
        super()._unset_keepalive_if_required()
        self._idle_since = None

    def on_message_begin(self) -> None:
        # The next request, read from the same bytes as the last (pipelined): the connection
        # is not idle, whatever answered the last one.
        self._unset_keepalive_if_required()
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._head_since = None
        if self._edge is not None and self._answer_here(self._edge):
            return
        super().on_headers_complete()
        self._head_bytes = None
        self._body_bytes = 0
        self._body_started = self.loop.time()
        self._watch(self.limits.body_timeout)

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_bytes = 0  # the timer, when it fires, finds nothing to watch

    def _answer_here(self, edge: Edge) -> bool:
        """Send the public cache's answer to this request, if it holds one and nothing stands
        in the way (see the module's docstring); whether it was sent."""
        started = perf_counter()
        if (self.cycle is not None and not self.cycle.response_complete) or self.flow.write_paused:
            return False
        method = self.parser.get_method()
        if method != b"GET" and method != b"HEAD":
            return False
        for name, _ in self.headers:
            if name == b"content-length" or name == b"transfer-encoding" or name == b"upgrade":
                return False  # a body (or another protocol) follows: the app reads it
        try:
            url = httptools.parse_url(self.url)
        except httptools.HttpParserInvalidURLError:
            return False  # uvicorn answers it
        path = url.path.decode("ascii")
        if "%" in path:
            path = unquote(path)
        scope: Any = self.scope
        scope["method"] = "GET"
        scope["path"] = self.root_path + path
        scope["query_string"] = url.query or b""
        answer = edge.answer_now(scope, read_headers(self.headers))
        if answer is None:
            scope["method"] = method.decode("ascii")
            return False
        status, lines, body, request_id = answer
        keep_alive = self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive()
        head = (
            STATUS_LINE[status],
            default_header_lines(self.server_state.default_headers),
            lines,
            b"\r\n" if keep_alive else b"connection: close\r\n\r\n",
        )
        size = 0
        if method == b"GET" and body:
            # The body as it is kept: written after the head in one writev, not copied.
            self.transport.writelines((b"".join(head), body))
            size = len(body)
        else:
            self.transport.write(b"".join(head))
        if self._answered is None:
            self._answered = AnsweredHere()
        self.cycle = self._answered  # type: ignore[assignment]
        edge.account(scope, method.decode("ascii"), status, size, started, request_id)
        self.server_state.total_requests += 1
        if not keep_alive:
            self.transport.close()
            return True
        # As uvicorn's on_response_complete, with the keep-alive timeout watched lazily (no
        # other request was in flight, so none waits in the pipeline, and reading was not
        # paused).
        self._idle_since = self.loop.time()
        if self._idle_timer is None:
            self._idle_timer = self.loop.call_later(self.timeout_keep_alive, self._check_idle)
        return True

    def _check_idle(self) -> None:
        self._idle_timer = None
        if self._idle_since is None or self.transport.is_closing():
            return  # busy since (or gone): whatever answers next watches again
        left = self._idle_since + self.timeout_keep_alive - self.loop.time()
        if left > 0:
            self._idle_timer = self.loop.call_later(left, self._check_idle)
        else:
            self.timeout_keep_alive_handler()

    def _watch(self, seconds: float) -> None:
        """Make sure the timer fires within `seconds` (it may fire sooner: `_check` then
        looks again later)."""
        if self._deadline is not None:
            if self._deadline.when() <= self.loop.time() + seconds:
                return
            self._deadline.cancel()
        self._deadline = self.loop.call_later(seconds, self._check)

    def _check(self) -> None:
        """The timer: the head's or the body's deadline, whichever phase the connection is
        in; nothing between requests (the keep-alive timeout watches those)."""
        self._deadline = None
        if self.transport.is_closing():
            return
        now = self.loop.time()
        if self._head_bytes is None:  # a body is being read
            allowed = self.limits.body_timeout + self._body_bytes / self.limits.min_body_rate
            left = self._body_started + allowed - now
            if left > 0:
                self._deadline = self.loop.call_later(left, self._check)
                return
            detail = (
                f"The request's body came slower than {self.limits.min_body_rate} bytes per second."
            )
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, detail)
        elif self._head_since is not None:  # a head is being read
            left = self._head_since + self.limits.header_timeout - now
            if left > 0:
                self._deadline = self.loop.call_later(left, self._check)
                return
            if self._head_bytes == 0:  # nothing sent since the connection opened
                self.transport.close()
                return
            detail = (
                f"The request's headers did not arrive within {self.limits.header_timeout:g} s."
            )
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, detail)

    def _refuse(self, status: HTTPStatus, detail: str) -> None:
        """Answer `status` unless the app's answer has started, and close the connection.
        While a body is read, the request's task is told that the client went away (its
        receive() says so), and whatever it sends after is dropped."""
        self._disarm()
        answered = False
        if self._head_bytes is None and self.cycle is not None:  # the request being read
            answered = self.cycle.response_started
            if not self.cycle.response_complete:
                self.cycle.disconnected = True
                self.cycle.message_event.set()
        if not answered:
            self.transport.write(refusal(status, detail))
        self.transport.close()

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


_default_headers: tuple[object, bytes] = (None, b"")


def default_header_lines(headers: list[tuple[bytes, bytes]]) -> bytes:
    """uvicorn's own headers (Date, Server) as header lines; uvicorn makes a new list every
    second (the date), so they are encoded once a second."""
    global _default_headers
    kept, lines = _default_headers
    if kept is not headers:
        lines = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        _default_headers = (headers, lines)
    return lines


class AnsweredHere:
    """Stands, as the connection's current request cycle, for a request answered in the
    protocol: its answer is complete (uvicorn's callbacks then leave it alone)."""

    response_started = True
    response_complete = True
    disconnected = False
    more_body = False
    keep_alive = True

    def __init__(self) -> None:
        self.message_event = asyncio.Event()
        self.body = bytearray()


def edge_of(app: Any) -> Edge | None:
    """The press.edge.Edge inside the app uvicorn serves (through its own middleware, such
    as the proxy headers', and Litestar's `asgi_handler`), or None."""
    for _ in range(8):
        if isinstance(app, Edge):
            return app
        handler = getattr(app, "asgi_handler", None)
        if isinstance(handler, Edge):
            return handler
        app = getattr(app, "app", None)
        if app is None:
            return None
    return None
