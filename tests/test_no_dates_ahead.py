"""No test may hold an instant that is still ahead: it would break on the day it passes.

Tests compute future instants from the database's `now()` instead (schedule a few seconds
ahead, or "next January" from now). Past instants are fine: they stay past.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

TESTS = Path(__file__).parent
ISO_DATE = re.compile(r"\b(20\d\d)-([01]\d)-([0-3]\d)")
CONSTRUCTED = re.compile(r"\b(?:datetime|date)\(\s*(20\d\d),\s*(\d{1,2}),\s*(\d{1,2})")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HTTP_DATE = re.compile(r"\b([0-3]\d) (" + "|".join(MONTHS) + r") (20\d\d)\b")


def literal_dates(text: str) -> list[date]:
    found = []
    for pattern in (ISO_DATE, CONSTRUCTED):
        for match in pattern.finditer(text):
            try:
                found.append(date(*(int(part) for part in match.groups())))
            except ValueError:  # not a date after all (an id, a version)
                continue
    for day, month, year in HTTP_DATE.findall(text):
        found.append(date(int(year), MONTHS.index(month) + 1, int(day)))
    return found


def test_literal_dates_are_read_in_both_spellings() -> None:
    text = (
        'at = "2021-02-03T04:05:06Z"; then = datetime(2022, 7, 1, 9, tzinfo=UTC); '
        'header = "Sun, 01 Jan 2023 00:00:00 GMT"'
    )
    assert literal_dates(text) == [date(2021, 2, 3), date(2022, 7, 1), date(2023, 1, 1)]


def test_no_test_holds_a_literal_instant_still_ahead() -> None:
    today = datetime.now(UTC).date()
    ahead = [
        f"{path.relative_to(TESTS)}: {found}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != Path(__file__).name
        for found in literal_dates(path.read_text("utf-8"))
        if found > today
    ]
    assert ahead == [], "compute these from the database's now() instead"
