"""How often anyone may use the anonymous forms: subscribing and asking for one's data.

Each request is counted twice in PostgreSQL, so all app instances share the counts: once for
the client address it came from (one script cannot fill the registry and the mail queue
with thousands of addresses) and once for the e-mail address it names (no one is made to
receive mail after mail). Past either limit the answer is 429 with Retry-After. Below them,
the answer never depends on who is registered; a second confirmation mail to an address
within its cool-down is simply not sent (press.contacts.subscriptions).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import asyncpg
from litestar import Request

from press.contacts.repository import Q, email_hash
from press.errors import TooManyRequests


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


# A newsroom behind one address signs up a few colleagues, not dozens in an hour.
PER_CLIENT = Limit(requests=20, seconds=3600)
# Someone retrying a lost confirmation mail asks a few times, not every few minutes; the
# mail itself goes at most once per cool-down, however often it is asked for.
PER_ADDRESS = Limit(requests=10, seconds=3600)


async def count_anonymous_request(
    conn: asyncpg.Connection, form: str, client: str, email: str, secret_key: str
) -> None:
    """Count one request of `form` from `client` naming `email`; 429 past either limit."""
    await conn.execute(Q["forget_old_anonymous_requests"])
    counted = (
        (f"{form}:client", _client_key(secret_key, client), PER_CLIENT,
         "Too many requests from your network address"),
        (f"{form}:address", email_hash(secret_key, email), PER_ADDRESS,
         "Too many requests for this e-mail address"),
    )  # fmt: skip
    for scope, key, limit, too_many in counted:
        count, retry_after = await conn.fetchrow(
            Q["count_anonymous_request"], scope, key, float(limit.seconds)
        )
        if count > limit.requests:
            error = TooManyRequests(f"{too_many}; try again in {retry_after} seconds.")
            error.headers["Retry-After"] = str(retry_after)
            raise error


def client_address(request: Request[Any, Any, Any]) -> str:
    """Where the request came from: behind a proxy, the address the proxy reports (uvicorn
    reads X-Forwarded-For from the addresses in FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else ""


def _client_key(secret_key: str, client: str) -> bytes:
    return hmac.new(secret_key.encode(), b"client:" + client.encode(), hashlib.sha256).digest()
