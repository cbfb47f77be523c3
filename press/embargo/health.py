"""Is the embargo engine keeping up? The overdue alarm for /readyz and the console (its
metrics for Prometheus are in press.ops.scrape)."""

from __future__ import annotations

from typing import Any

import asyncpg

from press.embargo import repository


async def lift_health(conn: asyncpg.Connection, overdue_after: int) -> dict[str, Any]:
    """Releases due longer ago than `overdue_after` seconds that the lift loop has not
    recorded: their publication side effects (webhooks, e-mail) are late. Counting them tells
    nothing new to the public, since they are public already."""
    overdue, oldest = await repository.lift_overdue(conn, overdue_after)
    return {"overdue_releases": overdue, "oldest_overdue_seconds": round(oldest, 3)}
