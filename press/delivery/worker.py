"""Running the mail consumer and sender: inside the app (a lifespan hook) or on its own
(`python -m press.delivery.worker`, with DATABASE_URL and PRESS_SMTP_URL set)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from press.db import Database, PoolDatabase
from press.delivery.queue import expand_pending_events
from press.delivery.sender import MailSender, SenderConfig
from press.delivery.workflow_mail import expand_workflow_events
from press.settings import Settings

log = logging.getLogger("press.delivery")
POLL_SECONDS = 1.0


async def run_mail_workers(
    database: Database,
    settings: Settings,
    config: SenderConfig,
    stop: asyncio.Event,
    poll_seconds: float = POLL_SECONDS,
) -> None:
    """Expand outbox events and send due mail until `stop` is set. Sleeps only when there
    was nothing to do; a crash of one round is logged and the next round tries again."""
    sender = MailSender(database, settings, config)
    while not stop.is_set():
        busy = 0
        try:
            async with database.acquire() as conn:
                busy += await expand_pending_events(conn)
                busy += await expand_workflow_events(conn)
            busy += await sender.send_due()
        except Exception:
            log.exception("mail round failed; retrying")
        if not busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)


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
        task = asyncio.create_task(run_mail_workers(app.state.db, settings, config, stop))
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
