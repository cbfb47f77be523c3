"""Bearer tokens for staff, role checks, and password hashing."""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request
from litestar.di import NamedDependency

from press.db import Conn
from press.errors import Forbidden, NotAuthenticated, TooManyRequests
from press.staff import repository
from press.staff.schemas import Role, StaffUser

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
STAFF_TOKEN_PREFIX = "pst_"  # noqa: S105 - a prefix, not a secret


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def provide_staff(request: Request[Any, Any, Any], conn: Conn) -> StaffUser:
    """The signed-in staff user, or 401."""
    token = bearer_token(request)
    if token is None:
        raise NotAuthenticated(
            "Send `Authorization: Bearer <token>`; get a token at POST /api/v1/auth/token."
        )
    user = await repository.fetch_token_user(conn, token)
    if user is None:
        raise NotAuthenticated(
            "The token is unknown, expired or revoked; get a new one at POST /api/v1/auth/token."
        )
    return user


def require(user: StaffUser, role: Role, action: str = "do this") -> None:
    """Raise 403 unless the user's role is at least `role`."""
    if user.rank < role:
        raise Forbidden(
            f"Your role ({user.role}) may not {action}; it needs {role.name} or higher."
        )


async def authenticate(conn: asyncpg.Connection, email: str, password: str) -> UUID | None:
    """The id of the user with this e-mail and password; None (and a counted failure)
    otherwise, and a 429 while the address is locked. Every way of signing in comes here."""
    locked_until = await repository.fetch_login_lock(conn, email)
    if locked_until is not None:
        seconds = max(1, int((locked_until - datetime.now(locked_until.tzinfo)).total_seconds()))
        error = TooManyRequests("Too many failed sign-ins for this address; try again later.")
        error.headers["Retry-After"] = str(seconds)
        raise error
    login = await repository.fetch_login(conn, email)
    if login is None:
        await _verify(_DUMMY_HASH, password)
        await repository.record_login_failure(conn, email)
        return None
    user_id, password_hash = login
    if not await _verify(password_hash, password):
        await repository.record_login_failure(conn, email)
        return None
    await repository.clear_login_failures(conn, email)
    return user_id


async def issue_token(
    conn: asyncpg.Connection, email: str, password: str, ttl_hours: int
) -> tuple[str, datetime] | None:
    """A new token for a correct e-mail and password; None (and a counted failure) otherwise."""
    user_id = await authenticate(conn, email, password)
    if user_id is None:
        return None
    token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = await repository.create_staff_token(conn, user_id, token, ttl_hours)
    return token, expires_at


Staff = NamedDependency[StaffUser]
"""A handler parameter `staff: Staff` gets the signed-in staff user (or the request is a 401)."""
