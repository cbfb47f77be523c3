"""Cursor pagination: opaque cursors, a bounded limit, and the `next` link."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes
from uuid import UUID

import msgspec
from litestar import Request

from press.errors import InvalidInput

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def page_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"limit must be between 1 and {MAX_LIMIT}",
            errors=[{"key": "limit", "message": "out of range"}],
        )
    return limit


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(values)).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    """The values inside a cursor; a cursor we did not make is a 422."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = msgspec.json.decode(raw)
    except (ValueError, msgspec.DecodeError):
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput(
            "cursor is not valid; use the `next` link of the previous page",
            errors=[{"key": "cursor", "message": "invalid cursor"}],
        )
    return values


def next_link(request: Request[Any, Any, Any], *position: Any) -> str:
    """The `next` link of a page: this request's URL on the public address, its cursor
    replaced by one holding `position`, the sort key of the page's last item. The other
    parameters stay as the client sent them (order, repetitions and encoding); characters a
    URL may not hold are percent-encoded."""
    scope = request.scope
    kept = [part for part in scope["query_string"].split(b"&") if part and not _is_cursor(part)]
    kept.append(b"cursor=" + encode_cursor(*position).encode())
    query = quote_from_bytes(b"&".join(kept), safe=_QUERY_SAFE)
    base_url = request.app.state.settings.public_url
    return f"{base_url}{scope.get('root_path', '')}{scope['path']}?{query}"


# What a query may hold as it is (RFC 3986 §3.4), "%" for what the client encoded already.
_QUERY_SAFE = "!$&'()*+,;=:@/?%"


def _is_cursor(part: bytes) -> bool:
    name = part.split(b"=", 1)[0]
    return name == b"cursor" or (
        b"%" in name and unquote_to_bytes(name.replace(b"+", b" ")) == b"cursor"
    )


def time_cursor(cursor: str | None) -> tuple[datetime, UUID] | None:
    """The (timestamp, id) position in a cursor of a list ordered by time then id."""
    values = decode_cursor(cursor, 2)
    if values is None:
        return None
    try:
        return datetime.fromisoformat(values[0]), UUID(values[1])
    except (TypeError, ValueError):
        raise InvalidInput(
            "cursor is not valid; use the `next` link of the previous page",
            errors=[{"key": "cursor", "message": "invalid cursor"}],
        ) from None
