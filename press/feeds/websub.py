"""WebSub (W3C Recommendation): tell a hub that the public release feeds changed.

With PRESS_WEBSUB_HUB set, the public RSS and Atom feeds name the hub and themselves in a
`Link` header (and Atom in the feed), and after each public change (a publication at its
lift, a correction, a withdrawal, an event) the hub gets a `hub.mode=publish` naming the
feeds, so aggregators that subscribed fetch them at once instead of at their next poll.

The pinger reads the outbox at a position of its own (`outbox_consumers`, row `websub`), so
it hears of a change only after it committed: after the lift, never of an embargo (internal
events are not public). One instance pings at a time (the position's row lock, SKIP LOCKED),
and the position moves only when the hub accepted: each change is announced at least once,
retried with backoff while the hub is down, and not once per instance.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx

from press.db import Database
from press.embargo.repository import Q
from press.embargo.webhooks import (
    backoff_seconds,
    keep_serving,
    outbound_client,
    serve_outbox,
)

log = logging.getLogger("press.feeds.websub")
CONSUMER = "websub"
BATCH = 500


def topic_urls(public_url: str) -> list[str]:
    """The feeds a hub is told about: RSS and Atom, in every language and in none."""
    return [
        f"{public_url}/feeds/releases.{kind}{query}"
        for kind in ("rss", "atom")
        for query in ("", "?lang=fi", "?lang=sv", "?lang=en")
    ]


class HubPinger:
    def __init__(
        self,
        db: Database,
        database_url: str,
        hub: str,
        public_url: str,
        *,
        timeout_seconds: float = 10.0,
        backoff_base: float = 10.0,
    ) -> None:
        self.db = db
        self.database_url = database_url
        self.hub = hub
        self.topics = topic_urls(public_url)
        self.timeout_seconds = timeout_seconds
        self.backoff_base = backoff_base
        self._failures = 0
        self._retry_at = 0.0
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Until cancelled; a lost database connection is retried after a pause."""
        async with outbound_client(self.timeout_seconds) as client:
            await keep_serving(
                lambda: serve_outbox(self.database_url, self._wake, lambda: self.ping_once(client)),
                "WebSub pinger",
            )

    async def ping_once(self, client: httpx.AsyncClient) -> bool:
        """Announce the changes since the position, if any; True if more may be waiting."""
        if time.monotonic() < self._retry_at:
            return False
        async with self.db.acquire() as conn, conn.transaction():
            position = await conn.fetchrow(Q["lock_outbox_consumer"], CONSUMER)
            if position is None:  # another instance is at it
                return False
            events = await conn.fetch(
                Q["next_outbox_events"], position["last_txid"], position["last_seq"], BATCH
            )
            if not events:
                return False
            public = await conn.fetch(Q["outbox_event_types"], [e["id"] for e in events])
            if public and not await self._publish(client):
                self._failures += 1
                self._retry_at = time.monotonic() + backoff_seconds(
                    self._failures, self.backoff_base
                )
                return False
            self._failures = 0
            last = events[-1]
            await conn.execute(Q["advance_outbox_consumer"], CONSUMER, last["txid"], last["seq"])
            return len(events) >= BATCH

    async def _publish(self, client: httpx.AsyncClient) -> bool:
        # A list value is sent as the key repeated: hub.url=…&hub.url=…
        form = {"hub.mode": "publish", "hub.url": self.topics}
        try:
            response = await client.post(self.hub, data=form)
        except httpx.HTTPError as exc:
            log.warning("WebSub hub %s did not answer: %s", self.hub, exc)
            return False
        if not 200 <= response.status_code < 300:
            log.warning("WebSub hub %s answered %s", self.hub, response.status_code)
            return False
        return True
