"""Range headers for downloads. No I/O."""

from __future__ import annotations

import pytest

from press.archive.names import content_disposition
from press.archive.ranges import RangeNotSatisfiable, byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=90-500", (90, 99)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-9", None),
        ("bytes=9-2", None),
    ],
)
def test_byte_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=500-600", "bytes=-0"])
def test_unsatisfiable_range_is_416_with_the_size(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable) as caught:
        byte_range(header, 100)
    assert caught.value.headers["Content-Range"] == "bytes */100"


def test_content_disposition_has_ascii_and_utf8_names() -> None:
    assert content_disposition('Ä"b\\c.pdf') == (
        "attachment; filename=\"Abc.pdf\"; filename*=UTF-8''%C3%84%22b%5Cc.pdf"
    )
