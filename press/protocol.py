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
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import msgspec
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

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
    """One client connection; see the module's docstring for its bounds."""

    def __init__(self, *args: Any, limits: RequestLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._head_bytes: int | None = 0  # of the head being read; None while a body is
        self._body_bytes = 0
        self._body_started = 0.0
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # The parser is fed no more of a head than the limit allows: what it is not fed, it
        # does not keep. Past the head, everything goes to the parser as it comes.
        while data and not self.transport.is_closing():
            if self._head_bytes is None:
                super().data_received(data)
                return
            if self._deadline is None:
                self._arm(self.limits.header_timeout, self._head_too_slow)
            room = self.limits.max_head_bytes - self._head_bytes
            if room <= 0:
                detail = f"The request's headers are over {self.limits.max_head_bytes} bytes."
                self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, detail)
                return
            part, data = data[:room], data[room:]
            self._head_bytes += len(part)
            super().data_received(part)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._head_bytes = None
        self._body_bytes = 0
        self._body_started = self.loop.time()
        self._arm(self.limits.body_timeout, self._body_too_slow)

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()
        self._head_bytes = 0

    def _head_too_slow(self) -> None:
        self._deadline = None
        if self._head_bytes is None or self.transport.is_closing():
            return
        if self._head_bytes == 0:  # nothing sent since the connection opened
            self.transport.close()
            return
        detail = f"The request's headers did not arrive within {self.limits.header_timeout:g} s."
        self._refuse(HTTPStatus.REQUEST_TIMEOUT, detail)

    def _body_too_slow(self) -> None:
        self._deadline = None
        allowed = self.limits.body_timeout + self._body_bytes / self.limits.min_body_rate
        left = self._body_started + allowed - self.loop.time()
        if left > 0:
            self._arm(left, self._body_too_slow)
            return
        detail = (
            f"The request's body came slower than {self.limits.min_body_rate} bytes per second."
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

    def _arm(self, seconds: float, check: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, check)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
