"""The application factory: the one place that knows every domain."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, cast

import msgspec
from litestar import Litestar, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import Components
from litestar.types import ASGIApp

from press import __version__
from press.apidocs import api_reference_plugin, get_api_reference_asset
from press.archive.controllers import (
    ManageFileController,
    PublicFileController,
    get_archive,
    get_press_kit,
    list_media_bank,
    list_release_files,
)
from press.contacts.controllers import ContactController
from press.contacts.media import MediaContactController
from press.contacts.outlets import OutletController
from press.contacts.self_service import PrivacyController
from press.contacts.subscriptions import SubscriptionController
from press.db import Database, PoolDatabase, TransactionMiddleware, provide_conn
from press.delivery.controllers import DeliveryController
from press.delivery.worker import mail_lifespan
from press.edge import Edge
from press.embargo.controllers import (
    EmbargoedReleaseController,
    JournalistTokenController,
    ScheduleController,
)
from press.embargo.health import lift_health
from press.embargo.profile import JournalistProfileController
from press.embargo.webhook_controllers import WebhookController
from press.embargo.workers import embargo_workers
from press.errors import exception_handlers
from press.events.controllers import ManageEventController, PublicEventController
from press.feeds.controllers import FeedController
from press.feeds.directory import list_feeds
from press.feeds.private import PrivateFeedController
from press.log_redaction import redact_logs
from press.migrations import MigrationError, migration_status
from press.ops.logs import wants_json
from press.ops.metrics import Metrics
from press.ops.request_log import RequestLog, request_lines
from press.ops.scrape import metrics
from press.problem_responses import SECURITY_SCHEMES, ProblemResponses
from press.public_cache import PublicCache
from press.reference import ReferenceController
from press.releases.controllers import (
    ManageReleaseController,
    PublicReleaseController,
    public_list_early,
)
from press.releases.public import PUBLIC_LIST_PARAMETERS
from press.releases.sitemap import robots, sitemap
from press.replica import ReadReplica
from press.settings import Settings
from press.staff.auth import PasswordChecks
from press.staff.controllers import AuditController, AuthController, StaffUserController
from press.staff.idempotency import IdempotencyMiddleware
from press.struct_schemas import StructSchemas
from press.web.pages import page_exception_handlers, page_handlers, template_config

log = logging.getLogger("press")


@get("/healthz", summary="The process is alive", tags=["health"], include_in_schema=True)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/readyz",
    summary="The database answers and its migrations are current",
    tags=["health"],
    responses={
        200: ResponseSpec(dict[str, Any], description="`status` is ok, or says what is late"),
        503: ResponseSpec(dict[str, Any], description="Not ready: `status` says why"),
    },
)
async def readyz(state: State) -> Response[bytes]:
    detail: dict[str, Any] = {"status": "ok"}
    status = 200
    try:
        async with state.db.acquire() as conn:
            _, pending = await migration_status(conn)
            if not pending:
                lift = await lift_health(conn, state.settings.lift_overdue_seconds)
        if pending:
            status, detail = 503, {"status": "migrations pending", "pending": pending}
        elif lift["overdue_releases"]:
            # Still ready to serve (visibility does not depend on the loop), but side effects
            # of a publication are late: say so for monitoring.
            detail = {"status": "lift overdue", "lift": lift}
    except (MigrationError, OSError, Exception) as exc:
        status, detail = 503, {"status": "database unavailable", "error": type(exc).__name__}
    if state.public_reads is not None:
        # Never a reason to fail: a replica down or behind is bypassed (press.replica).
        detail["read_replica"] = state.public_reads.report()
    return Response(
        msgspec.json.encode(detail),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


class SchemaBehind(RuntimeError):
    """The database's schema is older than this press: serving would answer 500s."""


async def refuse_a_schema_behind(db: PoolDatabase) -> None:
    """Stop start-up, in one line naming the command to run, unless the schema is current."""
    try:
        async with db.acquire() as conn:
            _, pending = await migration_status(conn)
    except MigrationError as exc:
        await db.close()
        raise SchemaBehind(f"not serving: {exc}") from None
    if pending:
        await db.close()
        raise SchemaBehind(
            f"not serving: {len(pending)} migration(s) pending ({pending[0]} first): "
            "run `press db migrate`"
        )


def freeze_startup_objects() -> None:
    """Leave what startup made (modules, routes, the app) out of garbage collection.

    A full collection walks every tracked object: with the libraries loaded that took about
    50 ms, a stall that landed on whichever requests were in flight. Objects made before
    the server accepts requests live as long as the process anyway."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def read_replica(app: Litestar, settings: Settings) -> AsyncIterator[None]:
    """Public reads on `PRESS_DATABASE_READ_URL` while it is current (press.replica). Its
    pool opens no connection up front: a replica down at start-up is bypassed, not fatal."""
    if not settings.database_read_url:
        yield
        return
    cache: PublicCache = app.state.public_cache
    replica = await PoolDatabase.open(settings.database_read_url, 0, settings.pool_max)
    reads = ReadReplica(
        app.state.db, replica, settings.read_replica_max_lag_seconds, lambda: cache.enabled
    )
    cache.on_invalidate = reads.heard_change
    poller = asyncio.create_task(reads.run())
    app.state.public_reads = reads
    try:
        yield
    finally:
        app.state.public_reads = None
        cache.on_invalidate = None
        poller.cancel()
        with suppress(asyncio.CancelledError):
            await poller
        await replica.close()


@asynccontextmanager
async def flush_metrics(app: Litestar) -> AsyncIterator[None]:
    """Lifespan hook: hand this worker's tallies to prometheus_client every second, so a
    scrape answered by another worker sees them; on the way out, the last ones."""

    async def every_second() -> None:
        while True:
            await asyncio.sleep(1)
            app.state.metrics.flush(app.state)

    task = asyncio.create_task(every_second(), name="press-metrics")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.metrics.flush(app.state)
        app.state.metrics.worker_exits()
        if app.state.request_lines is not None:
            app.state.request_lines.flush()


def create_app(settings: Settings | None = None, database: Database | None = None) -> Litestar:
    """Build the app. Without `database`, a pool to `settings.database_url` is opened."""
    settings = settings or Settings.from_env()
    redact_logs()

    @asynccontextmanager
    async def open_pool(app: Litestar) -> AsyncIterator[None]:
        if database is not None:  # given by the caller (tests), who also closes it
            yield
            return
        if not settings.database_url:
            raise RuntimeError("no database: set DATABASE_URL or start with `press serve`")
        app.state.db = await PoolDatabase.open(
            settings.database_url, settings.pool_min, settings.pool_max
        )
        await refuse_a_schema_behind(app.state.db)
        freeze_startup_objects()
        stop = asyncio.Event()
        # The cache is on only while it listens: with PRESS_PUBLIC_CACHE_MB=0 it never is.
        listener = None
        if settings.public_cache_mb > 0:
            cache = app.state.public_cache
            listener = asyncio.create_task(cache.listen(settings.database_url, stop))
        try:
            async with read_replica(app, settings):
                yield
        finally:
            stop.set()
            if listener is not None:
                await listener
            await app.state.db.close()

    app = Litestar(
        route_handlers=[
            healthz,
            readyz,
            get_api_reference_asset,
            AuthController,
            AuditController,
            StaffUserController,
            ManageReleaseController,
            PublicReleaseController,
            sitemap,
            robots,
            ReferenceController,
            ManageEventController,
            PublicEventController,
            FeedController,
            list_feeds,
            PrivateFeedController,
            JournalistTokenController,
            EmbargoedReleaseController,
            JournalistProfileController,
            ScheduleController,
            WebhookController,
            metrics,
            ContactController,
            OutletController,
            MediaContactController,
            SubscriptionController,
            PrivacyController,
            DeliveryController,
            ManageFileController,
            PublicFileController,
            get_press_kit,
            get_archive,
            list_release_files,
            list_media_bank,
            *page_handlers(),
        ],
        dependencies={"conn": Provide(provide_conn)},
        # Outermost first: the idempotency middleware claims a key and keeps an answer in the
        # transaction that TransactionMiddleware commits.
        middleware=[TransactionMiddleware, IdempotencyMiddleware],
        # StructSchemas before Litestar's own schema of a Struct, which it stands in for.
        plugins=[ProblemResponses(), StructSchemas()],
        exception_handlers={**exception_handlers, **page_exception_handlers},
        template_config=template_config(),
        lifespan=[open_pool, embargo_workers, mail_lifespan(settings), flush_metrics],
        state=app_state(settings, database),
        # Logging is `press serve`'s (press.ops.logs.log_config). Litestar's default
        # configuration would put a handler of its own on the root logger, in place of
        # press's: every record that reaches the root (asyncio's, asyncpg's, a library's)
        # would then be written as plain text, its traceback in loose lines, unredacted.
        logging_config=None,
        openapi_config=OpenAPIConfig(
            title="press",
            version=__version__,
            description="Press releases, embargoes, feeds and media contacts of the city.",
            path="/schema",
            components=Components(security_schemes=dict(SECURITY_SCHEMES)),
            render_plugins=[api_reference_plugin()],
        ),
    )
    return with_edge(app, cast("Any", app.asgi_handler))


def app_state(settings: Settings, database: Database | None) -> State:
    """What an app keeps for its lifetime: its settings, database, caches and tallies."""
    return State(
        {
            "settings": settings,
            "db": database,
            "public_reads": None,  # a ReadReplica with PRESS_DATABASE_READ_URL
            "public_cache": PublicCache(max_bytes=settings.public_cache_mb * 1024 * 1024),
            "password_checks": PasswordChecks(),
            "metrics": Metrics(),
            "request_lines": (
                request_lines(wants_json(settings.log_format)) if settings.request_log else None
            ),
        }
    )


def with_edge(app: Litestar, handler: Any) -> Litestar:
    """The framework's `handler` inside the request log and the edge, on `app`'s state."""
    # Every answer is timed, counted and logged: the app's by the request log around it,
    # the edge's by the edge itself.
    requests = RequestLog(handler, app.state.metrics, app.state.request_lines)
    # Outermost, before routing: HEAD, what the public cache can answer, and the public list.
    edge = Edge(
        requests,
        app.state.public_cache,
        early={PublicReleaseController.path: (PUBLIC_LIST_PARAMETERS, public_list_early)},
        requests=requests,
    )
    app.asgi_handler = cast("ASGIApp", edge)
    return app
