"""Bearer tokens for staff, role checks, and password hashing."""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request
from litestar.di import NamedDependency

from press.db import Conn, Database
from press.errors import Forbidden, NotAuthenticated, TooManyRequests
from press.staff import repository, second_factor
from press.staff.schemas import Role, StaffUser

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
STAFF_TOKEN_PREFIX = "pst_"  # noqa: S105 - a prefix, not a secret
# Argon2 computations at once per process: each takes a core for tens of milliseconds, and
# two cores' worth leaves the rest of the process (and the database) room to answer.
PASSWORD_CHECKS_AT_ONCE = 2


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    return bearer_token_in(request.headers.get("authorization", ""))


def bearer_token_in(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value, if it is one."""
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


class PasswordChecks:
    """Argon2 runs at most `limit` at a time in this process (it is built to take a core
    and 64 MiB for a good while); a sign-in waits up to `wait` seconds for its turn and is
    then told to come back (429) rather than queueing without end."""

    def __init__(self, limit: int = PASSWORD_CHECKS_AT_ONCE, wait: float = 3.0) -> None:
        self._turns = asyncio.Semaphore(limit)
        self._wait = wait

    async def verify(self, password_hash: str, password: str) -> bool:
        try:
            async with asyncio.timeout(self._wait):
                await self._turns.acquire()
        except TimeoutError:
            raise _too_many("Too many sign-ins at once; try again in a moment.", 1) from None
        try:
            return await _verify(password_hash, password)
        finally:
            self._turns.release()


def _too_many(detail: str, seconds: float) -> TooManyRequests:
    error = TooManyRequests(detail)
    error.headers["Retry-After"] = str(max(1, int(seconds + 0.999)))
    return error


async def authenticate(
    db: Database, checks: PasswordChecks, email: str, password: str, *, code_follows: bool = False
) -> UUID | None:
    """The id of the user with this e-mail and password; None for a wrong one, and a 429
    past the limit. Every way of signing in (the token endpoint, the console) comes here.

    The attempt is counted (and refused past the limit) before any hashing, in one statement,
    so a crowd of parallel guesses gets no more checks than the limit. No connection is held
    while argon2 runs: a crowd of sign-ins must not starve the public pages of connections.

    `code_follows`: the caller asks a user with a second factor for the code next
    (`check_second_factor`, or `sign_in` in the same request). Then the right password does
    not clear the count; the right code does, so that knowing the password buys no fresh
    guesses at codes.
    """
    async with db.acquire() as conn:  # each statement commits on its own
        wait = await repository.claim_login_attempt(conn, email)
        login = None if wait is not None else await repository.fetch_login(conn, email)
    if wait is not None:
        raise _too_many("Too many failed sign-ins for this address; try again later.", wait)
    # Verified against a dummy when the e-mail is unknown, so a miss costs as long as a
    # wrong password.
    if not await checks.verify(login[1] if login else _DUMMY_HASH, password) or login is None:
        return None
    if not (code_follows and login[2]):
        async with db.acquire() as conn:
            await repository.clear_login_failures(conn, email)
    user_id: UUID = login[0]
    return user_id


async def check_second_factor(db: Database, user: StaffUser, code: str) -> bool:
    """Whether `code` is the user's TOTP code (or a recovery code), counted by the same
    throttle as passwords (per address; a 429 past the limit). Like `authenticate`, each
    step commits on its own: a wrong code is counted although the answer is an error."""
    async with db.acquire() as conn:
        wait = await repository.claim_login_attempt(conn, user.email)
    if wait is not None:
        raise _too_many("Too many failed sign-ins for this address; try again later.", wait)
    async with db.acquire() as conn, conn.transaction():
        right = await second_factor.check_code(conn, user.id, code[:64])
    if right:
        async with db.acquire() as conn:
            await repository.clear_login_failures(conn, user.email)
    return right


class SecondFactorCodeNeeded(NotAuthenticated):
    """Your account has a second factor: send the code your authenticator app shows (or one
    of your recovery codes) in `code`, with your e-mail address and password."""

    title = "Second-factor code needed"
    type = "second-factor-code-needed"


class SecondFactorCodeWrong(NotAuthenticated):
    """The code is wrong or was used already: send the newest code your authenticator app
    shows, or a recovery code you have not used before."""

    title = "Wrong second-factor code"
    type = "second-factor-code-wrong"


async def sign_in(
    db: Database,
    checks: PasswordChecks,
    email: str,
    password: str,
    ttl_hours: int,
    code: str | None = None,
) -> tuple[str, datetime] | None:
    """A new token for a correct e-mail and password, and for a user with a second factor
    a right code too (used up by this); None for a wrong password, a 401 of its own for a
    missing or wrong code. A code sent for a user without a second factor is ignored.

    As in the console, the code is asked for only after the right password, so that answer
    tells the caller the password was right. The request is one attempt in the throttle
    whether its code is missing, wrong or right (`authenticate` counted it, and leaves the
    count for a user with a second factor): only a token issued clears it, so knowing the
    password buys no fresh guesses at codes.
    """
    user_id = await authenticate(db, checks, email, password, code_follows=True)
    if user_id is None:
        return None
    # One transaction: the code is used up only if the token is issued.
    async with db.acquire() as conn, conn.transaction():
        if await second_factor.has_second_factor(conn, user_id):
            if code is None or not code.strip():
                raise SecondFactorCodeNeeded()
            if not await second_factor.check_code(conn, user_id, code):
                raise SecondFactorCodeWrong()
            await repository.clear_login_failures(conn, email)
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = await repository.create_staff_token(conn, user_id, token, ttl_hours)
    return token, expires_at


Staff = NamedDependency[StaffUser]
"""A handler parameter `staff: Staff` gets the signed-in staff user (or the request is a 401)."""
