"""The cache of public responses: answered without the database, exact at every change and
at every lift, across app instances."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from press.app import create_app
from press.db import PoolDatabase
from press.errors import InvalidInput
from press.public_cache import Built, Entry, PublicCache
from press.settings import Settings

RELEASE = """
WITH r AS (INSERT INTO releases (source, state, publish_at) VALUES ('city-board', $1, $2)
           RETURNING id)
INSERT INTO release_translations (release_id, lang, title, slug)
SELECT id, 'fi', $3, 'slug-' || id FROM r RETURNING release_id
"""


@asynccontextmanager
async def two_instances(
    fresh_database_url: str, tmp_path: Path
) -> AsyncIterator[list[tuple[Litestar, httpx.AsyncClient]]]:
    """Two app instances on one database, each with its own cache and listener. (Entered in
    the test itself: an app's lifespan must end in the task that started it.)"""
    async with AsyncExitStack() as stack:
        out = []
        for name in ("a", "b"):
            settings = Settings(
                database_url=fresh_database_url,
                data_dir=tmp_path / name,
                public_url="http://press.test",
                secret_key="k",
                run_workers=False,
            )
            app = create_app(settings)
            await stack.enter_async_context(app.lifespan())
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://press.test"
                )
            )
            out.append((app, client))
        deadline = time.monotonic() + 5
        while not all(app.state.public_cache.enabled for app, _ in out):
            assert time.monotonic() < deadline, "cache listeners did not start"
            await asyncio.sleep(0.05)
        yield out


async def test_repeated_reads_are_answered_from_the_cache(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        await _repeated_reads(instances, fresh_database_url)


async def _repeated_reads(instances: list[tuple[Litestar, httpx.AsyncClient]], url: str) -> None:
    fresh_database_url = url
    (app, client), _ = instances
    conn = await asyncpg.connect(fresh_database_url)
    await conn.fetchval(RELEASE, "published", datetime.now(UTC), "Julkinen")
    await conn.close()
    await asyncio.sleep(0.2)
    first = await client.get("/api/v1/releases")
    builds = app.state.public_cache.builds
    for _ in range(5):
        again = await client.get("/api/v1/releases")
        assert again.content == first.content
        conditional = await client.get(
            "/api/v1/releases", headers={"If-None-Match": first.headers["etag"]}
        )
        assert conditional.status_code == 304
    assert app.state.public_cache.builds == builds


async def test_a_committed_change_reaches_every_instance_at_once(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        await _change_reaches_other(instances, fresh_database_url)


async def _change_reaches_other(
    instances: list[tuple[Litestar, httpx.AsyncClient]], fresh_database_url: str
) -> None:
    clients = [client for _, client in instances]
    for client in clients:  # both caches hold the empty list
        assert (await client.get("/api/v1/releases")).json()["items"] == []
    conn = await asyncpg.connect(fresh_database_url)
    release_id = await conn.fetchval(RELEASE, "published", datetime.now(UTC), "Uusi")
    for client in clients:
        started = time.monotonic()
        while not (await client.get("/api/v1/releases")).json()["items"]:
            assert time.monotonic() - started < 1, "an instance kept a stale list"
            await asyncio.sleep(0.02)
    await conn.execute(
        "UPDATE releases SET state = 'withdrawn', withdrawn_at = now() WHERE id = $1", release_id
    )
    await conn.close()
    for client in clients:
        started = time.monotonic()
        while (await client.get("/api/v1/releases")).json()["items"]:
            assert time.monotonic() - started < 1, "a withdrawn release stayed in a cache"
            await asyncio.sleep(0.02)


async def test_cached_list_shows_a_release_at_its_lift_and_not_before(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        await _lift_through_cache(instances, fresh_database_url)


async def _lift_through_cache(
    instances: list[tuple[Litestar, httpx.AsyncClient]], fresh_database_url: str
) -> None:
    (app, client), _ = instances
    conn = await asyncpg.connect(fresh_database_url)
    lift = await conn.fetchval("SELECT statement_timestamp() + interval '1.5 seconds'")
    await conn.fetchval(RELEASE, "scheduled", lift, "Embargossa")
    await asyncio.sleep(0.1)
    seen_at = None
    while seen_at is None:
        response = await client.get("/api/v1/releases")
        now = await conn.fetchval("SELECT statement_timestamp()")
        if response.json()["items"]:
            seen_at = now
            assert "Embargossa" in response.text
        else:
            assert "Embargossa" not in response.text
            assert now < lift + timedelta(seconds=1), "not visible a second after its lift"
        await asyncio.sleep(0.05)
    await conn.close()
    assert seen_at >= lift
    assert app.state.public_cache.builds < 40, "the cache was not used while waiting"


async def test_a_search_shows_a_release_at_its_lift_and_not_before(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Searches share the names and the time to the next lift a build of this generation
    kept: each new search (a new URL) before the lift must not find the release, and one
    must find it within a second after."""
    async with two_instances(fresh_database_url, tmp_path) as instances:
        (app, client), _ = instances
        conn = await asyncpg.connect(fresh_database_url)
        seen_at, n = None, 0
        try:
            await conn.fetchval(RELEASE, "published", datetime.now(UTC), "Satama avautuu")
            lift = await conn.fetchval("SELECT statement_timestamp() + interval '1.5 seconds'")
            await conn.fetchval(RELEASE, "scheduled", lift, "Satama laajenee")
            await asyncio.sleep(0.1)
            while seen_at is None:
                n += 1
                # A spelling of its own per request (some letters percent-encoded): a new
                # URL, so a new search, where an unread parameter would find the cached one.
                q = "".join(f"%{ord(c):02X}" if n >> i & 1 else c for i, c in enumerate("satama"))
                response = await client.get(f"/api/v1/releases?q={q}")
                now = await conn.fetchval("SELECT statement_timestamp()")
                titles = [i["title"] for i in response.json()["items"]]
                if "Satama laajenee" in titles:
                    seen_at = now
                else:
                    assert titles == ["Satama avautuu"], titles
                    assert now < lift + timedelta(seconds=1), "not found a second after its lift"
                await asyncio.sleep(0.05)
        finally:
            await conn.close()
        assert seen_at >= lift
        assert app.state.public_cache.builds >= n, "every spelling was a search of its own"


async def test_statements_that_change_nothing_keep_the_cache(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        (app, client), _ = instances
        await client.get("/api/v1/releases")
        builds = app.state.public_cache.builds
        conn = await asyncpg.connect(fresh_database_url)
        # What an idle lift check does: an UPDATE that matches no row.
        await conn.execute("UPDATE releases SET state = 'published' WHERE false")
        await conn.close()
        await asyncio.sleep(0.3)
        await client.get("/api/v1/releases")
        assert app.state.public_cache.builds == builds


async def test_concurrent_misses_of_one_page_build_it_once(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        (app, client), _ = instances
        app.state.public_cache.invalidate()
        builds = app.state.public_cache.builds
        responses = await asyncio.gather(*[client.get("/api/v1/releases") for _ in range(10)])
        assert {r.status_code for r in responses} == {200}
        assert len({r.headers["etag"] for r in responses}) == 1
        assert app.state.public_cache.builds == builds + 1


class SlowBuilds:
    """Builds of a page that read the database, the first of them held until `go` is set."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.go = asyncio.Event()
        self.calls = 0
        self.cache = PublicCache()
        self.cache.enabled = True

    async def request(self, db: PoolDatabase) -> Entry:
        """A request missing the page ("/api/v1/releases", in Finnish)."""
        return await self.cache.build_once(("/api/v1/releases", b"", "fi"), db, self)

    async def first_request(self, db: PoolDatabase) -> asyncio.Task[Entry]:
        """The request that builds the page, once its build has started."""
        first = asyncio.create_task(self.request(db))
        await self.started.wait()
        return first

    async def __call__(self, conn: asyncpg.Connection) -> Built:
        self.calls += 1
        if self.calls == 1:
            self.started.set()
            await self.go.wait()
        body = await conn.fetchval("SELECT 'page ' || $1::text", str(self.calls))
        return Built(body.encode(), None)


async def test_when_the_request_building_a_page_goes_away_a_waiting_one_builds_it(
    fresh_db: PoolDatabase,
) -> None:
    builds = SlowBuilds()
    first = await builds.first_request(fresh_db)
    waiting = [asyncio.create_task(builds.request(fresh_db)) for _ in range(3)]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in waiting)  # they wait for the first build
    first.cancel()
    entries = await asyncio.gather(*waiting)
    assert builds.calls == 2  # one of them built it; the others shared that build
    assert {entry.built.body for entry in entries} == {b"page 2"}
    assert builds.cache.lookup(("/api/v1/releases", b"", "fi")) is entries[0]
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_waiting_request_that_goes_away_leaves_the_build_to_the_others(
    fresh_db: PoolDatabase,
) -> None:
    builds = SlowBuilds()
    first = await builds.first_request(fresh_db)
    leaving, staying = (asyncio.create_task(builds.request(fresh_db)) for _ in "ab")
    await asyncio.sleep(0.05)
    leaving.cancel()
    builds.go.set()
    assert (await first).built.body == (await staying).built.body == b"page 1"
    assert builds.calls == 1
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_a_failed_build_fails_every_request_waiting_for_it(fresh_db: PoolDatabase) -> None:
    cache = PublicCache()
    cache.enabled = True
    key = ("/api/v1/releases", b"cursor=x", "fi")
    started = asyncio.Event()

    async def failing(conn: asyncpg.Connection) -> Built:
        started.set()
        await asyncio.sleep(0.05)
        raise InvalidInput("cursor is not valid")

    first = asyncio.create_task(cache.build_once(key, fresh_db, failing))
    await started.wait()
    results = await asyncio.gather(
        first, cache.build_once(key, fresh_db, failing), return_exceptions=True
    )
    assert all(isinstance(result, InvalidInput) for result in results)
    assert cache.lookup(key) is None
    # Nothing is left waiting: the next request builds afresh.
    builds = SlowBuilds()
    builds.go.set()
    assert (await cache.build_once(key, fresh_db, builds)).built.body == b"page 1"


async def test_revalidations_answered_early_match_the_full_answer_and_end_at_the_lift(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with two_instances(fresh_database_url, tmp_path) as instances:
        await _early_revalidation(instances, fresh_database_url)


async def _early_revalidation(
    instances: list[tuple[Litestar, httpx.AsyncClient]], fresh_database_url: str
) -> None:
    (app, client), _ = instances
    conn = await asyncpg.connect(fresh_database_url)
    await conn.fetchval(RELEASE, "published", datetime.now(UTC), "Julkinen")
    lift = await conn.fetchval("SELECT statement_timestamp() + interval '1.5 seconds'")
    await conn.fetchval(RELEASE, "scheduled", lift, "Embargossa")
    await asyncio.sleep(0.2)
    paths = ("/api/v1/releases", "/api/v1/releases?lang=fi", "/api/v1/events")
    full = {path: await client.get(path) for path in paths}
    builds = app.state.public_cache.builds
    for path, answer in full.items():
        etag = answer.headers["etag"]
        for method in ("GET", "HEAD"):
            revalidated = await client.request(method, path, headers={"If-None-Match": etag})
            assert revalidated.status_code == 304, (path, method)
            assert revalidated.content == b""
            for name in ("etag", "vary", "last-modified", "link"):
                assert revalidated.headers.get(name) == answer.headers.get(name), (path, name)
            assert "max-age=" in revalidated.headers["cache-control"]
        other = await client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200
        assert other.content == answer.content
    assert app.state.public_cache.builds == builds
    etag = full["/api/v1/releases"].headers["etag"]
    while True:
        response = await client.get("/api/v1/releases", headers={"If-None-Match": etag})
        now = await conn.fetchval("SELECT statement_timestamp()")
        if response.status_code == 200:
            assert "Embargossa" in response.text
            break
        assert response.status_code == 304
        assert now < lift + timedelta(seconds=1), "still 304 a second after the lift"
        await asyncio.sleep(0.05)
    assert now >= lift
    await conn.close()


def test_the_cache_keeps_within_its_byte_budget_newest_first() -> None:
    cache = PublicCache(max_entries=100, max_bytes=1000)
    cache.enabled = True
    for n in range(5):
        cache.store(("/api/v1/releases", f"q={n}".encode(), "fi"), Built(b"x" * 300, None), 0)
    kept = [n for n in range(5) if cache.lookup(("/api/v1/releases", f"q={n}".encode(), "fi"))]
    assert kept == [2, 3, 4]
    cache.store(("/big", b"", "fi"), Built(b"y" * 5000, None), 0)
    assert cache.lookup(("/big", b"", "fi")) is None  # larger than the whole budget…
    assert cache.lookup(("/api/v1/releases", b"q=4", "fi")) is not None  # …evicts nothing


async def test_answers_from_the_cache_are_the_answers_of_the_handlers(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """A cached answer is sent before routing (press.edge), and is the very answer the
    handler gave: status, body and every header, whatever the request's validators,
    language, encoding or method."""
    async with two_instances(fresh_database_url, tmp_path) as instances:
        (app, client), _ = instances
        conn = await asyncpg.connect(fresh_database_url)
        release_id = await conn.fetchval(
            RELEASE, "published", datetime.now(UTC) - timedelta(hours=1), "Julkinen tiedote"
        )
        await conn.close()
        await asyncio.sleep(0.2)
        routed = _count_routed(app)
        slug = f"slug-{release_id}"
        paths = [
            "/api/v1/releases",
            "/api/v1/releases?lang=fi",
            "/api/v1/releases?q=julkinen",
            f"/api/v1/releases/{release_id}",
            f"/releases/{slug}",
            "/api/v1/events",
            "/feeds/releases.rss",
            "/feeds/releases.atom",
            "/feeds/events.ics",
            "/sitemap.xml",
        ]
        ahead = datetime.now(UTC) + timedelta(days=365 * 50)
        variants: list[dict[str, str]] = [
            {},
            {"Accept-Language": "sv"},
            {"Accept-Encoding": "gzip"},
            {"If-Modified-Since": format_datetime(ahead, usegmt=True)},
            {"If-Modified-Since": "Thu, 01 Jan 1998 00:00:00 GMT"},
        ]
        for path in paths:
            for headers in variants:
                first = await client.get(path, headers=headers)
                assert first.status_code in (200, 304), (path, headers, first.text)
                before = routed[0]
                for method in ("GET", "HEAD"):
                    again = await client.request(method, path, headers=headers)
                    assert again.status_code == first.status_code, (path, headers, method)
                    assert _same_headers(again, first), (path, headers, method)
                    assert again.content == (first.content if method == "GET" else b"")
                revalidated = await client.get(
                    path, headers={"If-None-Match": first.headers["etag"]}
                )
                assert revalidated.status_code == 304, path
                assert revalidated.headers["etag"] == first.headers["etag"]
                assert routed[0] == before, f"{path} {headers}: a cached answer was routed"
        # Given twice, `lang` goes to the handler, which decides.
        twice = "/api/v1/releases?lang=fi&lang=sv"
        await client.get(twice)
        before = routed[0]
        await client.get(twice)
        assert routed[0] == before + 1


def _count_routed(app: Litestar) -> list[int]:
    """Count the requests that get past press.edge to the router."""
    edge = app.asgi_handler
    inner = edge.app  # type: ignore[attr-defined]
    routed = [0]

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        routed[0] += 1
        await inner(scope, receive, send)

    edge.app = counting  # type: ignore[attr-defined]
    return routed


def _same_headers(a: httpx.Response, b: httpx.Response) -> bool:
    """Equal headers but for the seconds left in max-age, which may tick between the two,
    and the request id, each request's own."""

    def normal(response: httpx.Response) -> dict[str, str]:
        headers = dict(response.headers)
        headers.pop("x-request-id")
        headers["cache-control"] = re.sub(r"max-age=\d+", "max-age=N", headers["cache-control"])
        return headers

    return normal(a) == normal(b)


async def test_search_shows_a_release_as_it_is_after_a_change(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Search pages share the shape of a release while nothing public changes; a change
    reaches the next search page of every instance, whatever its words."""
    async with two_instances(fresh_database_url, tmp_path) as instances:
        conn = await asyncpg.connect(fresh_database_url)
        try:
            release_id = await conn.fetchval(
                RELEASE, "published", datetime.now(UTC), "Raitiotie etenee"
            )
            for n, (_, client) in enumerate(instances):
                for word in ("raitiotie", "etenee"):
                    items = (await client.get(f"/api/v1/releases?q={word}&n={n}")).json()["items"]
                    assert [i["title"] for i in items] == ["Raitiotie etenee"]
            await conn.execute(
                "UPDATE release_translations SET title = 'Raitiotie valmistuu' "
                "WHERE release_id = $1",
                release_id,
            )
        finally:
            await conn.close()
        for n, (_, client) in enumerate(instances):
            started = time.monotonic()
            while True:
                url = f"/api/v1/releases?q=raitiotie&after={n}-{time.monotonic()}"
                titles = [i["title"] for i in (await client.get(url)).json()["items"]]
                if titles == ["Raitiotie valmistuu"]:
                    break
                assert time.monotonic() - started < 1, f"a search kept the old shape: {titles}"
                await asyncio.sleep(0.02)


async def test_pages_polled_hard_through_a_lift_all_show_the_release_at_once(
    fresh_database_url: str, tmp_path: Path
) -> None:
    # Polled hard, some build's list query runs just before the lift and its lookup of the
    # next lift just after: that page must not be kept as if no lift were due.
    async with two_instances(fresh_database_url, tmp_path) as instances:
        (_, client), _ = instances
        conn = await asyncpg.connect(fresh_database_url)
        lift = await conn.fetchval("SELECT statement_timestamp() + interval '1.5 seconds'")
        release_id = await conn.fetchval(RELEASE, "scheduled", lift, "Nostokoe")
        await conn.close()
        paths = ["/api/v1/releases", f"/api/v1/releases/{release_id}", "/feeds/releases.rss"]
        paths.append("/fi/")
        shown: dict[str, datetime] = {}

        async def poll(path: str) -> None:
            while datetime.now(UTC) < lift + timedelta(seconds=2.5):
                response = await client.get(path)
                if response.status_code == 200 and (
                    "Nostokoe" in response.text or "releases/" in path
                ):
                    shown.setdefault(path, datetime.now(UTC))
                await asyncio.sleep(0.002)  # cached answers do not suspend: let others run

        await asyncio.gather(*(poll(path) for path in paths for _ in range(2)))
        assert set(shown) == set(paths)
        assert all(at >= lift for at in shown.values())
        assert max(shown.values()) - lift < timedelta(seconds=1)
