"""Is the embargo engine keeping up? The overdue alarm for /readyz and a /metrics page.

/metrics is for the operator's monitoring, not the public: it answers only a request that
carries the bearer token of PRESS_METRICS_TOKEN, and without that setting it is not there
at all (404 to everyone).
"""

from __future__ import annotations

import hmac
from typing import Any

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State

from press.embargo import repository
from press.errors import NotAuthenticated, NotFound


async def lift_health(conn: asyncpg.Connection, overdue_after: int) -> dict[str, Any]:
    """Releases due longer ago than `overdue_after` seconds that the lift loop has not
    recorded: their publication side effects (webhooks, e-mail) are late. Counting them tells
    nothing new to the public, since they are public already."""
    overdue, oldest = await repository.lift_overdue(conn, overdue_after)
    return {"overdue_releases": overdue, "oldest_overdue_seconds": round(oldest, 3)}


def _metric(lines: list[str], name: str, kind: str, help_text: str, value: float) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name} {value:g}"]


def check_metrics_token(expected: str | None, authorization: str | None) -> None:
    """Let the request through only with `Authorization: Bearer <expected>`."""
    if expected is None:
        raise NotFound()
    scheme, _, offered = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        offered.strip().encode(), expected.encode()
    ):
        raise NotAuthenticated("Send the metrics token (PRESS_METRICS_TOKEN) as a bearer token.")


@get(
    "/metrics",
    summary="Prometheus metrics of the lift loop and webhooks (bearer PRESS_METRICS_TOKEN)",
    tags=["health"],
    include_in_schema=False,
)
async def metrics(request: Request[Any, Any, Any], state: State) -> Response[str]:
    settings = state.settings
    check_metrics_token(settings.metrics_token, request.headers.get("authorization"))
    async with state.db.acquire() as conn:
        overdue, oldest = await repository.lift_overdue(conn, settings.lift_overdue_seconds)
        pending, failed = await repository.webhook_backlog(conn)
    lift_loop = getattr(state, "lift_loop", None)
    lines: list[str] = []
    _metric(
        lines,
        "press_lift_overdue_releases",
        "gauge",
        f"Releases due over {settings.lift_overdue_seconds}s ago and not yet lifted.",
        overdue,
    )
    _metric(
        lines,
        "press_lift_oldest_overdue_seconds",
        "gauge",
        "How long ago the oldest overdue release was due.",
        oldest,
    )
    _metric(
        lines,
        "press_lift_leader",
        "gauge",
        "1 if this instance leads the lift loop.",
        1 if lift_loop is not None and lift_loop.is_leader else 0,
    )
    _metric(lines, "press_webhook_deliveries_pending", "gauge", "Deliveries not yet made.", pending)
    _metric(lines, "press_webhook_deliveries_failed", "gauge", "Deliveries given up.", failed)
    return Response(
        "\n".join(lines) + "\n",
        # The framework adds "; charset=utf-8" to every text/ type itself.
        media_type="text/plain; version=0.0.4",
        headers={"Cache-Control": "no-store"},
    )
