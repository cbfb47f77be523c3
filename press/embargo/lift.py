"""The lift loop: records each scheduled release's publication once, at its time.

Visibility does not wait for this loop: the public read path shows a scheduled release from
its `publish_at` on (the visibility predicate, database clock). The loop exists for what
follows a publication: it flips the state to `published` and writes the `release.published`
outbox event in the same transaction, keyed by `publication_key(id, publish_at)`, so the
publish-now path and any number of retries or instances yield exactly one event.

Why one leader rather than `FOR UPDATE SKIP LOCKED` claims in every instance: the lift is a
single cheap UPDATE over a handful of rows, so spreading it buys nothing, while a leader gives
one timer and one LISTEN connection instead of N instances all waking at the same instant and
racing for the same rows. The leader holds a session advisory lock on a dedicated connection;
if its process dies the server ends the session, the lock goes with it, and another instance,
which tries for the lock every second, takes over. Leadership is an optimisation, not the
guarantee: the UPDATE still locks and re-checks each row (state and time) and the outbox
insert is idempotent by its key, so two leaders for a moment (a split brain after a network
stall) would still produce one event per publication.

Standby instances poll with `pg_try_advisory_lock` instead of waiting in `pg_advisory_lock`:
a statement blocked for hours would hold a snapshot and keep VACUUM from cleaning up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import asyncpg

from press.db import connect
from press.embargo import repository
from press.ops.logs import action_id
from press.outbox import add_event, publication_key
from press.staff.repository import record_audit
from press.waiting import wait_at_most

if TYPE_CHECKING:  # prometheus_client is imported once `press serve` has chosen its mode
    from press.ops.metrics import Metrics

log = logging.getLogger("press.embargo.lift")

LIFT_LOCK_KEY = 7_412_002  # the advisory lock the leader holds; any fixed number
SCHEDULE_CHANNEL = "press_release_schedule"  # notified by a trigger on releases (0002)
ELECTION_INTERVAL = 1.0  # how often a standby tries to become the leader
# Wake a little after the due instant, never before: the lift asks the database clock, and a
# timer that fires early only costs one empty query and another short sleep.
WAKE_MARGIN = 0.002
BUSY_RETRY = 0.25  # due rows held by an editor's transaction: look again shortly


async def lift_due_releases(conn: asyncpg.Connection, batch: int = 500) -> int:
    """Record the publication of everything due, oldest first; return how many were lifted."""
    lifted, _ = await lift_pass(conn, batch)
    return lifted


async def lift_pass(
    conn: asyncpg.Connection, batch: int = 500, lags: list[float] | None = None
) -> tuple[int, float | None]:
    """Lift everything due; return how many were lifted and the seconds from the last
    transaction's start to the next due publish_at (None when nothing is scheduled).

    Each batch is one transaction: the state change, its outbox event and its audit entry
    commit together, so a crash in the middle leaves either all three or none of them. The
    next due time is read in the same transaction, against the same now(), so a release that
    fell due while the batch ran counts as "next" (a short sleep), not as "held by an editor".

    `lags` gets, per release lifted, the seconds from its publish_at to the commit.
    """
    total = 0
    while True:
        async with conn.transaction():
            lifted = await repository.lift_due_releases(conn, batch)
            for row in lifted:
                await _record_publication(conn, row)
            next_due = await repository.seconds_to_next_due(conn)
        if lags is not None and lifted:
            committed = datetime.now(UTC)
            lags += [max(0.0, (committed - r["publish_at"]).total_seconds()) for r in lifted]
        total += len(lifted)
        if len(lifted) < batch:
            return total, next_due


async def lift_release(conn: asyncpg.Connection, release_id: UUID) -> bool:
    """Record one release's publication now if it is public but not yet lifted. A staff
    change to such a release calls this first, so that its `release.published` comes before
    the `release.updated` or `release.withdrawn` the change writes."""
    row = await repository.lift_release(conn, release_id)
    if row is not None:
        await _record_publication(conn, row)
    return row is not None


async def _record_publication(conn: asyncpg.Connection, row: asyncpg.Record) -> None:
    publish_at = row["publish_at"]
    payload: dict[str, Any] = {
        "id": str(row["id"]),
        "version": row["version"],
        "state": "published",
        "publish_at": publish_at.isoformat(),
    }
    key = publication_key(row["id"], publish_at)
    await add_event(conn, "release.published", row["id"], key, payload)
    await record_audit(
        conn, None, "release.lift", "release", row["id"], {"publish_at": publish_at.isoformat()}
    )


class LiftLoop:
    """Runs in every instance; the one holding the advisory lock does the lifting."""

    def __init__(
        self,
        database_url: str,
        *,
        poll_seconds: float = 5.0,
        batch: int = 500,
        metrics: Metrics | None = None,
    ) -> None:
        self.database_url = database_url
        self.metrics = metrics
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.is_leader = False

    async def run(self) -> None:
        """Until cancelled: wait to be leader, then lift; reconnect after any failure."""
        while True:
            try:
                await self._serve_when_elected()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("lift loop lost its database connection: %s", exc)
            except Exception:
                # A bug must not end lifting for the life of the process: log, start over.
                log.exception("lift loop failed; restarting it")
            finally:
                self.is_leader = False
            await asyncio.sleep(ELECTION_INTERVAL)

    async def _serve_when_elected(self) -> None:
        conn = await connect(self.database_url)
        try:
            # Polling the server, not waiting on a local condition.
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LIFT_LOCK_KEY):  # noqa: ASYNC110
                await asyncio.sleep(ELECTION_INTERVAL)
            self.is_leader = True
            log.info("this instance now leads the lift loop")
            wake = asyncio.Event()
            await conn.add_listener(SCHEDULE_CHANNEL, lambda *_: wake.set())
            while True:
                # Cleared before lifting, so a change committed during the lift wakes us again.
                wake.clear()
                started, lags = time.perf_counter(), list[float]()
                lifted, next_due = await lift_pass(conn, self.batch, lags)
                if lifted:
                    self._report(lags, time.perf_counter() - started)
                delay = self._sleep_time(next_due)
                await wait_at_most(wake, delay)
        finally:
            # Closing the session releases the advisory lock for the next leader.
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close(timeout=2))

    def _report(self, lags: list[float], seconds: float) -> None:
        for lag in lags:
            if self.metrics is not None:
                self.metrics.lift_lag.observe(lag)
        log.info(
            "lifted %d release(s)",
            len(lags),
            extra={
                "event": "lift",
                "request_id": action_id("lift"),
                "releases": len(lags),
                "worst_lag_seconds": round(max(lags), 3),
                "duration_ms": round(seconds * 1000, 1),
            },
        )

    def _sleep_time(self, next_due: float | None) -> float:
        """Until the next due publish_at, by the database clock; at most the poll interval,
        which also bounds the delay when a NOTIFY is lost."""
        if next_due is None:
            return self.poll_seconds
        if next_due <= 0:
            # Due before the last lift began and still not lifted: an editor's transaction
            # holds it. Look again shortly; the editor's commit also notifies.
            return BUSY_RETRY
        return min(next_due + WAKE_MARGIN, self.poll_seconds)
