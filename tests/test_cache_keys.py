"""Public answers are keyed by the parameters their handler reads: anything else in the query
(`?utm_source=…`, a cache-buster) makes no new render and is answered before routing; and
with PRESS_PUBLIC_CACHE_MB=0 there is no cache at all, and every answer is still exact."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import msgspec
from litestar import Litestar

from press.app import create_app
from press.public_cache import known_query
from press.settings import Settings
from tests.test_public_cache import RELEASE, _count_routed, _same_headers, two_instances

EVENT = """
INSERT INTO events (source, translations, starts_at, ends_at)
VALUES ('city-board', '{"fi": {"title": "Tiedotustilaisuus"}}', now() + interval '1 day',
        now() + interval '1 day 1 hour')
RETURNING id
"""
IGNORED = ("utm_source=newsletter&utm_medium=email", "_=1765000000000", "fbclid=abc&x=%C3%A4")


def test_the_key_holds_the_parameters_read_in_order_of_name() -> None:
    reads = frozenset(("lang", "source", "cursor"))
    assert known_query(b"", reads) == b""
    assert known_query(b"utm_source=x&_=1", reads) == b""
    assert known_query(b"source=a&utm=1&lang=sv", reads) == b"lang=sv&source=a"
    assert known_query(b"lang=sv&source=a", reads) == b"lang=sv&source=a"
    # A repeated one keeps its order; an encoded name is the name; values stay as sent.
    assert known_query(b"lang=fi&x=1&lang=sv", reads) == b"lang=fi&lang=sv"
    assert known_query(b"curs%6Fr=abc&lang=s%76", reads) == b"curs%6Fr=abc&lang=s%76"
    assert known_query(b"langx=1&lan=2&lang", reads) == b"lang"


async def _seed(url: str) -> tuple[str, str]:
    conn = await asyncpg.connect(url)
    try:
        release_id = await conn.fetchval(
            RELEASE, "published", datetime.now(UTC) - timedelta(hours=1), "Julkinen tiedote"
        )
        for n in range(3):
            await conn.fetchval(
                RELEASE, "published", datetime.now(UTC) - timedelta(hours=2 + n), f"Vanha {n}"
            )
        event_id = await conn.fetchval(EVENT)
    finally:
        await conn.close()
    return str(release_id), str(event_id)


async def test_a_parameter_no_handler_reads_makes_no_render_and_is_answered_early(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(app, client), _]:
        release_id, event_id = await _seed(fresh_database_url)
        await asyncio.sleep(0.2)
        paths = [
            "/api/v1/releases",
            "/api/v1/releases?lang=fi&limit=2",
            "/api/v1/releases?q=julkinen",
            f"/api/v1/releases/{release_id}",
            f"/api/v1/releases/{release_id}?lang=fi",
            "/api/v1/events",
            f"/api/v1/events/{event_id}",
            "/feeds/releases.rss",
            "/feeds/releases.rss?lang=fi",
            "/feeds/releases.atom",
            "/feeds/events.ics",
            "/sitemap.xml",
            f"/releases/slug-{release_id}",
            f"/releases/{release_id}",
            "/fi/",
        ]
        routed = _count_routed(app)
        cache = app.state.public_cache
        for path in paths:
            first = await client.get(path)
            assert first.status_code == 200, (path, first.text)
            builds, before = cache.builds, routed[0]
            for ignored in IGNORED:
                url = path + ("&" if "?" in path else "?") + ignored
                again = await client.get(url)
                assert again.status_code == 200, url
                assert again.content == first.content, url
                assert _same_headers(again, first), url
                assert "utm_" not in again.text
                assert "fbclid" not in again.text
                revalidated = await client.get(
                    url, headers={"If-None-Match": first.headers["etag"]}
                )
                assert revalidated.status_code == 304, url
                for name in ("etag", "last-modified", "vary", "content-language", "link"):
                    assert revalidated.headers.get(name) == first.headers.get(name), (url, name)
            # A hundred distinct cache-busters: not one render, not one routed request.
            for n in range(100):
                busted = await client.get(path + ("&" if "?" in path else "?") + f"_={n}")
                assert busted.content == first.content
            assert cache.builds == builds, f"{path}: a parameter it does not read rendered it"
            assert routed[0] == before, f"{path}: a parameter it does not read was routed"


async def test_the_next_link_keeps_only_the_parameters_the_list_reads(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(_app, client), _]:
        await _seed(fresh_database_url)
        await asyncio.sleep(0.2)
        plain = (await client.get("/api/v1/releases?source=city-board&limit=2")).json()
        busted = await client.get("/api/v1/releases?limit=2&utm_source=x&source=city-board")
        assert busted.json() == plain
        link = httpx.URL(plain["next"])
        assert link.query.split(b"&")[:2] == [b"limit=2", b"source=city-board"]
        second = (await client.get(link)).json()
        assert second["items"]
        assert second["items"][0]["id"] not in {item["id"] for item in plain["items"]}
        feed = await client.get("/feeds/releases.atom?utm_source=x&lang=fi")
        assert 'href="http://press.test/feeds/releases.atom?lang=fi" rel="self"' in feed.text


async def test_invalid_values_of_parameters_read_are_refused_whatever_else_is_given(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as [(_app, client), _]:
        await _seed(fresh_database_url)
        for path in (
            "/api/v1/releases?lang=de",
            "/api/v1/releases?limit=0",
            "/api/v1/releases?cursor=nonsense",
            "/api/v1/events?from=yesterday",
            "/feeds/releases.rss?lang=de",
            "/feeds/releases.atom?cursor=nonsense",
            "/feeds/events.ics?lang=de",
        ):
            for query in ("", "&utm_source=x", "&_=1"):
                for _ in range(2):  # the second time too: nothing was kept for it
                    response = await client.get(path + query)
                    assert response.status_code == 422, (path + query, response.text)
                    assert response.headers["content-type"].startswith("application/problem")


@asynccontextmanager
async def uncached(url: str, tmp_path: Path) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "PRESS_DATA_DIR": str(tmp_path / "uncached"),
            "PRESS_PUBLIC_URL": "http://press.test",
            "PRESS_SECRET_KEY": "k",
            "PRESS_NO_WORKERS": "1",
            "PRESS_PUBLIC_CACHE_MB": "0",
        }
    )
    assert settings.public_cache_mb == 0
    async with AsyncExitStack() as stack:
        app = create_app(settings)
        await stack.enter_async_context(app.lifespan())
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://press.test")
        )
        yield app, client


async def test_with_no_cache_every_answer_is_read_from_the_database(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with uncached(fresh_database_url, tmp_path) as (app, client):
        release_id, _event_id = await _seed(fresh_database_url)
        await asyncio.sleep(1.2)  # a listener, had one been started, would be up by now
        cache = app.state.public_cache
        assert not cache.enabled
        assert not cache.reads or all(isinstance(v, frozenset) for v in cache.reads.values())
        for path in (
            "/api/v1/releases",
            f"/api/v1/releases/{release_id}",
            "/api/v1/events",
            "/feeds/releases.rss",
            "/feeds/events.ics",
            "/fi/",
        ):
            first = await client.get(path)
            assert first.status_code == 200, (path, first.text)
            builds = cache.builds
            again = await client.get(path + "?utm_source=x")
            assert again.status_code == 200
            assert again.content == first.content
            assert cache.builds == builds + 1, f"{path}: answered from a cache that is off"
            revalidated = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert revalidated.status_code == 304, path
            assert revalidated.headers["etag"] == first.headers["etag"]
        assert len(cache._entries) == 0


async def test_with_no_cache_a_release_shows_at_its_lift_and_not_before(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with uncached(fresh_database_url, tmp_path) as (_app, client):
        conn = await asyncpg.connect(fresh_database_url)
        try:
            lift = await conn.fetchval("SELECT statement_timestamp() + interval '1.5 seconds'")
            release_id = await conn.fetchval(RELEASE, "scheduled", lift, "Embargossa")
            seen_at = None
            while seen_at is None:
                listed = await client.get("/api/v1/releases")
                one = await client.get(f"/api/v1/releases/{release_id}")
                feed = await client.get("/feeds/releases.rss")
                now = await conn.fetchval("SELECT statement_timestamp()")
                shown = [
                    "Embargossa" in listed.text,
                    one.status_code == 200,
                    "Embargossa" in feed.text,
                ]
                if any(shown):
                    seen_at = now
                    assert now >= lift, "shown before its lift"
                else:
                    assert one.status_code == 404
                    assert now < lift + timedelta(seconds=1), "not shown a second after its lift"
                await asyncio.sleep(0.05)
            # Every surface shows it from then on.
            assert "Embargossa" in (await client.get("/api/v1/releases")).text
            assert (await client.get(f"/api/v1/releases/{release_id}")).status_code == 200
            assert "Embargossa" in (await client.get("/feeds/releases.rss")).text
            body = msgspec.json.decode((await client.get("/api/v1/releases")).content)
            assert body["items"][0]["id"] == str(release_id)
        finally:
            await conn.close()
