"""Webhook delivery: from the outbox to signed HTTP POSTs, at least once, with retries.

Every instance runs a `WebhookSender`. It fans new outbox events out into one delivery row per
matching subscription (one instance at a time, at the `webhooks` consumer's own position in
the outbox, which other consumers such as e-mail do not share), then claims due deliveries with
`FOR UPDATE SKIP LOCKED`, so instances send side by side without sending one twice. A claim is
a lease: the row's next attempt moves past the request timeout, and the attempt's result
replaces it; an instance that dies mid-request leaves a claim that lapses and is retried. The
`webhook-id` is the delivery's id, the same on every attempt, so a receiver deduplicates.
Deliveries connect only to the addresses press/embargo/webhook_targets.py allows, and the
attempt log says what happened in a few fixed words (never the receiver's answer or the
network's error text), so the log tells nothing about hosts beyond a receiver's status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import asyncpg
import httpx
import msgspec

from press import __version__
from press.db import Database, connect
from press.embargo import repository
from press.embargo.schemas import ClaimedDelivery
from press.embargo.signing import signature_headers
from press.embargo.webhook_targets import (
    CheckedTransport,
    Resolver,
    TargetRefused,
    resolve,
    target_policy,
)
from press.ops.logs import action_id
from press.waiting import wait_at_most

if TYPE_CHECKING:  # prometheus_client is imported once `press serve` has chosen its mode
    from press.ops.metrics import Metrics

log = logging.getLogger("press.embargo.webhooks")

OUTBOX_CHANNEL = "press_outbox"  # notified by a trigger on outbox inserts (0002)
POLL_SECONDS = 1.0  # retries come due without a NOTIFY; look this often
MAX_BACKOFF_SECONDS = 3600.0
FAN_OUT_BATCH = 500
IN_FLIGHT = 20  # requests one instance has open at once


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff with equal jitter: half the step fixed, half random, so
    receivers that came back up are not hit by every sender at the same instant."""
    step = min(base * 2.0 ** max(0, attempt - 1), MAX_BACKOFF_SECONDS)
    return step / 2 + random.uniform(0, step / 2)  # noqa: S311 - jitter, not cryptography


def delivery_body(delivery: ClaimedDelivery) -> bytes:
    return msgspec.json.encode(
        {"type": delivery.event_type, "timestamp": delivery.occurred_at, "data": delivery.payload}
    )


def outbound_client(
    timeout_seconds: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The HTTP client of outbound notifications: no retries of its own, no redirects. With
    a `transport` of its own (the webhooks' checked one), proxies from the environment are
    not used either: a proxy would connect wherever it is asked."""
    return httpx.AsyncClient(
        transport=transport or httpx.AsyncHTTPTransport(retries=0),
        timeout=timeout_seconds,
        follow_redirects=False,
        headers={"user-agent": f"press/{__version__}"},
        trust_env=transport is None,
    )


def attempt_error(exc: Exception) -> str:
    """What the delivery log says of a failed attempt: a fixed phrase per kind of failure,
    so that it never tells a closed port from a filtered one or quotes a host's answer."""
    if isinstance(exc, TargetRefused):
        return "refused: the address is not one webhooks are sent to"
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return "could not connect"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    return "the answer could not be read"


async def keep_serving(serve: Callable[[], Awaitable[None]], what: str) -> None:
    """Run `serve` until cancelled, starting it again after a lost connection or a bug."""
    while True:
        try:
            await serve()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("%s lost its database connection: %s", what, exc)
        except Exception:
            log.exception("%s failed; restarting it", what)
        await asyncio.sleep(POLL_SECONDS)


async def serve_outbox(
    database_url: str, wake: asyncio.Event, round_: Callable[[], Awaitable[bool]]
) -> None:
    """Run `round_` whenever the outbox may have news: at once while it reports more work,
    else when an outbox insert NOTIFYs (on a connection of its own) or POLL_SECONDS pass."""
    listener = await connect(database_url)
    try:
        await listener.add_listener(OUTBOX_CHANNEL, lambda *_: wake.set())
        while True:
            wake.clear()
            if not await round_():
                await wait_at_most(wake, POLL_SECONDS)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.shield(listener.close(timeout=2))


class WebhookSender:
    """Drains the outbox into webhook deliveries and sends them."""

    def __init__(
        self,
        db: Database,
        database_url: str,
        *,
        timeout_seconds: float = 10.0,
        max_attempts: int = 8,
        backoff_base: float = 10.0,
        allow_networks: Sequence[str] = (),
        resolver: Resolver = resolve,
    ) -> None:
        self.db = db
        self.database_url = database_url
        self.timeout_seconds = timeout_seconds
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.policy = target_policy(tuple(allow_networks))
        self.resolver = resolver
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self.metrics: Metrics | None = None  # counts attempts when set (press.ops.metrics)

    async def run(self) -> None:
        """Until cancelled; a lost database connection is retried after a pause."""
        transport = CheckedTransport(self.policy, self.resolver)
        async with outbound_client(self.timeout_seconds, transport) as client:
            await keep_serving(lambda: self._serve(client), "webhook sender")

    async def _serve(self, client: httpx.AsyncClient) -> None:
        try:
            await serve_outbox(self.database_url, self._wake, lambda: self._round(client))
        finally:
            # Attempts cut short here are retried when their lease runs out.
            for task in list(self._in_flight):
                task.cancel()

    async def _round(self, client: httpx.AsyncClient) -> bool:
        busy = await self.fan_out()
        return await self.send_due(client) or busy

    async def fan_out(self) -> bool:
        """Create deliveries for new events; True if a full batch was read (more may wait)."""
        async with self.db.acquire() as conn, conn.transaction():
            read = await repository.fan_out_outbox(conn, FAN_OUT_BATCH)
        return read is not None and read >= FAN_OUT_BATCH

    async def send_due(self, client: httpx.AsyncClient) -> bool:
        """Claim due deliveries for the free request slots and start sending them; True if
        every free slot was filled (more may be due). A slow receiver holds only its own
        slots: each attempt runs on its own and wakes the loop when it ends."""
        free = IN_FLIGHT - len(self._in_flight)
        if free <= 0:
            return False
        lease = self.timeout_seconds + 5.0
        async with self.db.acquire() as conn, conn.transaction():
            claimed = await repository.claim_deliveries(conn, free, lease)
        for delivery in claimed:
            task = asyncio.create_task(self._attempt(client, delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._attempt_done)
        return len(claimed) >= free

    def _attempt_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook attempt failed to record", exc_info=task.exception())
        self._wake.set()

    async def _attempt(self, client: httpx.AsyncClient, delivery: ClaimedDelivery) -> None:
        body = delivery_body(delivery)
        headers = {
            "content-type": "application/json",
            **signature_headers(delivery.secret, f"msg_{delivery.id.hex}", int(time.time()), body),
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            response = await client.post(delivery.url, content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (httpx.HTTPError, TargetRefused) as exc:
            error = attempt_error(exc)
        duration_ms = int((time.monotonic() - started) * 1000)
        await self._record(delivery, status, error, duration_ms)

    async def _record(
        self, delivery: ClaimedDelivery, status: int | None, error: str | None, duration_ms: int
    ) -> None:
        if error is None:
            state, retry_in = "delivered", 0.0
        elif delivery.attempts >= self.max_attempts:
            state, retry_in = "failed", 0.0
            log.warning("webhook delivery %s failed for good: %s", delivery.id, error)
        else:
            state, retry_in = "pending", backoff_seconds(delivery.attempts, self.backoff_base)
        async with self.db.acquire() as conn, conn.transaction():
            await repository.record_delivery_attempt(
                conn,
                delivery.id,
                state=state,
                retry_in=retry_in,
                status=status,
                error=error,
                duration_ms=duration_ms,
            )
        outcome = "delivered" if error is None else "failed" if state == "failed" else "retry"
        if self.metrics is not None:
            self.metrics.webhook_attempts.labels(outcome).inc()
        log.info(
            "webhook delivery %s: %s",
            delivery.id,
            outcome,
            extra={
                "event": "webhook_attempt",
                "request_id": action_id("webhook"),
                "delivery": str(delivery.id),
                "attempt": delivery.attempts,
                "outcome": outcome,
                "status": status,
                "error": error,
                "duration_ms": duration_ms,
            },
        )


def sender_from_settings(db: Database, database_url: str, settings: Any) -> WebhookSender:
    return WebhookSender(
        db,
        database_url,
        timeout_seconds=settings.webhook_timeout_seconds,
        max_attempts=settings.webhook_max_attempts,
        backoff_base=settings.webhook_backoff_seconds,
        allow_networks=settings.webhook_allow_networks,
    )
