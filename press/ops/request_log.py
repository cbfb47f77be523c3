"""The outermost layer of the app: a request id, and one log line and one tally per request.

The request id is the client's (or proxy's) `X-Request-ID` when it is a plain token of at
most 64 characters, else one made here; it is sent back as `X-Request-ID` and written in the
request's log line, so a complaint can be found in the log.

The line names the route template (`/api/v1/releases/{release_id:uuid}`) as well as the
path, and the path is redacted (press.log_redaction): private feed tokens and e-mailed
links' tokens never reach the log. The metrics take the template only, never the path:
one series per route, not per release.

Cheapness matters here (bench G7, G8): one dict built and encoded per request, written in
batches (press.ops.logs.LineWriter); the timing is tallied in plain dicts
(press.ops.metrics.Metrics.count_request).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from press.log_redaction import redact
from press.ops.logs import Clock, LineWriter
from press.ops.metrics import Metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SANE_ID = re.compile(rb"[A-Za-z0-9._:@-]{1,64}")
_ROUTES_KEPT = 4096
UNMATCHED = "unmatched"
_encode = msgspec.json.Encoder().encode


class RequestLog:
    def __init__(self, app: ASGIApp, metrics: Metrics, writer: LineWriter | None, json: bool):
        self.app = app
        self.metrics = metrics
        self.writer = writer
        self.json = json
        self.clock = Clock()
        # Made ids: a random prefix per process and a counter, unique across workers and
        # cheaper than a UUID per request.
        self._prefix = secrets.token_hex(4) + "-"
        self._made = 0
        # Paths the router has matched, by template: answers sent before routing (the public
        # cache's, in press.edge) are labelled with the template their path had.
        self._routes: dict[str, str] = {}

    def _request_id(self, scope: Scope) -> bytes:
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                if _SANE_ID.fullmatch(value):
                    return bytes(value)
                break
        self._made += 1
        return f"{self._prefix}{self._made:x}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = self._request_id(scope)
        method = scope["method"]
        answer = [0, 0]  # status, body bytes

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer[0] = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id)]
            elif message["type"] == "http.response.body":
                answer[1] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            answer[0] = answer[0] or 500
            raise
        finally:
            seconds = time.perf_counter() - started
            route = self._route(scope)
            self.metrics.count_request(method, route, answer[0], seconds)
            if self.writer is not None:
                self._write(scope, method, route, answer, seconds, request_id)

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

    def _write(
        self,
        scope: Scope,
        method: str,
        route: str,
        answer: list[int],
        seconds: float,
        request_id: bytes,
    ) -> None:
        path: str = scope["path"]
        if scope["query_string"]:
            path += "?" + scope["query_string"].decode("latin-1")
        path = redact(path)
        at = self.clock(time.time())
        rid = request_id.decode("latin-1")
        ms = round(seconds * 1000, 2)
        if self.json:
            line = _encode(
                {
                    "time": at,
                    "level": "info",
                    "event": "request",
                    "request_id": rid,
                    "method": method,
                    "route": route,
                    "path": path,
                    "status": answer[0],
                    "duration_ms": ms,
                    "bytes": answer[1],
                }
            )
            self.writer.write(line + b"\n")  # type: ignore[union-attr]
        else:
            text = f"{at} {method} {path} {answer[0]} {ms}ms {answer[1]}B request_id={rid}\n"
            self.writer.write(text.encode())  # type: ignore[union-attr]
