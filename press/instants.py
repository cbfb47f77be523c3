"""Reading instants from query strings: RFC 3339 with an offset, never a naive local time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar.params import QueryParameter

from press.errors import InvalidInput

# A query parameter parse_instant reads: documented as RFC 3339, checked by parse_instant.
InstantQuery = Annotated[
    str | None,
    QueryParameter(
        description="An RFC 3339 timestamp with its offset, e.g. 2026-03-29T09:00:00+03:00",
        schema_extra={"one_of": None, "type": "string", "format": "date-time"},
    ),
]


def parse_instant(name: str, value: str | None) -> datetime | None:
    """Parse an RFC 3339 timestamp from a query parameter; a naive one is a 422."""
    if value is None or value == "":
        return None
    # An unencoded "+" in a query string arrives as a space: "09:00:00 03:00" meant "+03:00".
    text = value.strip().replace(" ", "+").replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{name} must be an RFC 3339 timestamp such as 2026-03-29T09:00:00+03:00",
            errors=[{"key": name, "message": "not a timestamp"}],
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(
            f"{name} has no UTC offset; add one, e.g. {value}+02:00 or {value}Z",
            errors=[{"key": name, "message": "naive timestamp"}],
        )
    return parsed
