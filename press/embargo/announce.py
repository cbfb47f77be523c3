"""Telling one outside endpoint of public changes: the outbox, read at a position of its own.

Used by the WebSub pinger (press.feeds.websub) and the CDN purger (press.cdn). An announcer
reads the outbox at its own position (a row of `outbox_consumers`), so it hears of a change
only after it committed: after the lift, never of an embargo (only public event types are
announced). One instance announces at a time (an advisory lock on the position), and the
position moves only when the endpoint accepted: each change is announced at least once,
retried with backoff while the endpoint is down, and not once per instance.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg
import httpx

from press.db import Database
from press.embargo.repository import Q, advance_outbox, read_outbox
from press.embargo.webhooks import backoff_seconds, keep_serving, outbound_client, serve_outbox

log = logging.getLogger("press.embargo.announce")
BATCH = 500


class Announcer:
    """Subclasses name their `consumer` (the position's row), a `name` for logs, and say how
    public changes are announced (`announce`)."""

    consumer = ""
    name = ""

    def __init__(
        self,
        db: Database,
        database_url: str,
        endpoint: str,
        public_url: str,
        *,
        timeout_seconds: float = 10.0,
        backoff_base: float = 10.0,
    ) -> None:
        self.db = db
        self.database_url = database_url
        self.endpoint = endpoint
        self.public_url = public_url
        self.timeout_seconds = timeout_seconds
        self.backoff_base = backoff_base
        self._failures = 0
        self._retry_at = 0.0
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Until cancelled; a lost database connection is retried after a pause."""
        async with outbound_client(self.timeout_seconds) as client:
            await keep_serving(
                lambda: serve_outbox(
                    self.database_url, self._wake, lambda: self.announce_once(client)
                ),
                self.name,
            )

    async def announce_once(self, client: httpx.AsyncClient) -> bool:
        """Announce the changes since the position, if any; True if more may be waiting."""
        if time.monotonic() < self._retry_at:
            return False
        async with self.db.acquire() as conn, conn.transaction():
            events = await read_outbox(conn, self.consumer, BATCH)
            if not events:  # nothing new, or another instance is at it
                return False
            public = await conn.fetch(Q["public_outbox_events"], [e["id"] for e in events])
            if public and not await self.announce(client, public):
                self._failures += 1
                self._retry_at = time.monotonic() + backoff_seconds(
                    self._failures, self.backoff_base
                )
                return False
            self._failures = 0
            await advance_outbox(conn, self.consumer, events[-1])
            return len(events) >= BATCH

    async def announce(self, client: httpx.AsyncClient, events: list[asyncpg.Record]) -> bool:
        """Tell the endpoint of these public events (event_type, aggregate_id); True when
        it accepted."""
        raise NotImplementedError

    async def post(self, client: httpx.AsyncClient, **request: Any) -> bool:
        """POST to the endpoint; True on a 2xx answer, else logged and False."""
        try:
            response = await client.post(self.endpoint, **request)
        except httpx.HTTPError as exc:
            log.warning("%s: %s did not answer: %s", self.name, self.endpoint, exc)
            return False
        if not 200 <= response.status_code < 300:
            log.warning("%s: %s answered %s", self.name, self.endpoint, response.status_code)
            return False
        return True
