"""A per-process cache of public responses that is exact at every embargo lift.

The public read path is polled by the website, feed readers and calendars; most polls find
nothing new. An entry is the finished response body of one public URL (and language), kept:
- until the next scheduled lift by the database clock (the visible set changes then although
  no row does), measured as a duration the database reports, so the app's clock plays no part;
- until any committed change to what the public may see: a trigger NOTIFYs `press_public` on
  every such write, and each process LISTENs on a connection of its own.

The cache only works while that LISTEN connection is up: if it drops, every request goes to
the database until it is back. An entry built from a snapshot older than an invalidation is
not stored (the generation check), so a response read just before a commit cannot outlive it.
Entries hold only what a public query returned, so the cache cannot hold anything embargoed.

Besides whole responses, a build may share what every public page needs beside its rows
(`recall`/`keep`: the names of sources and topics and the time to the next lift), under the
same rules: kept for the generation the build started in, until the next lift. And it may
keep the encoded public shape of one release (`shaped`) for later builds of the generation:
search pages over different words show the same releases, and shaping one costs as much as
the round trip of a small query. Which releases a page shows is always its own query's
answer; only how a release it shows looks is shared, and only until anything public changes
(a lift changes which releases are visible, never how one looks).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote_plus

import asyncpg
from litestar import Request, Response
from litestar.utils.path import normalize_path

from press.conditional import (
    PUBLIC_MAX_AGE,
    etag_of,
    is_fresh,
    public_cache_control,
    surrogate_key,
)
from press.replica import ReplicaLost

log = logging.getLogger("press.cache")
CHANNEL = "press_public"
MAX_LIFETIME = 300.0  # seconds; a backstop, not the mechanism
OVERLAP_BYTES = 8192  # a body this large is hashed while its snapshot's COMMIT is answered
SITEMAP = "sitemap"  # the key part of the one answer that varies with nothing but its URL
# The generation a build started in (before its snapshot was taken), for what it shares.
_BUILD_GENERATION: ContextVar[int | None] = ContextVar("press_build_generation", default=None)


@dataclass(frozen=True)
class Built:
    """What a public endpoint computed: the body and what its caching headers need."""

    body: bytes
    seconds_to_next_lift: float | None
    last_modified: datetime | None = None
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # The body's ETag (`etag_of(body)`), when the build kept it with the body: a feed served
    # again from its render is not hashed again.
    etag: str | None = None


# A public endpoint's build: it reads on a read-only snapshot and returns the Built, or a
# function that makes it from what was read, called after the snapshot ends.
Build = Callable[[asyncpg.Connection], Awaitable[Built | Callable[[], Built]]]


@dataclass(frozen=True)
class Entry:
    built: Built
    etag: str
    lift_deadline: float | None  # monotonic time of the next lift
    expires: float
    headers: dict[str, str]  # every header but Cache-Control, made once
    content_type: str  # as Litestar sends it for built.media_type
    # The same as press.edge sends them, encoded once: every answer's, and a 200's own;
    # and as press.protocol writes them, as header lines.
    raw_headers: tuple[tuple[bytes, bytes], ...] = ()
    raw_body_headers: tuple[tuple[bytes, bytes], ...] = ()
    header_lines: bytes = b""
    body_header_lines: bytes = b""


def content_type_of(media_type: str) -> str:
    """The Content-Type header Litestar sends for a response of `media_type` (text types get
    their charset), for answers sent without it (press.edge)."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def entry_headers(built: Built, etag: str, path: str) -> dict[str, str]:
    headers = {
        "ETag": etag,
        "Vary": "Accept-Language",
        "Surrogate-Key": surrogate_key(path),
        **built.headers,
    }
    if built.last_modified is not None:
        headers["Last-Modified"] = format_datetime(
            built.last_modified.replace(microsecond=0), usegmt=True
        )
    return headers


@dataclass(frozen=True)
class Shared:
    value: Any
    generation: int
    lift_deadline: float | None
    expires: float


class PublicCache:
    def __init__(
        self,
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        max_shapes: int = 10_000,
    ) -> None:
        self._entries: OrderedDict[Any, Entry] = OrderedDict()
        self._shared: dict[str, Shared] = {}
        # Bounded in entries and in body bytes, least recently stored first out: distinct
        # search URLs (every query is one) cannot grow a process without limit.
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._shapes: dict[Any, Any] = {}
        self._max_shapes = max_shapes
        self.generation = 0
        self.enabled = False
        # Told of every invalidation (press.replica sets its fence by it).
        self.on_invalidate: Callable[[], None] | None = None
        self.builds = 0  # how many responses were computed (for tests and benchmarks)
        # Answers sent from the cache, and asked of it in vain (press.ops.metrics).
        self.hits = self.misses = 0
        # One build per key and generation at a time: concurrent misses wait for it.
        self._building: dict[tuple[Any, int], asyncio.Future[Entry]] = {}
        # The query parameters the handler at each path reads (by path as keyed), learned
        # from the keys handlers make: press.edge keys a request as its handler would.
        self.reads: dict[str, frozenset[str]] = {}

    def note_reads(self, path: str, reads: frozenset[str]) -> None:
        if self.reads.get(path) is not reads:
            if len(self.reads) >= self._max_entries:
                self.reads.clear()  # detail pages are paths of their own: stay bounded
            self.reads[path] = reads

    def invalidate(self) -> None:
        self.generation += 1
        if self.on_invalidate is not None:
            self.on_invalidate()
        self._entries.clear()
        self._bytes = 0
        self._shared.clear()
        self._shapes.clear()

    def _drop(self, key: Any) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.built.body)

    def recall(self, name: str) -> tuple[Any, float | None] | None:
        """What a build of this generation kept under `name`, with the seconds left to the
        next lift; None outside a build, or when nothing current is kept."""
        generation = _BUILD_GENERATION.get()
        shared = self._shared.get(name)
        if not self.enabled or shared is None or generation != self.generation:
            return None
        now = time.monotonic()
        if shared.generation != generation or now >= shared.expires:
            return None
        remaining = None if shared.lift_deadline is None else shared.lift_deadline - now
        return shared.value, remaining

    def keep(self, name: str, value: Any, seconds_to_next_lift: float | None) -> None:
        """Share `value`, read in this build's snapshot, with later builds until the next
        lift; kept only if nothing changed since the build started."""
        generation = _BUILD_GENERATION.get()
        if not self.enabled or generation != self.generation:
            return
        now = time.monotonic()
        deadline = None if seconds_to_next_lift is None else now + seconds_to_next_lift
        expires = min(now + MAX_LIFETIME, deadline if deadline is not None else float("inf"))
        self._shared[name] = Shared(value, generation, deadline, expires)

    def shaped(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()`, the shape of one item of a public page read in this build's snapshot,
        kept under `key` for later builds of this generation (the key names the row's
        version too); at most `max_shapes` are kept, then they start over."""
        found = self._shapes.get(key)
        if found is not None:
            return found
        value = make()
        if self.enabled and _BUILD_GENERATION.get() == self.generation:
            if len(self._shapes) >= self._max_shapes:
                self._shapes.clear()
            self._shapes[key] = value
        return value

    def lookup(self, key: Any) -> Entry | None:
        if not self.enabled:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() >= entry.expires:
            self._drop(key)
            return None
        return entry

    def store(
        self,
        key: Any,
        built: Built,
        generation: int,
        started: float | None = None,
        etag: str | None = None,
    ) -> Entry:
        """Keep `built` under `key` (its first part is the path: `cache_key`), whose build
        took its snapshot after monotonic time `started` (now if not given): its time to
        the next lift counts from there, never later. `etag`: the body's, if known."""
        now = time.monotonic()
        lift = built.seconds_to_next_lift
        deadline = None if lift is None else (now if started is None else started) + lift
        expires = min(now + MAX_LIFETIME, deadline if deadline is not None else float("inf"))
        etag = etag or etag_of(built.body)
        headers = entry_headers(built, etag, key[0])
        content_type = content_type_of(built.media_type)
        raw_headers = tuple(
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
        )
        raw_body_headers = (
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(built.body)).encode("latin-1")),
        )
        entry = Entry(
            built=built,
            etag=etag,
            lift_deadline=deadline,
            expires=expires,
            headers=headers,
            content_type=content_type,
            raw_headers=raw_headers,
            raw_body_headers=raw_body_headers,
            header_lines=header_lines(raw_headers),
            body_header_lines=header_lines(raw_body_headers),
        )
        if self.enabled and generation == self.generation and len(built.body) <= self._max_bytes:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += len(built.body)
            while self._entries and (
                len(self._entries) > self._max_entries or self._bytes > self._max_bytes
            ):
                self._drop(next(iter(self._entries)))
        return entry

    async def build_once(self, key: Any, db: Any, build: Build, snapshot: bool = True) -> Entry:
        """Build the entry of `key` in this request's own task; requests missing the same key
        meanwhile wait for that build. Should the request building it be cancelled (its
        client gone), a waiting request builds it instead: the others wait on.

        In the request's task rather than a task of its own: a task per build cost as much
        as the rest of the cache's work on a miss."""
        while True:
            generation = self.generation
            flight = (key, generation)
            building = self._building.get(flight) if self.enabled else None
            if building is None:
                break
            try:
                return await asyncio.shield(building)
            except asyncio.CancelledError:
                if not building.cancelled():
                    raise  # this request was cancelled, not the build
        if not self.enabled:
            return await self._build(key, db, build, generation, snapshot)
        done: asyncio.Future[Entry] = asyncio.get_running_loop().create_future()
        self._building[flight] = done
        try:
            entry = await self._build(key, db, build, generation, snapshot)
        except asyncio.CancelledError:
            done.cancel()
            raise
        except BaseException as exc:
            done.set_exception(exc)
            done.exception()  # retrieved: by the waiters, if there are any
            raise
        else:
            done.set_result(entry)
            return entry
        finally:
            if self._building.get(flight) is done:
                del self._building[flight]

    async def _build(
        self,
        key: Any,
        db: Any,
        build: Build,
        generation: int,
        snapshot: bool = True,
    ) -> Entry:
        """`snapshot=False`: the build's reads need no single moment, so they run outside a
        transaction (BEGIN and COMMIT are two round trips of a three on the public list).
        Every read still starts after `generation` was taken, so the generation check holds."""
        # The generation the build started in, for what it shares (recall, keep, shaped).
        token = _BUILD_GENERATION.set(generation)
        try:
            started = time.monotonic()
            session = db.snapshot() if snapshot else db.acquire()
            conn = await session.__aenter__()
            try:
                read = await build(conn)
            except BaseException as exc:
                await session.__aexit__(type(exc), exc, exc.__traceback__)
                raise
            # The transaction lasts no longer than the reads. Where there is work left (shaping
            # what was read, or hashing a large body for its ETag), COMMIT is sent first and
            # its answer awaited after; where there is not, a task to send it costs more.
            if isinstance(read, Built) and (read.etag or len(read.body) < OVERLAP_BYTES):
                await session.__aexit__(None, None, None)
                built, etag = read, read.etag or etag_of(read.body)
            else:
                ending = asyncio.ensure_future(session.__aexit__(None, None, None))
                await asyncio.sleep(0)
                try:
                    built = read if isinstance(read, Built) else read()
                    etag = built.etag or etag_of(built.body)
                finally:
                    await ending
        finally:
            _BUILD_GENERATION.reset(token)
        self.builds += 1
        return self.store(key, built, generation, started, etag)

    async def listen(self, url: str, stop: asyncio.Event) -> None:
        """Keep a LISTEN connection up; the cache is on only while it is."""
        while not stop.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(url)
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, lambda *_: self.invalidate())
                self.invalidate()  # anything from before we listened is suspect
                self.enabled = True
                stopping = asyncio.create_task(stop.wait())
                dropped = asyncio.create_task(lost.wait())
                await asyncio.wait({stopping, dropped}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                dropped.cancel()
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("public cache listener: %s; retrying", exc)
            finally:
                self.enabled = False
                self.invalidate()
                if conn is not None and not conn.is_closed():
                    await conn.close()
            if not stop.is_set():
                await asyncio.sleep(1)


def answer(
    entry: Entry, if_none_match: str | None, if_modified_since: str | None
) -> tuple[int, dict[str, str]]:
    """The status and headers of the answer from `entry` to a GET with these validators: 304
    when the client's copy is current (revalidations, the usual poll, need no body and no
    database), else 200 with the body. Content-Type and Content-Length come on top."""
    remaining = None
    if entry.lift_deadline is not None:
        remaining = max(0.0, entry.lift_deadline - time.monotonic())
    headers = {**entry.headers, "Cache-Control": public_cache_control(remaining)}
    fresh = is_fresh(if_none_match, if_modified_since, entry.etag, entry.built.last_modified)
    return (304 if fresh else 200), headers


def raw_answer(
    entry: Entry, if_none_match: str | None, if_modified_since: str | None
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """`answer` as press.edge sends it, the headers encoded (Content-Type and -Length with a
    200): a revalidation, the usual poll, costs no more than deciding it is one."""
    control = _A_MINUTE
    if entry.lift_deadline is not None:
        remaining = max(0.0, entry.lift_deadline - time.monotonic())
        if remaining < PUBLIC_MAX_AGE:
            control = public_cache_control(remaining).encode("latin-1")
    fresh = is_fresh(if_none_match, if_modified_since, entry.etag, entry.built.last_modified)
    if fresh:
        return 304, [*entry.raw_headers, (b"cache-control", control)]
    return 200, [*entry.raw_headers, (b"cache-control", control), *entry.raw_body_headers]


def encoded_answer(
    entry: Entry, if_none_match: str | None, if_modified_since: str | None
) -> tuple[int, bytes]:
    """`raw_answer` as header lines (`name: value` and CRLF each), as press.protocol writes
    them: an entry's lines are encoded once, only Cache-Control is added per answer."""
    control = _A_MINUTE_LINE
    if entry.lift_deadline is not None:
        remaining = max(0.0, entry.lift_deadline - time.monotonic())
        if remaining < PUBLIC_MAX_AGE:
            control = header_lines(
                ((b"cache-control", public_cache_control(remaining).encode("latin-1")),)
            )
    fresh = is_fresh(if_none_match, if_modified_since, entry.etag, entry.built.last_modified)
    if fresh:
        return 304, entry.header_lines + control
    return 200, entry.header_lines + control + entry.body_header_lines


def header_lines(headers: tuple[tuple[bytes, bytes], ...]) -> bytes:
    return b"".join(name + b": " + value + b"\r\n" for name, value in headers)


# The Cache-Control of an answer with a minute or more to the next lift (or none at all).
_A_MINUTE = public_cache_control(None).encode("latin-1")
_A_MINUTE_LINE = header_lines(((b"cache-control", _A_MINUTE),))


def respond(request: Request[Any, Any, Any], entry: Entry) -> Response[bytes]:
    status, headers = answer(
        entry, request.headers.get("if-none-match"), request.headers.get("if-modified-since")
    )
    body = entry.built.body if status == 200 else b""
    return Response(body, status_code=status, headers=headers, media_type=entry.built.media_type)


def cache_key(
    request: Request[Any, Any, Any], *parts: Any, reads: frozenset[str]
) -> tuple[Any, ...]:
    """A cache key: the path, the query parameters the handler `reads` (`known_query`: any
    other parameter, `?utm_source=` or a cache-buster, makes no new entry and no new build),
    and what else varies the answer, one of (press.edge finds entries by these, before
    routing): the first language of the reader's preference (`language_preference`), whether
    the reader takes gzip (`gzip_accepted`: feeds, which compress themselves), or SITEMAP."""
    scope = request.scope
    path = key_path(scope)
    request.app.state.public_cache.note_reads(path, reads)
    return (path, known_query(scope["query_string"], reads), *parts)


def key_path(scope: Any) -> str:
    """The path as Litestar routes it: routing rewrites `/fi/` to `/fi` in the handler's scope,
    so press.edge, which sees the path as sent, must find the entry under the same path."""
    path: str = scope["path"]
    if (path.endswith("/") and path != "/") or "//" in path:
        path = normalize_path(path)
    return path


# The names of each set of parameters a handler reads, as bytes, and a pattern finding any
# of them as a parameter's name (a handful of sets).
_BYTE_NAMES: dict[frozenset[str], tuple[frozenset[bytes], re.Pattern[bytes]]] = {}


def _names_of(reads: frozenset[str]) -> tuple[frozenset[bytes], re.Pattern[bytes]]:
    names = frozenset(name.encode("latin-1") for name in reads)
    alternatives = b"|".join(re.escape(name) for name in sorted(names))
    return names, re.compile(rb"(?:^|&)(?:" + alternatives + rb")(?:[=&]|$)")


def known_query(query: bytes, reads: frozenset[str]) -> bytes:
    """The parameters of a raw query string that are in `reads`, each as sent (its encoding
    and repetitions kept, so the key is never coarser than what the handler parses), in
    order of name (a repeated one keeps its own order); every other parameter dropped."""
    if not query:
        return query
    if b"%" not in query and b"+" not in query:
        # Every name as sent is the name: compared as bytes, no decoding (this runs for every
        # request the edge answers with a query, cache-busters included).
        known = _BYTE_NAMES.get(reads)
        if known is None:
            known = _BYTE_NAMES[reads] = _names_of(reads)
        names, any_name = known
        if any_name.search(query) is None:
            return b""  # nothing the handler reads: `?utm_source=…`, `?_=…`
        found = [part for part in query.split(b"&") if part.partition(b"=")[0] in names]
        if len(found) > 1:  # latin-1 keeps the order of bytes: as the names sort below
            found.sort(key=lambda part: part.partition(b"=")[0])
        return b"&".join(found)
    kept: list[tuple[str, bytes]] = []
    for part in query.split(b"&"):
        raw = part.partition(b"=")[0]
        name = raw.decode("latin-1")
        if b"%" in raw or b"+" in raw:
            name = unquote_plus(name, errors="replace")
        if name in reads:
            kept.append((name, part))
    kept.sort(key=lambda named: named[0])
    return b"&".join(part for _, part in kept)


async def cached_entry(
    request: Request[Any, Any, Any], key: Any, build: Build, snapshot: bool = True
) -> Entry:
    """The cache's entry for `key`, or one built on a read-only snapshot (unless `snapshot`
    is False: see `PublicCache._build`) and kept: on the read replica when there is one and
    it is current (press.replica), else the primary."""
    state = request.app.state
    cache: PublicCache = state.public_cache
    entry = cache.lookup(key)
    if entry is None:
        cache.misses += 1
        try:
            entry = await cache.build_once(key, state.public_reads or state.db, build, snapshot)
        except ReplicaLost:
            entry = await cache.build_once(key, state.db, build, snapshot)
    else:
        cache.hits += 1
    return entry


async def cached_public(
    request: Request[Any, Any, Any], key: Any, build: Build, snapshot: bool = True
) -> Response[bytes]:
    """Answer from the cache, or build the response on a read-only snapshot (unless
    `snapshot` is False: see `PublicCache._build`) and keep it."""
    return respond(request, await cached_entry(request, key, build, snapshot))
