"""GET /metrics: Prometheus's text format, for the operator's monitoring only.

It answers only a request that carries the bearer token of PRESS_METRICS_TOKEN, and without
that setting it is not there at all (404 to everyone). The answer is what prometheus_client
holds (press.ops.metrics: requests, the public cache, lifts, attempts, the pool) followed by
what the database says now (overdue lifts, backlogs and their ages) and the data
directory's disk.
"""

from __future__ import annotations

import hmac
from typing import Any

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State

from press.embargo import repository
from press.errors import NotAuthenticated, NotFound
from press.ops.metrics import Q, data_dir_usage
from press.settings import Settings

Sample = tuple[dict[str, str], float]


def check_metrics_token(expected: str | None, authorization: str | None) -> None:
    """Let the request through only with `Authorization: Bearer <expected>`."""
    if expected is None:
        raise NotFound()
    scheme, _, offered = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        offered.strip().encode(), expected.encode()
    ):
        raise NotAuthenticated("Send the metrics token (PRESS_METRICS_TOKEN) as a bearer token.")


def gauge(lines: list[str], name: str, help_text: str, samples: list[Sample]) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in samples:
        inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
        lines.append(f"{name}{{{inner}}} {value:g}" if inner else f"{name} {value:g}")


def running_consumers(settings: Settings) -> list[str]:
    """The outbox consumers this configuration runs: a consumer that is not configured
    (no WebSub hub, no CDN) never moves, and is no alarm."""
    if not settings.run_workers:
        return []
    names = ["storage", "webhooks"]
    if settings.websub_hub:
        names.append("websub")
    if settings.cdn_purge_url:
        names.append("cdn")
    return names


async def database_gauges(conn: asyncpg.Connection, settings: Settings) -> list[str]:
    overdue, oldest = await repository.lift_overdue(conn, settings.lift_overdue_seconds)
    pending, failed = await repository.webhook_backlog(conn)
    outbox = await conn.fetch(Q["outbox_backlog"], running_consumers(settings))
    webhooks = await conn.fetchrow(Q["webhook_queue"])
    mail = await conn.fetchrow(Q["mail_queue"])
    lines: list[str] = []
    due = f"Releases due over {settings.lift_overdue_seconds}s ago and not yet lifted."
    gauge(lines, "press_lift_overdue_releases", due, [({}, overdue)])
    gauge(
        lines,
        "press_lift_oldest_overdue_seconds",
        "How long ago the oldest overdue release was due.",
        [({}, oldest)],
    )
    gauge(lines, "press_webhook_deliveries_pending", "Deliveries not yet made.", [({}, pending)])
    gauge(lines, "press_webhook_deliveries_failed", "Deliveries given up.", [({}, failed)])
    gauge(
        lines,
        "press_webhook_queue_oldest_seconds",
        "Age of the oldest webhook delivery still waiting to be made.",
        [({}, webhooks["oldest_seconds"])],
    )
    gauge(
        lines,
        "press_outbox_backlog_events",
        "Outbox events a consumer has not yet handled.",
        [({"consumer": r["consumer"]}, r["events"]) for r in outbox],
    )
    gauge(
        lines,
        "press_outbox_oldest_seconds",
        "Age of the oldest outbox event a consumer has not yet handled (0: none waits).",
        [({"consumer": r["consumer"]}, r["oldest_seconds"]) for r in outbox],
    )
    gauge(
        lines, "press_mail_queue_messages", "E-mails waiting to be sent.", [({}, mail["waiting"])]
    )
    gauge(
        lines,
        "press_mail_queue_oldest_seconds",
        "Age of the oldest e-mail waiting to be sent.",
        [({}, mail["oldest_seconds"])],
    )
    return lines


def disk_gauges(settings: Settings) -> list[str]:
    usage = data_dir_usage(settings.data_dir)
    if usage is None:
        return []
    lines: list[str] = []
    gauge(
        lines,
        "press_data_dir_free_bytes",
        "Bytes free to press on the file system of PRESS_DATA_DIR.",
        [({}, usage[0])],
    )
    gauge(
        lines,
        "press_data_dir_size_bytes",
        "Size of the file system of PRESS_DATA_DIR.",
        [({}, usage[1])],
    )
    return lines


@get(
    "/metrics",
    summary="Prometheus metrics (bearer PRESS_METRICS_TOKEN)",
    tags=["health"],
    include_in_schema=False,
)
async def metrics(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    settings: Settings = state.settings
    check_metrics_token(settings.metrics_token, request.headers.get("authorization"))
    async with state.db.acquire() as conn:
        lines = await database_gauges(conn, settings)
    lines += disk_gauges(settings)
    state.metrics.flush(state)
    body = state.metrics.exposition() + "\n".join(lines).encode() + b"\n"
    return Response(
        body,
        # The framework adds "; charset=utf-8" to every text/ type itself.
        media_type="text/plain; version=0.0.4",
        headers={"Cache-Control": "no-store"},
    )
