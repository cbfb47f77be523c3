"""Search latency by class of query: the API against the SQL it runs, sequentially.

The SQL side is what the API's search runs for one page, on one read-only snapshot like the
API's: the one statement that ranks the hits and returns their documents with snippets
(`search_public_page`). The API adds the HTTP round trip, the reference lookups and the
next lift (unless cached), and the encoding: that difference is what G4 bounds.

Two figures of that difference are reported. The goal's: the API's p50 less the SQL's p50.
And the median of the differences within pairs: the two halves of a pair run back to back,
and on a shared machine the speed of the same statement drifts by several milliseconds over
seconds (consecutive timings differ by a third as much as timings drawn at random), so the
paired figure moves less from run to run. The "no match" class returns an empty page: its
difference is what a search request costs beyond its SQL with nothing to shape.

Each API request carries a distinct dummy parameter so that the public cache, which would
answer a repeated URL from memory, cannot hide the search itself. Requests go through
`KeepAlive`, a minimal HTTP/1.1 client: a general-purpose client such as httpx spends about
half a millisecond of its own on a response of 50 kB, which would be counted against the API.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import asyncpg
from load import percentile

from press.archive import repository
from press.archive.search import search_query
from press.releases.public import language_preference

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
    SearchClass("no match", "kaupunkiqxz"),
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
    paired_ms: float  # the median of (API - SQL) over the pairs

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


class KeepAlive:
    """GET over one kept-alive HTTP/1.1 connection, bodies by Content-Length: only what
    timing the server needs."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        length = {k.strip().lower(): v.strip() for k, v in headers.items()}.get("content-length")
        if length is None:
            raise RuntimeError(f"{path}: no Content-Length in the answer")
        return status, await reader.readexactly(int(length))

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _search_sql(conn: asyncpg.Connection, case: SearchClass) -> int:
    query = search_query(case.q, case.lang)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        hits = await repository.search_public_page(
            conn,
            query,
            source=None,
            topic=None,
            lang=case.lang,
            since=None,
            until=None,
            after=None,
            limit=PAGE + 1,
            languages=language_preference(case.lang, None),
        )
    return len(hits)


async def measure_class(
    conn: asyncpg.Connection,
    client: KeepAlive,
    case: SearchClass,
    n: int,
    budget_seconds: float,
) -> SearchResult:
    """Up to `n` pairs of (SQL, API), fewer when a class would take over `budget_seconds`
    (at least 5: a slow class is reported from fewer samples, not skipped). Within a pair
    the two go in turn, the SQL first in every other pair: whichever runs second finds the
    same rows freshly read, and that advantage is shared."""
    sql: list[float] = []
    api: list[float] = []
    errors = 0
    hits = await _search_sql(conn, case)  # warms the plan and the buffers alike
    deadline = time.perf_counter() + budget_seconds

    async def timed_sql() -> None:
        begin = time.perf_counter()
        await _search_sql(conn, case)
        sql.append(time.perf_counter() - begin)

    async def timed_api(i: int) -> int:
        params = {"q": case.q, **({"lang": case.lang} if case.lang else {}), "bench": str(i)}
        begin = time.perf_counter()
        status, _body = await client.get(f"/api/v1/releases?{urlencode(params)}")
        api.append(time.perf_counter() - begin)
        return status

    for i in range(n):
        if i >= 5 and time.perf_counter() > deadline:
            break
        if i % 2 == 0:
            await timed_sql()
            status = await timed_api(i)
        else:
            status = await timed_api(i)
            await timed_sql()
        errors += status >= 400
    paired = sorted(a - s for a, s in zip(api, sql, strict=True))
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
        paired_ms=percentile(paired, 50) * 1000,
    )


async def client_floor_ms(client: KeepAlive, n: int) -> float:
    """p50 of the bare ASGI constant through the same client: what HTTP alone costs."""
    times = []
    for _ in range(n):
        begin = time.perf_counter()
        await client.get("/__ref/asgi/constant")
        times.append(time.perf_counter() - begin)
    times.sort()
    return percentile(times, 50) * 1000
