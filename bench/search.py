"""Search latency by class of query: the API against the SQL it runs, sequentially.

The SQL side is what the API's search runs for one page, on one read-only snapshot like the
API's: the ranked hits (`search_public_releases`) and their documents with snippets
(`fetch_search_page`). The API adds the HTTP round trip, the reference lookups, the next-lift
query and the encoding: that difference is what G4 bounds.

Each API request carries a distinct dummy parameter so that the public cache, which would
answer a repeated URL from memory, cannot hide the search itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

import asyncpg
import httpx
from load import percentile

from press.archive import repository
from press.archive.search import search_query

PAGE = 20


@dataclass(frozen=True)
class SearchClass:
    name: str
    q: str
    lang: str | None = None
    p99_limit_ms: float = 50.0


CLASSES = (
    SearchClass("rare word", "lauttasaarensilta"),
    SearchClass("common word", "kaupungin"),
    SearchClass("inflected Finnish", "päätöksestä"),
    SearchClass("Swedish", "stadsstyrelsen", "sv"),
    SearchClass("English", "housing", "en"),
    SearchClass("phrase", '"kaupunginvaltuusto hyväksyi"', p99_limit_ms=250.0),
    SearchClass("prefix", "talousarv"),
)


@dataclass
class SearchResult:
    name: str
    q: str
    hits: int
    samples: int
    sql_p50_ms: float
    sql_p99_ms: float
    api_p50_ms: float
    api_p99_ms: float
    p99_limit_ms: float
    errors: int

    @property
    def overhead_ms(self) -> float:
        return self.api_p50_ms - self.sql_p50_ms

    @property
    def passed(self) -> bool:
        return (
            self.errors == 0
            and self.overhead_ms <= 1.0
            and self.api_p99_ms < self.p99_limit_ms
            and self.sql_p99_ms < self.p99_limit_ms
        )


async def _search_sql(conn: asyncpg.Connection, case: SearchClass) -> int:
    query = search_query(case.q, case.lang)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        hits = await repository.search_public_releases(
            conn,
            query,
            source=None,
            topic=None,
            lang=case.lang,
            since=None,
            until=None,
            after=None,
            limit=PAGE + 1,
        )
        await repository.fetch_search_page(conn, [h["id"] for h in hits[:PAGE]], query)
    return len(hits)


async def measure_class(
    conn: asyncpg.Connection,
    client: httpx.AsyncClient,
    case: SearchClass,
    n: int,
    budget_seconds: float,
) -> SearchResult:
    """Up to `n` pairs of (SQL, API), fewer when a class would take over `budget_seconds`
    (at least 5: a slow class is reported from fewer samples, not skipped)."""
    sql: list[float] = []
    api: list[float] = []
    errors = 0
    hits = await _search_sql(conn, case)  # warms the plan and the buffers alike
    deadline = time.perf_counter() + budget_seconds
    for i in range(n):
        if i >= 5 and time.perf_counter() > deadline:
            break
        params = {"q": case.q, **({"lang": case.lang} if case.lang else {}), "bench": str(i)}
        begin = time.perf_counter()
        await _search_sql(conn, case)
        sql.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        response = await client.get(f"/api/v1/releases?{urlencode(params)}")
        api.append(time.perf_counter() - begin)
        errors += response.status_code >= 400
    sql.sort()
    api.sort()
    return SearchResult(
        name=case.name,
        q=case.q,
        hits=hits,
        samples=len(api),
        sql_p50_ms=percentile(sql, 50) * 1000,
        sql_p99_ms=percentile(sql, 99) * 1000,
        api_p50_ms=percentile(api, 50) * 1000,
        api_p99_ms=percentile(api, 99) * 1000,
        p99_limit_ms=case.p99_limit_ms,
        errors=errors,
    )


async def client_floor_ms(client: httpx.AsyncClient, n: int) -> float:
    """p50 of the bare ASGI constant through the same client: what HTTP alone costs."""
    times = []
    for _ in range(n):
        begin = time.perf_counter()
        await client.get("/__ref/asgi/constant")
        times.append(time.perf_counter() - begin)
    times.sort()
    return percentile(times, 50) * 1000
