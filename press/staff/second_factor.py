"""The console's second factor: TOTP codes (RFC 6238, 30-second steps, six digits) and
one-time recovery codes.

A secret is set up unconfirmed and is on only once a code made from it is given back, so a
badly scanned QR code never locks anyone out. Each code is good for one use: the step it
belongs to is recorded, and a code of that step or an earlier one is refused (a code read
over a shoulder or from a proxy log cannot be replayed within its window). The clock is the
database's, the one authority for "now".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import UUID

import asyncpg
import pyotp

from press.db import queries_beside
from press.errors import Conflict, InvalidInput
from press.staff import repository
from press.staff.schemas import StaffUser

Q = queries_beside(__file__)
STEP_SECONDS = 30
# A code of the step before or after the server's is accepted: phones' clocks drift.
STEPS_AROUND = 1
RECOVERY_CODES = 10
ISSUER = "press"


class WrongCode(InvalidInput):
    """The code is not right: use the newest one your app shows."""


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.encode()).digest()


def _normal(code: str) -> str:
    """What the user typed, without spaces and dashes, in lower case. ASCII only: codes are,
    and a full-width digit must not reach the comparison (it refuses non-ASCII text)."""
    return "".join(c for c in code.lower() if c.isascii() and c.isalnum())[:64]


async def _current_step(conn: asyncpg.Connection) -> int:
    seconds: float = await conn.fetchval(Q["database_epoch"])
    return int(seconds) // STEP_SECONDS


def _matching_step(secret: str, code: str, now_step: int, after_step: int) -> int | None:
    """The step within reach of now that `code` belongs to, if it is later than `after_step`."""
    totp = pyotp.TOTP(secret)
    for step in range(now_step - STEPS_AROUND, now_step + STEPS_AROUND + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def has_second_factor(conn: asyncpg.Connection, user_id: UUID) -> bool:
    on: bool = await conn.fetchval(Q["has_second_factor"], user_id)
    return on


async def begin_setup(conn: asyncpg.Connection, user_id: UUID) -> str:
    """The secret being set up for the user: a new one, or the one waiting for its first
    code (so that reloading the page does not change the QR code already scanned)."""
    secret: str | None = await conn.fetchval(
        Q["begin_second_factor"], user_id, pyotp.random_base32()
    )
    if secret is None:
        raise Conflict("The second factor is on already; an administrator can reset it.")
    return secret


async def confirm_setup(conn: asyncpg.Connection, user: StaffUser, code: str) -> list[str]:
    """Turn the second factor on with a first code of the new secret; returns the recovery
    codes, shown this once (only their hashes are kept)."""
    row = await conn.fetchrow(Q["pending_second_factor"], user.id)
    if row is None:
        raise Conflict("No second factor is being set up; open the set-up page again.")
    step = _matching_step(row["secret"], _normal(code), await _current_step(conn), 0)
    if step is None:
        raise WrongCode()
    await conn.execute(Q["confirm_second_factor"], user.id, step)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]  # 40 bits each
    await conn.execute(Q["replace_recovery_codes"], user.id, [_digest(c) for c in codes])
    await repository.record_audit(conn, user, "staff.second_factor_on", "staff_user", user.id)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


async def check_code(conn: asyncpg.Connection, user_id: UUID, code: str) -> bool:
    """Whether `code` is a good TOTP code or an unused recovery code of the user; either is
    used up by this check."""
    typed = _normal(code)
    row = await conn.fetchrow(Q["confirmed_second_factor"], user_id)
    if row is None or not typed:
        return False
    if len(typed) == len("000000") and typed.isdigit():
        step = _matching_step(row["secret"], typed, await _current_step(conn), row["last_step"])
        # The update only moves forward: of two requests with one code, one wins.
        return step is not None and bool(
            await conn.fetchval(Q["use_second_factor_step"], user_id, step)
        )
    return bool(await conn.fetchval(Q["use_recovery_code"], user_id, _digest(typed)))
