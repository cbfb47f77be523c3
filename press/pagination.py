"""Cursor pagination: opaque cursors, a bounded limit, and the `next` link."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar, cast
from urllib.parse import quote_from_bytes, unquote_to_bytes
from uuid import UUID

import msgspec
from litestar import Request
from litestar.params import QueryParameter

from press.errors import InvalidInput
from press.public_cache import known_query

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The document states the range; page_limit checks it, so a client gets the same 422
# whichever path (the edge's early list or the handler) reads the parameter.
PageLimit = Annotated[
    int | None,
    QueryParameter(
        description=f"Items per page, {DEFAULT_LIMIT} if not given",
        schema_extra={"one_of": None, "type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
]


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


def invalid_cursor() -> InvalidInput:
    return InvalidInput(
        "cursor is not valid; use the `next` link of the previous page",
        errors=[{"key": "cursor", "message": "invalid cursor"}],
    )


def cursor_position(cursor: str | None, shape: type[T]) -> T | None:
    """The sort key inside a cursor, read as `shape` (a tuple type); a cursor we did not make
    is a 422. The JSON is decoded into that type directly, so anything else inside (a
    nested array, an object, an integer where a UUID belongs) fails at its first byte out of
    place, however deep it goes."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return msgspec.json.decode(raw, type=shape)
    except (ValueError, msgspec.DecodeError):
        raise invalid_cursor() from None


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    """The `arity` values (strings and numbers) inside a cursor; a cursor we did not make is a
    422."""
    values = cursor_position(cursor, list[str | int | float])
    if values is not None and len(values) != arity:
        raise invalid_cursor()
    return values


def next_link(
    request: Request[Any, Any, Any], *position: Any, reads: frozenset[str] | None = None
) -> str:
    """The `next` link of a page: this request's URL on the public address, its cursor
    replaced by one holding `position`, the sort key of the page's last item. The other
    parameters stay as the client sent them (order, repetitions and encoding); characters a
    URL may not hold are percent-encoded. A public page, kept by the public cache for every
    request with the same parameters it `reads`, keeps only those (in its key's order), so
    one answer serves `?utm_source=…` and the plain URL alike."""
    scope = request.scope
    query = scope["query_string"] if reads is None else known_query(scope["query_string"], reads)
    kept = [part for part in query.split(b"&") if part and not _is_cursor(part)]
    kept.append(b"cursor=" + encode_cursor(*position).encode())
    quoted = quote_from_bytes(b"&".join(kept), safe=_QUERY_SAFE)
    base_url = request.app.state.settings.public_url
    return f"{base_url}{scope.get('root_path', '')}{scope['path']}?{quoted}"


# What a query may hold as it is (RFC 3986 §3.4), "%" for what the client encoded already.
_QUERY_SAFE = "!$&'()*+,;=:@/?%"


def _is_cursor(part: bytes) -> bool:
    name = part.split(b"=", 1)[0]
    return name == b"cursor" or (
        b"%" in name and unquote_to_bytes(name.replace(b"+", b" ")) == b"cursor"
    )


# A list ordered by time then id: the (timestamp, id) of the last item on a page.
TimePosition = cast(
    "type[tuple[datetime, UUID]]", tuple[Annotated[datetime, msgspec.Meta(tz=True)], UUID]
)


def time_cursor(cursor: str | None) -> tuple[datetime, UUID] | None:
    """The (timestamp, id) position in a cursor of a list ordered by time then id."""
    return cursor_position(cursor, TimePosition)


# A value of an integer (int4) column inside a cursor: one outside its range is a cursor we
# did not make, refused before PostgreSQL sees it.
Int4 = Annotated[int, msgspec.Meta(ge=-(2**31), le=2**31 - 1)]

# A list ordered by a bigint identity column: the id of the last item on a page.
IdPosition = cast("type[tuple[int]]", tuple[Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]])


def id_cursor(cursor: str | None) -> int | None:
    """The id in a cursor of a list ordered by a bigint id alone (one out of its range is
    a cursor we did not make)."""
    position = cursor_position(cursor, IdPosition)
    return position[0] if position else None


# A list ordered by time then a bigint id: the (timestamp, id) of the last item on a page.
TimeSerialPosition = cast(
    "type[tuple[datetime, int]]",
    tuple[
        Annotated[datetime, msgspec.Meta(tz=True)], Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
    ],
)


def time_serial_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The (timestamp, id) position in a cursor of a list ordered by time then a bigint id."""
    return cursor_position(cursor, TimeSerialPosition)


def cut_page(
    request: Request[Any, Any, Any],
    rows: list[T],
    size: int,
    position: Callable[[T], tuple[Any, ...]],
) -> tuple[list[T], str | None]:
    """A page out of `rows`, read with a limit one past `size`: the first `size` of them, and
    the `next` link at the last one's `position` (its sort key) when there are more."""
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, next_link(request, *position(rows[-1]))
