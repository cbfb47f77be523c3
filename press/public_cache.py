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
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
from litestar import Request, Response

from press.conditional import conditional_response, etag_of, public_cache_control

log = logging.getLogger("press.cache")
CHANNEL = "press_public"
MAX_LIFETIME = 300.0  # seconds; a backstop, not the mechanism


@dataclass(frozen=True)
class Built:
    """What a public endpoint computed: the body and what its caching headers need."""

    body: bytes
    seconds_to_next_lift: float | None
    last_modified: datetime | None = None
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    built: Built
    etag: str
    lift_deadline: float | None  # monotonic time of the next lift
    expires: float


class PublicCache:
    def __init__(self, max_entries: int = 4096) -> None:
        self._entries: OrderedDict[Any, Entry] = OrderedDict()
        self._max_entries = max_entries
        self.generation = 0
        self.enabled = False
        self.builds = 0  # how many responses were computed (for tests and benchmarks)

    def invalidate(self) -> None:
        self.generation += 1
        self._entries.clear()

    def lookup(self, key: Any) -> Entry | None:
        if not self.enabled:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() >= entry.expires:
            self._entries.pop(key, None)
            return None
        return entry

    def store(self, key: Any, built: Built, generation: int) -> Entry:
        now = time.monotonic()
        deadline = None if built.seconds_to_next_lift is None else now + built.seconds_to_next_lift
        expires = min(now + MAX_LIFETIME, deadline if deadline is not None else float("inf"))
        entry = Entry(
            built=built, etag=etag_of(built.body), lift_deadline=deadline, expires=expires
        )
        if self.enabled and generation == self.generation:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return entry

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


def respond(request: Request[Any, Any, Any], entry: Entry) -> Response[bytes]:
    remaining = None
    if entry.lift_deadline is not None:
        remaining = max(0.0, entry.lift_deadline - time.monotonic())
    built = entry.built
    return conditional_response(
        request,
        built.body,
        media_type=built.media_type,
        etag=entry.etag,
        cache_control=public_cache_control(remaining),
        last_modified=built.last_modified,
        headers=built.headers,
    )


async def cached_public(
    request: Request[Any, Any, Any],
    key: Any,
    build: Callable[[asyncpg.Connection], Awaitable[Built]],
) -> Response[bytes]:
    """Answer from the cache, or build the response on a read-only snapshot and keep it."""
    cache: PublicCache = request.app.state.public_cache
    entry = cache.lookup(key)
    if entry is None:
        generation = cache.generation
        async with request.app.state.db.snapshot() as conn:
            built = await build(conn)
        cache.builds += 1
        entry = cache.store(key, built, generation)
    return respond(request, entry)
