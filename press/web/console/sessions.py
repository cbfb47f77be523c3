"""Console sessions: a random id in an HttpOnly cookie, its SHA-256 in `console_sessions`,
and the CSRF token every console form carries.

`session_user` is the one check of a session: every console request goes through it, and it
joins the staff user each time, so a disabled account (or any other reason a user may no
longer sign in, once `staff_users` records it) is honoured in that one query.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from litestar import Request
from litestar.datastructures import Cookie

from press.db import queries_beside, record_to
from press.errors import Forbidden
from press.settings import Settings
from press.staff.schemas import StaffUser

Q = queries_beside(__file__)
SESSION_COOKIE = "press_console"
# Before sign-in there is no session to bind a form to: the sign-in form's token is also
# set in this cookie, and the two must match (a site elsewhere can set neither).
SIGN_IN_COOKIE = "press_console_signin"
LANG_COOKIE = "press_console_lang"
# A session that has the password and waits for the second factor's code.
PENDING_COOKIE = "press_console_code"
COOKIE_PATH = "/console"
HOME = "/console/"


def _digest(session_id: str) -> bytes:
    return hashlib.sha256(session_id.encode()).digest()


async def create_session(
    conn: asyncpg.Connection, user_id: Any, hours: int
) -> tuple[str, datetime]:
    """A new session of the user: its id (for the cookie only) and when it ends."""
    session_id = secrets.token_urlsafe(32)
    expires_at: datetime = await conn.fetchval(
        Q["create_session"], _digest(session_id), user_id, hours
    )
    await conn.execute(Q["forget_expired_sessions"])
    return session_id, expires_at


async def session_user(conn: asyncpg.Connection, session_id: str | None) -> StaffUser | None:
    """The staff user signed in with this session id, or None: unknown, expired, signed out,
    or the user may no longer sign in. The only place a console session is checked."""
    if not session_id:
        return None
    row = await conn.fetchrow(Q["session_user"], _digest(session_id))
    return record_to(StaffUser, row) if row else None


async def create_pending_session(conn: asyncpg.Connection, user_id: Any) -> str:
    """A session of a user who gave the password and still owes the second factor's code:
    it opens no page but the code's (session_user refuses it)."""
    session_id = secrets.token_urlsafe(32)
    await conn.execute(Q["create_pending_session"], _digest(session_id), user_id)
    return session_id


async def pending_user(conn: asyncpg.Connection, session_id: str | None) -> StaffUser | None:
    """The user whose session waits for the code, or None."""
    if not session_id:
        return None
    row = await conn.fetchrow(Q["pending_user"], _digest(session_id))
    return record_to(StaffUser, row) if row else None


async def end_session(conn: asyncpg.Connection, session_id: str | None) -> None:
    if session_id:
        await conn.execute(Q["end_session"], _digest(session_id))


def csrf_token(session_id: str) -> str:
    """The token a form of this session carries: derived from the session's own secret id,
    so a form made for one session is refused with another's cookie."""
    return hashlib.sha256(b"press-console-form:" + session_id.encode()).hexdigest()


def check_form_token(sent: str | None, expected: str | None) -> None:
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "This form was not sent from your console session (or the session ended). "
            "Reload the page and try again."
        )


def cookie(settings: Settings, name: str, value: str, max_age: int | None) -> Cookie:
    """A console cookie: never readable by scripts, not sent along from other sites' forms,
    and only over HTTPS when press is served over HTTPS."""
    return Cookie(
        key=name,
        value=value,
        path=COOKIE_PATH,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.public_url.startswith("https://"),
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a console page of this site, never anywhere else."""
    if not target:
        return HOME
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith(HOME)
        or "\\" in target
        or any(ord(c) < 0x20 for c in target)
        or "/.." in parts.path
    ):
        return HOME
    return target


def session_id_of(request: Request[Any, Any, Any]) -> str | None:
    value: str | None = request.cookies.get(SESSION_COOKIE)
    return value
