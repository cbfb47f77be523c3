"""The outermost layer of the app: a request id, and one log line and one tally per request.

The request id is the client's (or proxy's) `X-Request-ID` when it is a plain word of at
most 64 characters that does not look like a credential, else one made here; it is sent
back as `X-Request-ID` and written in the request's log line, so a complaint can be found
in the log.

The line names the route template (`/api/v1/releases/{release_id:uuid}`) as well as the
path, and the path is redacted (press.log_redaction): private feed tokens and e-mailed
links' tokens never reach the log. The metrics take the template only, never the path:
one series per route, not per release.

Cheapness matters here (bench G7, G8; bench/request_cost.py counts instructions): per
request, a request id from a counter, a tally in plain dicts
(press.ops.metrics.Metrics.count_request) and one tuple of what the line will say, kept as
the request left it (bytes undecoded, the query apart from the path). Everything else is
done per batch of up to 256 (press.ops.logs.LineWriter), in one loop: the path put
together, redacted (the patterns run only on a path with a sign of a secret in it), the
time formatted, the line encoded.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from time import gmtime, perf_counter, time
from time import strftime as time_strftime
from typing import IO, Any

import msgspec

from press.edge import HEAD_AS_GET
from press.log_redaction import might_hold_secret, redact
from press.ops.logs import Clock, LineWriter
from press.ops.metrics import Metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SANE_ID = re.compile(r"[A-Za-z0-9._:@-]{1,64}")
_ROUTES_KEPT = 4096
UNMATCHED = "unmatched"
_encoder = msgspec.json.Encoder()


# One answer as the request log keeps it until its batch is written: time(), request id,
# method, route template, path, raw query string, status, seconds, body bytes.
Answer = tuple[float, bytes, str, str, str, bytes, int, float, int]


# A JSON line, put together with bytes formatting: the middle (method, route, path) is
# encoded once per distinct request (`_Described`), the rest is numbers and what is known to
# need no escaping (the time; request ids, which `request_id` keeps to a plain word).
_JSON_LINE = (
    b'{"time":"%s%s","request_id":"%s","method":%s,"status":%d,"duration_ms":%.3f,'
    b'"bytes":%d,"event":"request","level":"info"}\n'
)
_MILLIS = [b".%03dZ" % n for n in range(1000)]
_DESCRIBED_KEPT = 4096


class _Described(dict[tuple[str, str, str, bytes], bytes]):
    """The JSON of a line's method, route and path (redacted) by what the request named:
    paths repeat (the list, the feeds), so each is put together and redacted once. Bounded:
    cache-busting queries make new ones, and they are dropped all together when full."""

    def __missing__(self, key: tuple[str, str, str, bytes]) -> bytes:
        method, route, path, query = key
        if len(self) >= _DESCRIBED_KEPT:
            self.clear()
        described = b'%s,"route":%s,"path":%s' % (
            _encoder.encode(method),
            _encoder.encode(route),
            _encoder.encode(_logged_path(path, query)),
        )
        self[key] = described
        return described


def request_lines(json: bool, stream: IO[bytes] | None = None) -> LineWriter:
    """The writer of the request log: JSON lines or text lines, redacted per batch."""
    return LineWriter(stream, render=_json_lines() if json else _text_lines)


def _json_lines() -> Callable[[list[Answer]], bytes]:
    described = _Described()
    second, prefix = -1, b""

    def render(answers: list[Answer]) -> bytes:
        nonlocal second, prefix
        lines = []
        for at, request_id, method, route, path, query, status, seconds, size in answers:
            now, millis = divmod(int(at * 1000), 1000)
            if now != second:
                second = now
                prefix = time_strftime("%Y-%m-%dT%H:%M:%S", gmtime(now)).encode()
            lines.append(
                _JSON_LINE
                % (
                    prefix,
                    _MILLIS[millis],
                    request_id,
                    described[method, route, path, query],
                    status,
                    seconds * 1000,  # milliseconds, to the microsecond (%.3f)
                    size,
                )
            )
        return b"".join(lines)

    return render


def _text_lines(answers: list[Answer]) -> bytes:
    clock = Clock()
    return "".join(
        f"{clock(at)} {method} {_logged_path(path, query)} {status} "
        f"{int(seconds * 1_000_000) / 1000}ms {size}B route={route} "
        f"request_id={request_id.decode()}\n"
        for at, request_id, method, route, path, query, status, seconds, size in answers
    ).encode()


def _logged_path(path: str, query: bytes) -> str:
    """The path as the log shows it: with its query, and no secret in either."""
    if query:
        path += "?" + query.decode("latin-1")
    return redact(path) if might_hold_secret(path) else path


class RequestLog:
    def __init__(self, app: ASGIApp, metrics: Metrics, writer: LineWriter | None):
        self.app = app
        self.metrics = metrics
        self.writer = writer
        # Made ids: a random prefix per process and a counter, unique across workers and
        # cheaper than a UUID per request.
        self._prefix = secrets.token_hex(4).encode() + b"-"
        self._made = 0
        # Paths the router has matched, by template: answers sent before routing (the public
        # cache's, in press.edge) are labelled with the template their path had.
        self._routes: dict[str, str] = {}

    def request_id(self, offered: str | None) -> bytes:
        """The client's id when it is sane, else one made here."""
        # Not one that looks like a token either: it is written to the log as it is.
        if offered is not None and _SANE_ID.fullmatch(offered) and not might_hold_secret(offered):
            return offered.encode()
        self._made += 1
        return b"%s%x" % (self._prefix, self._made)

    def _request_id(self, scope: Scope) -> bytes:
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                return self.request_id(value.decode("latin-1"))
        return self.request_id(None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        request_id = self._request_id(scope)
        answer = [0, 0]  # status, body bytes

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer[0] = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id)]
            elif message["type"] == "http.response.body":
                answer[1] += len(message.get("body", b""))
            await send(message)

        # press.edge makes a HEAD a GET before it gets here, and says so.
        method = "HEAD" if scope.get(HEAD_AS_GET) else scope["method"]
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            answer[0] = answer[0] or 500
            raise
        finally:
            route = self._route(scope)
            seconds = perf_counter() - started
            self.answered(scope, method, route, answer[0], answer[1], seconds, request_id)

    def answered(
        self,
        scope: Scope,
        method: str,
        route: str,
        status: int,
        size: int,
        seconds: float,
        request_id: bytes,
    ) -> None:
        """Count and log one answer: the app's (above) or one press.edge sent itself."""
        self.metrics.count_request(method, route, status, seconds)
        if self.writer is not None:
            self.writer.write(
                (
                    time(),
                    request_id,
                    method,
                    route,
                    scope["path"],
                    scope["query_string"],
                    status,
                    seconds,
                    size,
                )
            )

    def route_of(self, path: str) -> str:
        """The template the router last matched `path` with (for answers made before it)."""
        return self._routes.get(path, UNMATCHED)

    def _route(self, scope: Scope) -> str:
        path: str = scope["path"]
        template: str | None = scope.get("path_template")
        if template is None:
            return self._routes.get(path, UNMATCHED)
        if path not in self._routes:
            if len(self._routes) >= _ROUTES_KEPT:
                self._routes.clear()
            self._routes[path] = template
        return template
