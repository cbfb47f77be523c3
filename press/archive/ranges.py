"""HTTP Range for downloads (RFC 9110 §14): one byte range, or the whole file. Pure."""

from __future__ import annotations

import re

from press.errors import PressError

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(PressError):
    """The requested range lies outside the file."""

    status = 416
    title = "Range not satisfiable"
    type = "range-not-satisfiable"

    def __init__(self, size: int) -> None:
        super().__init__()
        self.headers["Content-Range"] = f"bytes */{size}"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (start, end) asked for, None for the whole file, or 416.

    Several ranges, or a header we do not understand, get the whole file: RFC 9110 lets a
    server ignore Range, and a 200 is always correct.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid syntax: ignored
    if start >= size:
        raise RangeNotSatisfiable(size)
    return start, min(end, size - 1)
