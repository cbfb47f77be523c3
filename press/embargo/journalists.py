"""Journalist bearer tokens: who is asking, and are they accredited for embargoed material."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Request
from litestar.di import NamedDependency

from press.db import Conn
from press.embargo.schemas import TokenScope
from press.errors import NotAuthenticated
from press.staff.auth import bearer_token

JOURNALIST_TOKEN_PREFIX = "pjt_"  # noqa: S105 - a prefix, not a secret
FEED_TOKEN_PREFIX = "pft_"  # noqa: S105 - a prefix, not a secret

# A token works where its scope allows, while it is not revoked or expired, and its contact
# is accredited now (contact_accredited: active, not suspended, in date). Checked on every
# request: revocation, expiry and suspension take effect at once.
_FETCH = """
SELECT c.id, c.name, c.email, t.id AS token_id, t.scope AS token_scope,
       t.expires_at AS token_expires_at
FROM journalist_tokens t JOIN contacts c ON c.id = t.contact_id
WHERE t.token_hash = $1
  AND t.scope = $2
  AND t.revoked_at IS NULL
  AND (t.expires_at IS NULL OR t.expires_at > statement_timestamp())
  AND contact_accredited(c)
"""
_TOUCH = """
UPDATE journalist_tokens SET last_used_at = statement_timestamp()
WHERE id = $1 AND (last_used_at IS NULL
                   OR last_used_at < statement_timestamp() - interval '1 minute')
"""


class Journalist(msgspec.Struct, frozen=True):
    id: UUID
    name: str
    email: str
    token_id: UUID
    token_scope: TokenScope
    token_expires_at: datetime | None


def new_journalist_token(scope: TokenScope = "api") -> str:
    prefix = FEED_TOKEN_PREFIX if scope == "feed" else JOURNALIST_TOKEN_PREFIX
    return prefix + secrets.token_urlsafe(32)


def journalist_token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def fetch_journalist(
    conn: asyncpg.Connection, token: str, scope: TokenScope = "api"
) -> Journalist | None:
    """The accredited journalist holding this token of `scope`, or None. A feed token opens
    no API route, and an API token no feed: each works only where it was issued for."""
    row = await conn.fetchrow(_FETCH, journalist_token_digest(token), scope)
    if row is None:
        return None
    await conn.execute(_TOUCH, row["token_id"])
    return msgspec.convert(dict(row), Journalist)


async def provide_journalist(request: Request[Any, Any, Any], conn: Conn) -> Journalist:
    token = bearer_token(request)
    journalist = await fetch_journalist(conn, token) if token else None
    if journalist is None:
        raise NotAuthenticated("A valid journalist token is needed; ask the press office.")
    return journalist


JournalistDep = NamedDependency[Journalist]
"""A handler parameter `journalist: JournalistDep` gets the accredited journalist (or 401)."""
