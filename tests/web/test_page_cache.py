"""Pages through the public cache: keyed by what they read, and exact at a lift."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg

from tests.test_edge import _routed
from tests.test_public_cache import RELEASE, two_instances

# A page, and what may be added to its address without changing what it shows.
IGNORED = [
    ("/fi/", "?utm_source=newsletter&utm_medium=email"),
    ("/fi/", "?x=1"),
    ("/sv/events/", "?fbclid=abc"),
    ("/en/about/", "?cachebuster=123"),
    ("/fi/?source=city-board", "&utm_campaign=spring"),
]


async def test_a_parameter_a_page_does_not_read_makes_no_new_render(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(app, client), _]:
        for path, ignored in IGNORED:
            first = await client.get(path)
            assert first.status_code == 200
            builds = app.state.public_cache.builds
            again = await client.get(path + ignored)
            assert again.status_code == 200
            assert again.content == first.content, path + ignored
            assert "utm_" not in again.text
            assert app.state.public_cache.builds == builds, path + ignored


async def test_a_parameter_a_page_reads_is_its_own_render(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(app, client), _]:
        await client.get("/fi/")
        builds = app.state.public_cache.builds
        await client.get("/fi/?source=city-council")
        assert app.state.public_cache.builds == builds + 1


async def test_pages_show_a_release_in_the_same_second_as_the_api(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(app, client), _]:
        conn = await asyncpg.connect(fresh_database_url)
        try:
            lift: datetime = await conn.fetchval(
                "SELECT statement_timestamp() + interval '2 seconds'"
            )
            title = "Sivuilla heti"
            release_id = await conn.fetchval(RELEASE, "scheduled", lift, title)
            await asyncio.sleep(0.1)
            surfaces = ["/api/v1/releases", "/fi/", "/sv/", f"/releases/{release_id}"]
            seen: dict[str, datetime] = {}
            while len(seen) < len(surfaces):
                for path in surfaces:
                    response = await client.get(path)
                    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
                    if title in response.text:
                        seen.setdefault(path, now)
                    else:
                        assert now < lift + timedelta(seconds=1), f"{path} missed the lift"
                await asyncio.sleep(0.05)
        finally:
            await conn.close()
        assert all(lift <= at < lift + timedelta(seconds=1) for at in seen.values()), seen
        assert app.state.public_cache.builds < 100, "the pages did not use the cache"


async def test_a_kept_page_is_answered_before_routing_with_or_without_its_trailing_slash(
    fresh_database_url: str, tmp_path: Path
) -> None:
    # Routing rewrites `/fi/` to `/fi`; the edge must find the page under the same key.
    async with two_instances(fresh_database_url, tmp_path) as [(app, client), _]:
        routed = _routed(app)
        for path in ("/fi/", "/sv/events/", "/fi", "/api/v1/releases/"):
            first = await client.get(path)
            assert first.status_code == 200, path
            before = routed[0]
            again = await client.get(path)
            assert again.content == first.content, path
            assert routed[0] == before, f"{path} went past the edge"
