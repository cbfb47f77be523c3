"""The public list's statements: the list's own page and lookups in one, alike for every filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from press.releases import repository
from tests.feeds.helpers import seed_public_releases

FILTERS: list[dict[str, Any]] = [
    {},
    {"source": "city-council"},
    {"topic": "economy"},
    {"lang": "sv"},
    {"since": datetime(2000, 1, 1, tzinfo=UTC)},
    {"source": "city-board", "topic": "economy", "lang": "fi"},
    {"topic": "no-such-topic"},
]


@pytest.mark.parametrize("filters", FILTERS)
async def test_the_list_with_its_lookups_gives_the_pages_of_the_plain_list(
    conn: asyncpg.Connection, filters: dict[str, Any]
) -> None:
    ids = await seed_public_releases(conn, 30)
    await seed_public_releases(conn, 4, lang="sv", prefix="Meddelande")
    await conn.execute(
        "INSERT INTO release_topics (release_id, topic) SELECT unnest($1::uuid[]), 'economy'",
        [UUID(i) for i in ids[::3]],
    )
    await conn.execute("UPDATE releases SET source = 'city-council' WHERE id = $1", UUID(ids[1]))
    await conn.execute(
        "INSERT INTO releases (source, state, publish_at) VALUES ('city-board', 'scheduled', $1)",
        datetime.now(UTC) + timedelta(minutes=5),
    )
    page: dict[str, Any] = {"source": None, "topic": None, "lang": None, "since": None}
    page |= {"until": None, **filters}
    for limit in (11, 100):
        plain = await repository.list_public_releases(conn, after=None, limit=limit, **page)
        lookups, rows = await repository.list_public_releases_with_lookups(
            conn, None, after=None, limit=limit, **page
        )
        assert len(rows) == len(plain)
        for row, expected in zip(rows, plain, strict=True):
            want = dict(expected)  # a row of the plain list, whose columns these rows have too
            assert {k: row[k] for k in want} == want
        assert set(lookups.sources) >= {"city-board", "city-council"}
        assert "economy" in lookups.topics
        assert lookups.seconds_to_next_lift is not None
        assert 0 < lookups.seconds_to_next_lift <= 300
