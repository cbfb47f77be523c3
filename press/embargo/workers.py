"""The embargo engine's background work, started with the app when `run_workers` is set:
the lift loop (one leader among instances), the webhook sender, the collector of deleted
files' bytes and, when configured, the WebSub pinger and the CDN purger (every instance; one
at a time announces)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar

from press.archive.collector import ObjectCollector
from press.archive.files import storage_for
from press.cdn import CdnPurger
from press.embargo.announce import Announcer
from press.embargo.lift import LiftLoop
from press.embargo.webhooks import sender_from_settings
from press.feeds.websub import HubPinger

log = logging.getLogger("press.embargo")


@asynccontextmanager
async def embargo_workers(app: Litestar) -> AsyncIterator[None]:
    """Lifespan hook: run the workers beside the app, cancel them on shutdown."""
    settings, db = app.state.settings, app.state.db
    url = getattr(db, "url", "") or settings.database_url
    if not settings.run_workers or not url:
        app.state.lift_loop = None
        yield
        return
    metrics = getattr(app.state, "metrics", None)
    lift = LiftLoop(url, poll_seconds=settings.lift_poll_seconds, metrics=metrics)
    app.state.lift_loop = lift
    webhooks = sender_from_settings(db, url, settings)
    webhooks.metrics = metrics
    tasks = [
        asyncio.create_task(lift.run(), name="press-lift-loop"),
        asyncio.create_task(webhooks.run(), name="press-webhooks"),
        asyncio.create_task(
            ObjectCollector(db, url, storage_for(settings)).run(), name="press-storage"
        ),
    ]
    timing = {
        "timeout_seconds": settings.webhook_timeout_seconds,
        "backoff_base": settings.webhook_backoff_seconds,
    }
    announcers: list[Announcer] = []
    if settings.websub_hub:
        announcers.append(HubPinger(db, url, settings.websub_hub, settings.public_url, **timing))
    if settings.cdn_purge_url:
        token = settings.cdn_purge_token
        endpoint = settings.cdn_purge_url
        announcers.append(CdnPurger(db, url, endpoint, settings.public_url, token=token, **timing))
    tasks += [asyncio.create_task(a.run(), name=f"press-{a.consumer}") for a in announcers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
