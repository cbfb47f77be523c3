"""Reading the audit log: who may, and by which filters. The staff API and the console both
read it through `read_audit`."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
import msgspec

from press.staff import repository
from press.staff.auth import require
from press.staff.schemas import AuditEntry, Role, StaffUser


class AuditFilters(msgspec.Struct, frozen=True):
    """Entries by this actor, of this action, about this entity (and id), in [since, until)."""

    actor_id: UUID | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def read_audit(
    conn: asyncpg.Connection,
    user: StaffUser,
    filters: AuditFilters,
    *,
    before_id: int | None,
    limit: int,
) -> list[AuditEntry]:
    """Entries newest first, below `before_id` when given."""
    require(user, Role.approver, "read the audit log")
    return await repository.list_audit(
        conn,
        actor_id=filters.actor_id,
        action=filters.action,
        entity=filters.entity,
        entity_id=filters.entity_id,
        since=filters.since,
        until=filters.until,
        before_id=before_id,
        limit=limit,
    )
