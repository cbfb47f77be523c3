"""Staff users, tokens, login throttling and the audit log: the only code running their SQL."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.db import queries_beside, record_to, records_to
from press.staff.schemas import AuditEntry, StaffUser

Q = queries_beside(__file__)
# Passwords checked per address in 15 minutes; attempts past them wait out a 15-minute lock.
LOGIN_ATTEMPTS = 5


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def create_staff_user(
    conn: asyncpg.Connection, email: str, name: str, role: str, password_hash: str
) -> StaffUser:
    row = await conn.fetchrow(Q["create_staff_user"], email, name, role, password_hash)
    return record_to(StaffUser, row)


async def list_staff_users(
    conn: asyncpg.Connection,
    *,
    with_disabled: bool = False,
    after: tuple[str, UUID] | None = None,
    limit: int | None = None,
) -> list[StaffUser]:
    """Staff users by e-mail address, after the (e-mail, id) position `after`; all of them
    without `limit`."""
    position = after if after is not None else (None, None)
    rows = await conn.fetch(Q["list_staff_users"], with_disabled, *position, limit)
    return records_to(StaffUser, rows)


async def lock_staff_user(conn: asyncpg.Connection, user_id: UUID) -> StaffUser | None:
    row = await conn.fetchrow(Q["lock_staff_user"], user_id)
    return record_to(StaffUser, row) if row else None


async def staff_user_id(conn: asyncpg.Connection, email: str) -> UUID | None:
    user_id: UUID | None = await conn.fetchval(Q["staff_user_id"], email)
    return user_id


async def lock_active_admins(conn: asyncpg.Connection) -> list[UUID]:
    return [r["id"] for r in await conn.fetch(Q["lock_active_admins"])]


async def set_staff_disabled(conn: asyncpg.Connection, user_id: UUID, disabled: bool) -> StaffUser:
    return record_to(StaffUser, await conn.fetchrow(Q["set_staff_disabled"], user_id, disabled))


async def set_staff_role(conn: asyncpg.Connection, user_id: UUID, role: str) -> StaffUser:
    return record_to(StaffUser, await conn.fetchrow(Q["set_staff_role"], user_id, role))


async def set_staff_password(conn: asyncpg.Connection, user_id: UUID, password_hash: str) -> None:
    await conn.execute(Q["set_staff_password"], user_id, password_hash)


async def revoke_staff_tokens(conn: asyncpg.Connection, user_id: UUID) -> int:
    """Revoke every live token of the user; returns how many there were."""
    count: int = await conn.fetchval(Q["revoke_staff_tokens"], user_id)
    return count


async def fetch_login(conn: asyncpg.Connection, email: str) -> tuple[UUID, str, bool] | None:
    """The user's id, password hash, and whether they have a second factor on."""
    row = await conn.fetchrow(Q["fetch_login"], email)
    return (row["id"], row["password_hash"], row["second_factor"]) if row else None


async def claim_login_attempt(conn: asyncpg.Connection, email: str) -> float | None:
    """Count a sign-in attempt before its password is checked: None when it may be checked,
    else the seconds until the address may try again."""
    row = await conn.fetchrow(Q["claim_login_attempt"], email, LOGIN_ATTEMPTS)
    if row["locked_until"] is None:
        return None
    seconds: float = (row["locked_until"] - row["now"]).total_seconds()
    return max(1.0, seconds)


async def clear_login_failures(conn: asyncpg.Connection, email: str) -> None:
    await conn.execute(Q["clear_login_failures"], email)


async def create_staff_token(
    conn: asyncpg.Connection, user_id: UUID, token: str, ttl_hours: int
) -> datetime:
    expires_at: datetime = await conn.fetchval(
        Q["create_staff_token"], user_id, token_digest(token), ttl_hours
    )
    return expires_at


async def fetch_token_user(conn: asyncpg.Connection, token: str) -> StaffUser | None:
    row = await conn.fetchrow(Q["fetch_token_user"], token_digest(token))
    return record_to(StaffUser, row) if row else None


async def revoke_staff_token(conn: asyncpg.Connection, token: str) -> None:
    await conn.execute(Q["revoke_staff_token"], token_digest(token))


async def record_audit(
    conn: asyncpg.Connection,
    actor: StaffUser | None,
    action: str,
    entity: str,
    entity_id: object | None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Write one audit entry in the caller's transaction: it stands or falls with the change."""
    await conn.execute(
        Q["record_audit"],
        actor.id if actor else None,
        actor.email if actor else "system",
        action,
        entity,
        None if entity_id is None else str(entity_id),
        changes or {},
    )


async def list_audit(
    conn: asyncpg.Connection,
    *,
    actor_id: UUID | None,
    action: str | None,
    entity: str | None,
    entity_id: str | None,
    since: datetime | None,
    until: datetime | None,
    before_id: int | None,
    limit: int,
) -> list[AuditEntry]:
    rows = await conn.fetch(
        Q["list_audit"], actor_id, action, entity, entity_id, since, until, before_id, limit
    )
    return records_to(AuditEntry, rows)


async def set_staff_language(conn: asyncpg.Connection, user_id: UUID, lang: str) -> None:
    await conn.execute(Q["set_staff_language"], user_id, lang)


async def reset_second_factor(conn: asyncpg.Connection, user_id: UUID) -> bool:
    """Forget the user's TOTP secret and recovery codes; whether a second factor was on."""
    was_on: bool = await conn.fetchval(Q["reset_second_factor"], user_id)
    return was_on


class KeyedRequest(msgspec.Struct, frozen=True):
    """What a staff user sent first with an Idempotency-Key, and the answer it got (null
    only inside that request's own transaction)."""

    method: str
    target: str
    body_sha256: bytes
    status: int | None
    headers: list[tuple[str, str]] | None
    body: bytes | None


async def claim_idempotency_key(
    conn: asyncpg.Connection,
    request: tuple[UUID, str, str, str, bytes],
    hours: int,
    wait_seconds: float,
) -> bool:
    """Whether the key (user, key, method, target, body hash) is this request's now; waits
    up to `wait_seconds` for another request holding it (TimeoutError past that)."""
    claimed = await conn.fetchval(Q["claim_idempotency_key"], *request, hours, timeout=wait_seconds)
    return bool(claimed)


async def fetch_idempotency_key(
    conn: asyncpg.Connection, user_id: UUID, key: str
) -> KeyedRequest | None:
    row = await conn.fetchrow(Q["fetch_idempotency_key"], user_id, key)
    return record_to(KeyedRequest, row) if row else None


async def keep_idempotent_response(
    conn: asyncpg.Connection,
    user_id: UUID,
    key: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    await conn.execute(Q["keep_idempotent_response"], user_id, key, status, headers, body)


async def forget_expired_idempotency_keys(
    conn: asyncpg.Connection, hours: int, at_most: int = 20
) -> int:
    """Delete up to `at_most` keys older than `hours`; how many went."""
    done: str = await conn.execute(Q["forget_expired_idempotency_keys"], hours, at_most)
    return int(done.split()[-1])
