"""Running the mail consumer and sender: inside the app (a lifespan hook) or on its own
(`python -m press.delivery.worker`, with DATABASE_URL and PRESS_SMTP_URL set)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

from press.db import Database, PoolDatabase
from press.delivery.queue import expand_pending_events
from press.delivery.sender import MailSender, SenderConfig
from press.delivery.workflow_mail import expand_workflow_events
from press.ops.logs import action_id
from press.settings import Settings
from press.waiting import wait_at_most

if TYPE_CHECKING:  # prometheus_client is imported once `press serve` has chosen its mode
    from press.ops.metrics import Metrics

log = logging.getLogger("press.delivery")
POLL_SECONDS = 1.0


async def run_mail_workers(
    database: Database,
    settings: Settings,
    config: SenderConfig,
    stop: asyncio.Event,
    poll_seconds: float = POLL_SECONDS,
    metrics: Metrics | None = None,
) -> None:
    """Expand outbox events and send due mail until `stop` is set. Sleeps only when there
    was nothing to do; a crash of one round is logged and the next round tries again."""
    sender = MailSender(database, settings, config)
    sender.metrics = metrics
    while not stop.is_set():
        busy = 0
        try:
            async with database.acquire() as conn:
                busy += await expand_pending_events(conn)
                busy += await expand_workflow_events(conn)
            started = time.perf_counter()
            tried = await sender.send_due()
            if tried:
                _report(tried, sender.outcomes, time.perf_counter() - started)
            busy += tried
        except Exception:
            log.exception("mail round failed; retrying")
        if not busy:
            await wait_at_most(stop, poll_seconds)


def _report(tried: int, outcomes: Mapping[str, int], seconds: float) -> None:
    """One line per send-out round: how many e-mails were tried and how they went."""
    log.info(
        "mail send-out: %d tried",
        tried,
        extra={
            "event": "mail_send_out",
            "request_id": action_id("mail"),
            "tried": tried,
            **{f"mail_{outcome}": n for outcome, n in sorted(outcomes.items())},
            "duration_ms": round(seconds * 1000, 1),
        },
    )


def mail_lifespan(settings: Settings) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """A Litestar lifespan hook running the mail workers beside the app, when
    settings.run_workers and settings.smtp_url are both set."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if not (settings.run_workers and settings.smtp_url):
            yield
            return
        stop = asyncio.Event()
        config = SenderConfig(rate=settings.mail_rate)
        metrics = getattr(app.state, "metrics", None)
        task = asyncio.create_task(
            run_mail_workers(app.state.db, settings, config, stop, metrics=metrics)
        )
        try:
            yield
        finally:
            stop.set()
            await task

    return lifespan


async def _main(config: SenderConfig) -> None:
    settings = Settings.from_env().with_secret_key()
    assert settings.database_url, "set DATABASE_URL"
    database = await PoolDatabase.open(settings.database_url, 1, config.connections + 2)
    try:
        await run_mail_workers(database, settings, config, asyncio.Event(), poll_seconds=0.2)
    finally:
        await database.close()


if __name__ == "__main__":  # pragma: no cover - run by tests and the benchmark as a process
    import os

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(
        _main(
            SenderConfig(
                rate=float(os.environ.get("PRESS_MAIL_RATE", "20")),
                batch=int(os.environ.get("PRESS_MAIL_BATCH", "50")),
                connections=int(os.environ.get("PRESS_MAIL_CONNECTIONS", "4")),
                lease_seconds=float(os.environ.get("PRESS_MAIL_LEASE_SECONDS", "120")),
            )
        )
    )
