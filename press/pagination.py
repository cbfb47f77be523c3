"""Cursor pagination: opaque cursors, a bounded limit, and the `next` link."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
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
    replaced by one holding `position`, the sort key of the page's last item."""
    query = {k: v for k, v in dict(request.query_params).items() if k != "cursor"}
    query["cursor"] = encode_cursor(*position)
    base_url = request.app.state.settings.public_url
    return f"{base_url}{request.url.path}?{urlencode(query, doseq=True)}"


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
