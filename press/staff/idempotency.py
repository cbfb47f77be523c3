"""The `Idempotency-Key` request header on the staff API's writes, as
draft-ietf-httpapi-idempotency-key-header describes it.

A client whose write timed out cannot tell whether it happened. Sent again with the same key,
the write is either done (the first attempt never committed) or answered with what the first
attempt answered, byte for byte, with `Idempotent-Replayed: true`, and nothing is done again:
no second row, outbox event or audit entry.

How: the key is claimed by inserting a row (user, key, the request's method, target and body
hash) in the request's own transaction (press.db.TransactionMiddleware), before the handler
runs. An answer below 400 is held back until its last byte, written into the row, and only
then let through to be committed and sent: the row and the write commit together. An answer
of 400 or more rolls both back, so the key may be used again. Another request with the key
while the first runs waits on the row's primary key until the first ends (then it is
answered from the row), up to `PRESS_IDEMPOTENCY_WAIT_SECONDS`, then 409.

Which operations: POST, PUT, PATCH and DELETE whose handler takes the `staff` dependency (a
staff bearer token), because they write in the request's transaction. The file upload signs
in by hand and writes in transactions of its own; it and every other operation ignore the
header. Keys are per staff user and answer for 24 hours (KEY_HOURS).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from uuid import UUID

import asyncpg
from litestar.openapi.spec import OpenAPIType, Operation, Parameter, Schema
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from press.db import request_transaction
from press.errors import BadRequest, Conflict, InvalidInput, PayloadTooLarge
from press.settings import Settings
from press.staff import repository
from press.staff.auth import bearer_token_in, provide_staff
from press.staff.schemas import StaffUser

KEY_HOURS = 24
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_PATTERN = "^[!-~]{1,255}$"  # visible ASCII: what a header carries unchanged
_KEY = re.compile(KEY_PATTERN)
_VISIBLE = "".join(map(chr, range(0x21, 0x7F)))
# Not kept with an answer: they belong to the moment of the first answer.
_NOT_KEPT = frozenset({"date", "set-cookie"})


class InvalidIdempotencyKey(BadRequest):
    """Send one Idempotency-Key header of 1 to 255 visible ASCII characters (no spaces); a
    random UUID made for this operation is a good key."""

    title = "Invalid Idempotency-Key"
    type = "invalid-idempotency-key"


class IdempotencyKeyReused(InvalidInput):
    """This Idempotency-Key was used for another request; use a new key for a new request."""

    title = "Idempotency-Key reused"
    type = "idempotency-key-reused"


class IdempotencyKeyInFlight(Conflict):
    """A request with this Idempotency-Key is still being answered; send it again in a
    moment to get its answer."""

    title = "Idempotency-Key in use"
    type = "idempotency-key-in-flight"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = "1"


def takes_idempotency_key(handler: Any) -> bool:
    """Whether the route handler writes as a staff user signed in by bearer token, in the
    request's transaction: the operations the header applies to."""
    # Read from the layers, not `resolve_dependencies()`: the OpenAPI plugin asks while the
    # app is still being built, and that method keeps its first answer.
    layers = reversed(handler.ownership_layers)  # the handler first, the app last
    staff = next(
        (layer.dependencies["staff"] for layer in layers if "staff" in (layer.dependencies or {})),
        None,
    )
    return (
        bool(handler.http_methods & WRITE_METHODS)
        and "staff" in handler.parsed_fn_signature.parameters
        and getattr(staff, "dependency", None) is provide_staff
    )


class IdempotencyMiddleware:
    """Answers a staff write with an Idempotency-Key once; inside TransactionMiddleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keys = [v for k, v in scope.get("headers", ()) if k == b"idempotency-key"]
        handler: Any = scope["route_handler"]
        if not keys or not takes_idempotency_key(handler):
            await self.app(scope, receive, send)
            return
        key = valid_key(keys)
        conn = await request_transaction(scope).connection()
        user = await _signed_in(conn, scope)
        if user is None:  # the handler answers 401
            await self.app(scope, receive, send)
            return
        body = await _whole_body(receive, handler.resolve_request_max_body_size())
        if body is None:  # the client went away
            return
        method: str = scope["method"]  # type: ignore[typeddict-item]  # http, as it has a key
        request = (user.id, key, method, _target(scope), hashlib.sha256(body).digest())
        if await _claim(conn, request, scope["litestar_app"].state.settings):
            kept = _KeptAnswer(conn, user.id, key, send)
            await self.app(scope, _receive_again(body, receive), kept)
        else:
            await _replay(await _first_answer(conn, request), send)


async def _claim(
    conn: asyncpg.Connection, request: tuple[UUID, str, str, str, bytes], settings: Settings
) -> bool:
    """Whether the key is this request's; 409 past the wait for another one holding it."""
    await repository.forget_expired_idempotency_keys(conn, KEY_HOURS)
    try:
        return await repository.claim_idempotency_key(
            conn, request, KEY_HOURS, settings.idempotency_wait_seconds
        )
    except TimeoutError:
        raise IdempotencyKeyInFlight() from None


async def _first_answer(
    conn: asyncpg.Connection, request: tuple[UUID, str, str, str, bytes]
) -> repository.KeyedRequest:
    """The answer kept for the key, if `request` is the one that was answered; else 422."""
    user_id, key, method, target, digest = request
    first = await repository.fetch_idempotency_key(conn, user_id, key)
    if first is None or first.status is None:  # expired and deleted meanwhile
        raise IdempotencyKeyInFlight()
    if (first.method, first.target) != (method, target):
        raise IdempotencyKeyReused(
            f"This Idempotency-Key was first used for {first.method} {first.target}; use a new"
            " key for a new request."
        )
    if first.body_sha256 != digest:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was first used for this method and address with another"
            " body; send that body unchanged to get its answer again, or use a new key for a"
            " new request."
        )
    return first


def valid_key(values: list[bytes]) -> str:
    """The key of the request's Idempotency-Key header(s), or 400."""
    if len(values) != 1:
        raise InvalidIdempotencyKey("Send one Idempotency-Key header, not several.")
    key = values[0].decode("latin-1")
    if not _KEY.fullmatch(key):
        raise InvalidIdempotencyKey()
    return key


async def _signed_in(conn: asyncpg.Connection, scope: Scope) -> StaffUser | None:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
    token = bearer_token_in(header.decode("latin-1"))
    return None if token is None else await repository.fetch_token_user(conn, token)


def _target(scope: Scope) -> str:
    """The path and query as the client sent them, any byte beyond visible ASCII
    percent-encoded (PostgreSQL text takes no NUL)."""
    query = scope.get("query_string", b"")
    target = (scope.get("raw_path") or scope["path"].encode()) + (b"?" + query if query else b"")
    return quote(target, safe=_VISIBLE)


async def _whole_body(receive: Receive, limit: int | None) -> bytes | None:
    """The request's body (the fingerprint needs all of it before the handler runs), or
    None if the client disconnects first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Any = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise PayloadTooLarge(f"The body may be at most {limit / 1e6:g} MB here.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _receive_again(body: bytes, receive: Receive) -> Receive:
    """`receive` for the handler: the body already read, then what the client sends next
    (a disconnect)."""
    given = False

    async def again() -> Any:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


class _KeptAnswer:
    """`send` of a request that claimed its key: an answer below 400 is held until its last
    byte, written into the key's row, then passed on to be committed and sent. Any other
    answer passes straight on (and rolls the key back with everything else)."""

    def __init__(self, conn: asyncpg.Connection, user_id: UUID, key: str, send: Send) -> None:
        self.conn, self.user_id, self.key, self.send = conn, user_id, key, send
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, sent: Message) -> None:
        message: Any = sent
        if message["type"] == "http.response.start":
            # A second start is the 500 of a handler that failed after its first one, which
            # was held back: that one passes on, and so does its body.
            self.start, self.chunks = (message if message["status"] < 400 else None), []
            if self.start is not None:
                return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self.chunks)
        start: Any = self.start
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in start.get("headers", ())
            if name.lower().decode("latin-1") not in _NOT_KEPT
        ]
        status: int = start["status"]
        await repository.keep_idempotent_response(
            self.conn, self.user_id, self.key, status, headers, body
        )
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


async def _replay(first: repository.KeyedRequest, send: Send) -> None:
    body = first.body or b""
    # Content-Length is among the headers kept, as the first answer had it (or not: a 204).
    headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in first.headers or ()]
    headers.append((b"idempotent-replayed", b"true"))
    start: Any = {"type": "http.response.start", "status": first.status, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


IDEMPOTENCY_KEY = Parameter(
    name="Idempotency-Key",
    param_in="header",
    required=False,
    description=(
        "Makes a retry of this write safe (draft-ietf-httpapi-idempotency-key-header): a"
        " request sent again with the same key, by the same user, within 24 hours, is answered"
        " with the first answer (header `Idempotent-Replayed: true`) and does nothing again."
        " The same key with another method, path, query or body is a 422"
        " (idempotency-key-reused); while the first request runs, the retry waits for it, or"
        " after a while gets a 409 (idempotency-key-in-flight). An answer of 400 or more keeps"
        " nothing: the key may be used again."
    ),
    schema=Schema(type=OpenAPIType.STRING, pattern=KEY_PATTERN, min_length=1, max_length=255),
)


@dataclass
class IdempotentWrite(Operation):
    """An operation that takes the Idempotency-Key header."""

    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), IDEMPOTENCY_KEY]
