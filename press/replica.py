"""Public reads from a streaming replica (`PRESS_DATABASE_READ_URL`), while it is current.

The replica serves only what the public cache builds (lists, release pages, feeds, the
calendar, search, the press room's pages): read-only snapshots whose answers feed no write.
Whatever must see its own write (staff API, console, journalist desk, the lift loop, the
outbox, subscriptions) keeps the request's transaction on the primary.

A build goes to the primary instead while the replica
- is down, or is not a standby (promoted, or a primary named by mistake);
- lags more than the bound (`PRESS_READ_REPLICA_MAX_LAG_SECONDS`);
- has not replayed a public change this process has heard of (a fence, below);
- or this process does not listen for public changes (the public cache's listener is
  down): it could not know of changes the replica has yet to replay.

Lag is measured by WAL positions, not clocks. Every POLL_SECONDS a task asks the primary
for its flush position, then the replica for its replay position. The replica holds every
commit that had been flushed on the primary before the newest sample whose position it has
replayed; the time since that sample was taken is its lag. So measured, an idle primary's
replica lags by nothing (`pg_last_xact_replay_timestamp()` would grow with the time since
the last write), and a replica that stops replaying lags more with every second, polled or
not: the check is made when a build starts, from the monotonic clock.

Fences: a NOTIFY on `press_public` drops this process's public cache (press.public_cache).
A page rebuilt from a replica that has not yet replayed that change (a withdrawal, say)
would be kept as current. So each change heard sets a fence: the primary's flush position
sampled after it, once a commit of the poller's own has flushed the WAL through the change
(replica.sql). A build waits (FENCE_WAIT_SECONDS at most, polling fast meanwhile) for the
replica to replay past the fence, else reads the primary. The same fence keeps a lagging
replica from showing a release whose lift an officer has just moved later or cancelled:
that too is a change heard before the replica is read again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from press.db import Database, PoolDatabase, connect, load_queries
from press.waiting import wait_at_most

log = logging.getLogger("press.replica")
QUERIES = load_queries(str(Path(__file__).with_name("replica.sql")))
POLL_SECONDS = 0.25
FENCE_POLL_SECONDS = 0.01  # while a heard change is not yet replayed there
FENCE_WAIT_SECONDS = 0.5  # a build waits this long at most for a fence, then reads the primary
ANSWER_SECONDS = 1.0  # a position not given within this is a server in trouble
# The replica's clock is the "now" of the visibility predicate in its reads: one ahead of
# the primary's would show releases early by as much. Beyond this it is not read.
CLOCK_TOLERANCE_SECONDS = 0.05
# What a read on the replica may meet for the replica's sake, rather than the query's: the
# server gone or going (connection errors, 57P* operator intervention), and recovery conflicts
# (40001: replay needed rows the snapshot still saw). The read is made again on the primary.
REPLICA_FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.SerializationError,
)


@dataclass(frozen=True)
class Reading:
    """A server's clock as one query read it, between two instants of ours (monotonic)."""

    asked: float
    answered: float
    clock: float  # the server's clock_timestamp(), in seconds since the epoch


def clock_ahead(primary: Reading, replica: Reading) -> float:
    """How far the replica's clock is at least ahead of the primary's (negative: it may be
    behind). Each clock was read at some instant between our asking and the answer, so the
    time between the two readings is at most from the primary's asking to the replica's
    answer; whatever the replica's clock shows beyond that, it is ahead by."""
    return (replica.clock - primary.clock) - (replica.answered - primary.asked)


class ReplicaLost(Exception):
    """A public read on the replica failed for the replica's sake; read it on the primary."""


@dataclass(frozen=True)
class Sample:
    tick: int
    taken: float  # monotonic, just before the primary was asked
    position: int


class ReadReplica:
    """Chooses, per public build, the replica or the primary; polls the replica's lag."""

    def __init__(
        self,
        primary: Database,
        replica: PoolDatabase,
        max_lag: float,
        listening: Callable[[], bool],
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self.max_lag = max_lag
        self.listening = listening
        self.poll_seconds = poll_seconds
        self.replica_reads = 0  # builds read on each (for tests and /readyz)
        self.primary_reads = 0
        self._samples: deque[Sample] = deque(maxlen=int(max_lag / poll_seconds) + 64)
        self._ticks = 0
        self._caught_up: Sample | None = None  # the newest sample the replica has replayed
        self._fence_tick = 0  # the replica must replay the sample of this tick
        self._flushed_tick = 0  # the last sample taken after flushing the commits heard of
        self._problem: str | None = "not measured yet"
        self._poke = asyncio.Event()
        self._progress = asyncio.Event()  # set (and replaced) after each poll
        self._said = ""

    # -- choosing --

    def lag(self) -> float | None:
        """Seconds of primary commits the replica may be missing; None if never measured."""
        return None if self._caught_up is None else time.monotonic() - self._caught_up.taken

    def bypass_reason(self) -> str | None:
        """Why builds go to the primary now; None when the replica may be read."""
        if self._problem is not None:
            return self._problem
        if not self.listening():
            return "not listening for public changes"
        lag = self.lag()
        if lag is None or lag > self.max_lag:
            return "lagging"
        if self._caught_up is not None and self._caught_up.tick < self._fence_tick:
            return "catching up with a public change"
        return None

    async def choose(self) -> Database:
        """The database this build reads: the replica when current, after waiting briefly
        for it to replay a change just heard of; else the primary."""
        reason = self.bypass_reason()
        if reason == "catching up with a public change":
            deadline = time.monotonic() + FENCE_WAIT_SECONDS
            while reason == "catching up with a public change":
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                progress = self._progress
                if not await wait_at_most(progress, remaining):
                    break
                reason = self.bypass_reason()
        if reason is None:
            self.replica_reads += 1
            return self.replica
        self.primary_reads += 1
        return self.primary

    def snapshot(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A read-only snapshot on the chosen database (press.public_cache builds on it).
        Raises ReplicaLost when the replica fails under it, to be read again on the primary."""
        return self._on_chosen(snapshot=True)

    def acquire(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A connection of the chosen database, for a build whose reads need no single moment
        (press.public_cache, `snapshot=False`): replay only moves forward, so a later read
        never sees less than an earlier one, as on the primary."""
        return self._on_chosen(snapshot=False)

    @asynccontextmanager
    async def _on_chosen(self, snapshot: bool) -> AsyncIterator[asyncpg.Connection]:
        source = await self.choose()
        if source is self.primary:
            async with source.snapshot() if snapshot else source.acquire() as conn:
                yield conn
            return
        try:
            async with source.snapshot() if snapshot else source.acquire() as conn:
                yield conn
        except REPLICA_FAILURES as exc:
            if not isinstance(exc, asyncpg.exceptions.SerializationError):
                self._problem = "down"
                self._poke.set()
            raise ReplicaLost(type(exc).__name__) from exc

    def heard_change(self) -> None:
        """A public change committed on the primary (its NOTIFY was heard, or the listener
        started or stopped): the replica is read again once it has replayed past a primary
        position sampled after this moment."""
        self._fence_tick = self._ticks + 1
        self._poke.set()

    def report(self) -> dict[str, Any]:
        """For /readyz: whether the replica is read, why not, and its lag."""
        reason = self.bypass_reason()
        lag = self.lag()
        report: dict[str, Any] = {"status": "in use" if reason is None else "bypassed"}
        if reason is not None:
            report["reason"] = reason
        if lag is not None and self._problem is None:
            report["lag_seconds"] = round(lag, 3)
        report["max_lag_seconds"] = self.max_lag
        return report

    # -- measuring --

    async def run(self) -> None:
        """Poll until cancelled: every POLL_SECONDS, fast while a fence is not yet reached."""
        polls = _Connections()
        try:
            while True:
                await self._poll(polls)
                self._say()
                fenced = self._caught_up is not None and self._caught_up.tick < self._fence_tick
                pause = FENCE_POLL_SECONDS if fenced else self.poll_seconds
                await wait_at_most(self._poke, pause)
                self._poke.clear()
        finally:
            await polls.close()

    async def _poll(self, polls: _Connections) -> None:
        self._ticks += 1
        tick, taken = self._ticks, time.monotonic()
        fence = self._fence_tick > self._flushed_tick
        try:
            primary = await polls.primary(self.primary)
            if fence:
                await primary.execute(QUERIES["flush_commits_heard_of"], timeout=ANSWER_SECONDS)
                self._flushed_tick = tick
            asked = time.monotonic()
            position, primary_clock = await primary.fetchrow(
                QUERIES["primary_position"], timeout=ANSWER_SECONDS
            )
            primary_read = Reading(asked, time.monotonic(), primary_clock.timestamp())
        except (*REPLICA_FAILURES, asyncpg.PostgresError):
            # Without the primary's position nothing is measured: the lag grows by the clock.
            await polls.drop_primary()
            return
        self._samples.append(Sample(tick, taken, position))
        try:
            replica = await polls.replica(self.replica)
            asked = time.monotonic()
            replayed, replica_clock = await replica.fetchrow(
                QUERIES["replay_position"], timeout=ANSWER_SECONDS
            )
            replica_read = Reading(asked, time.monotonic(), replica_clock.timestamp())
        except (*REPLICA_FAILURES, asyncpg.PostgresError):
            self._problem = "down"
            await polls.drop_replica()
            return
        self._problem = None
        if replayed is None:
            self._problem = "not a standby"
        elif clock_ahead(primary_read, replica_read) > CLOCK_TOLERANCE_SECONDS:
            self._problem = "its clock is ahead of the primary's"
        for sample in reversed(self._samples):
            if replayed is not None and sample.position <= replayed:
                if self._caught_up is None or sample.tick > self._caught_up.tick:
                    self._caught_up = sample
                break
        self._progress.set()
        self._progress = asyncio.Event()

    def _say(self) -> None:
        """Log when the replica starts or stops being read, once per change of reason."""
        reason = self.bypass_reason()
        said = reason or "in use"
        if reason == "catching up with a public change" or said == self._said:
            return  # fences come and go with every public change: not news
        self._said = said
        if reason is None:
            log.info("read replica: in use for public reads")
        else:
            log.warning("read replica: %s; public reads go to the primary", reason)


class _Connections:
    """The poller's own connections, one to each server: its measure must not queue
    behind requests for a pooled connection."""

    def __init__(self) -> None:
        self._primary: asyncpg.Connection | None = None
        self._replica: asyncpg.Connection | None = None

    async def primary(self, db: Database) -> asyncpg.Connection:
        if self._primary is None or self._primary.is_closed():
            self._primary = await asyncio.wait_for(connect(_url(db)), ANSWER_SECONDS)
        return self._primary

    async def replica(self, db: PoolDatabase) -> asyncpg.Connection:
        if self._replica is None or self._replica.is_closed():
            self._replica = await asyncio.wait_for(connect(db.url), ANSWER_SECONDS)
        return self._replica

    async def drop_primary(self) -> None:
        _close(self._primary)
        self._primary = None

    async def drop_replica(self) -> None:
        _close(self._replica)
        self._replica = None

    async def close(self) -> None:
        await self.drop_primary()
        await self.drop_replica()


def _url(db: Database) -> str:
    url: str = getattr(db, "url", "")
    if not url:
        raise OSError("the primary's address is not known")
    return url


def _close(conn: asyncpg.Connection | None) -> None:
    # terminate(), not close(): a server that stopped answering would keep close() waiting.
    if conn is not None and not conn.is_closed():
        conn.terminate()
