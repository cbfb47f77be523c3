"""Search latency by class of query: the API against the SQL it runs, sequentially.

The SQL side is what the API's search runs for one page, on one read-only snapshot like the
API's: the one statement that ranks the hits and returns their documents with snippets
(`search_public_page`). The API adds the HTTP round trip, the reference lookups and the
next lift (unless cached), and the encoding: that difference is what G4 bounds.

The SQL runs on two kinds of database session, in turn with the API request:
- the bench's own connection: its p50 and p99 are the table's "SQL" columns;
- press's own pool, the sessions the API uses, through `/__ref/search/sql` (a bare ASGI
  answer after running the same SQL; bench/reference.py), less the bare ASGI round trip
  measured in the same turn. G4's gap is the API's p50 less this.
On this shared two-core machine one PostgreSQL session can run the same statement 2 ms
faster or slower than another for as long as the two live (seen from -1 to +3 ms between
runs of the same code, with the API's own cost unchanged): comparing the API with SQL on
another session measured that, not the API.

Two figures of the gap are reported: the goal's (p50 less p50), and the median of the
differences within turns, whose parts run back to back (consecutive timings of a statement
differ by a third as much as timings drawn at random). The "no match" class returns an
empty page: its gap is what a search request costs beyond its SQL with nothing to shape.

Each API request spells `q` differently (`spelling`: some of its letters percent-encoded, in
upper or lower case hex) so that the public cache, which would answer a repeated URL from
memory, cannot hide the search itself: the cache keys by the parameters the list reads, as
sent, so a dummy parameter it does not read no longer makes a request new, while the
handler decodes every spelling to the same words and runs the same SQL. Requests go through
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
    sql_p50_ms: float  # on the bench's own connection
    sql_p99_ms: float
    pool_sql_p50_ms: float  # on press's pool, the HTTP round trip of a bare answer taken off
    api_p50_ms: float
    api_p99_ms: float
    p99_limit_ms: float
    errors: int
    paired_ms: float  # the median over the turns of API - (pool SQL - bare round trip)

    @property
    def overhead_ms(self) -> float:
        return self.api_p50_ms - self.pool_sql_p50_ms

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


async def search_sql(conn: asyncpg.Connection, q: str, lang: str | None) -> int:
    """The SQL of the API's first page of a search for `q`; how many rows it returned."""
    query = search_query(q, lang)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        hits = await repository.search_public_page(
            conn,
            query,
            source=None,
            topic=None,
            lang=lang,
            since=None,
            until=None,
            after=None,
            limit=PAGE + 1,
            languages=language_preference(lang, None),
        )
    return len(hits)


def spelling(q: str, n: int) -> str:
    """`q` for a query string, spelled the `n`th way: each ASCII letter as it is, or
    percent-encoded in upper case hex, or in lower case where its hex has a letter; other
    bytes percent-encoded, their hex in either case. Distinct for every `n` below the
    product of those choices (over 200 for every class's word)."""
    out = []
    for byte in q.encode():
        char = chr(byte)
        upper = f"%{byte:02X}"
        ways = [upper, upper.lower()] if upper != upper.lower() else [upper]
        if char.isascii() and char.isalpha():
            ways.insert(0, char)
        out.append(ways[n % len(ways)])
        n //= len(ways)
    return "".join(out)


async def measure_class(
    conn: asyncpg.Connection,
    client: KeepAlive,
    case: SearchClass,
    n: int,
    budget_seconds: float,
) -> SearchResult:
    """Up to `n` turns of (SQL on our connection, SQL on press's pool, API, bare round trip),
    fewer when a class would take over `budget_seconds` (at least 5: a slow class is reported
    from fewer samples, not skipped). The first three run in an order that rotates each turn:
    whichever runs after another finds the same rows freshly read, and that advantage is
    shared."""
    sql: list[float] = []
    pool: list[float] = []
    api: list[float] = []
    bare: list[float] = []
    errors = 0
    lang = {"lang": case.lang} if case.lang else {}
    hits = await search_sql(conn, case.q, case.lang)  # warms the plan and the buffers alike
    status, _ = await client.get(f"/__ref/search/sql?{urlencode({'q': case.q, **lang})}")
    errors += status >= 400
    deadline = time.perf_counter() + budget_seconds

    async def timed_sql(_i: int) -> int:
        begin = time.perf_counter()
        await search_sql(conn, case.q, case.lang)
        sql.append(time.perf_counter() - begin)
        return 200

    async def timed_pool(_i: int) -> int:
        begin = time.perf_counter()
        status, _ = await client.get(f"/__ref/search/sql?{urlencode({'q': case.q, **lang})}")
        pool.append(time.perf_counter() - begin)
        return status

    async def timed_api(i: int) -> int:
        query = f"q={spelling(case.q, i)}" + (f"&{urlencode(lang)}" if lang else "")
        begin = time.perf_counter()
        status, _body = await client.get(f"/api/v1/releases?{query}")
        api.append(time.perf_counter() - begin)
        return status

    turn = (timed_sql, timed_pool, timed_api)
    for i in range(n):
        if i >= 5 and time.perf_counter() > deadline:
            break
        for step in turn[i % 3 :] + turn[: i % 3]:
            errors += await step(i) >= 400
        begin = time.perf_counter()
        await client.get("/__ref/asgi/constant")
        bare.append(time.perf_counter() - begin)
    paired = sorted(a - (p - b) for a, p, b in zip(api, pool, bare, strict=True))
    for timings in (sql, pool, api, bare):
        timings.sort()
    return SearchResult(
        name=case.name,
        q=case.q,
        hits=hits,
        samples=len(api),
        sql_p50_ms=percentile(sql, 50) * 1000,
        sql_p99_ms=percentile(sql, 99) * 1000,
        pool_sql_p50_ms=(percentile(pool, 50) - percentile(bare, 50)) * 1000,
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
