"""Anonymous sign-ups and privacy requests are limited per client address and per e-mail
address, counted in PostgreSQL so that every app instance enforces the same limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
from litestar import Litestar

from press.app import create_app
from press.contacts.limits import PER_ADDRESS, PER_CLIENT
from press.db import Database, SingleConnectionDatabase
from press.settings import Settings

SUBSCRIBE = "/api/v1/subscriptions/"
PRIVACY = "/api/v1/privacy/requests"


@asynccontextmanager
async def instance(
    database: Database, settings: Settings, client_address: str
) -> AsyncIterator[httpx.AsyncClient]:
    """An app instance of its own, reached from `client_address`."""
    async with reached_from(create_app(settings, database=database), client_address) as client:
        yield client


@asynccontextmanager
async def reached_from(app: Litestar, client_address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(client_address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


def _signup(email: str) -> dict[str, str]:
    return {"email": email, "consent_text_version": "v1"}


async def _mails(conn: asyncpg.Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM mail_deliveries")
    return count


async def test_one_client_address_is_refused_with_retry_after_past_its_limit(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    database = SingleConnectionDatabase(conn)
    async with instance(database, settings, "198.51.100.7") as script:
        for n in range(PER_CLIENT.requests):
            assert (await script.post(SUBSCRIBE, json=_signup(f"a{n}@x.example"))).is_success
        refused = await script.post(SUBSCRIBE, json=_signup("one-more@x.example"))
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= PER_CLIENT.seconds
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert "network address" in refused.json()["detail"]
    assert await _mails(conn) == PER_CLIENT.requests
    assert await conn.fetchval("SELECT count(*) FROM contacts") == PER_CLIENT.requests
    # Another client is not held back by the first one's requests.
    async with instance(database, settings, "198.51.100.8") as other:
        assert (await other.post(SUBSCRIBE, json=_signup("other@x.example"))).status_code == 202


async def test_one_email_address_is_refused_past_its_limit_from_whatever_client(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    app = create_app(settings, database=SingleConnectionDatabase(conn))
    for n in range(PER_ADDRESS.requests):
        async with reached_from(app, f"203.0.113.{n}") as client:
            answer = await client.post(SUBSCRIBE, json=_signup("Target@x.example"))
            assert answer.status_code == 202
    async with reached_from(app, "203.0.113.99") as client:
        refused = await client.post(SUBSCRIBE, json=_signup("target@x.example"))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "e-mail address" in refused.json()["detail"]
    # However often it was asked for, one confirmation mail went out in the cool-down.
    assert await _mails(conn) == 1


async def test_privacy_requests_are_limited_like_sign_ups(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    async with instance(SingleConnectionDatabase(conn), settings, "198.51.100.9") as script:
        for n in range(PER_CLIENT.requests):
            body = {"email": f"p{n}@x.example", "kind": "access"}
            assert (await script.post(PRIVACY, json=body)).status_code == 202
        body = {"email": "last@x.example", "kind": "erasure"}
        refused = await script.post(PRIVACY, json=body)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers


async def test_instances_share_one_count(fresh_db: Database, settings: Settings) -> None:
    async with (
        instance(fresh_db, settings, "192.0.2.1") as first,
        instance(fresh_db, settings, "192.0.2.1") as second,
    ):
        for n in range(PER_CLIENT.requests):
            client = first if n % 2 else second
            assert (await client.post(SUBSCRIBE, json=_signup(f"s{n}@x.example"))).is_success
        assert (await first.post(SUBSCRIBE, json=_signup("x1@x.example"))).status_code == 429
        assert (await second.post(SUBSCRIBE, json=_signup("x2@x.example"))).status_code == 429


async def test_concurrent_sign_ups_for_one_address_answer_alike_and_mail_once(
    fresh_db: Database, fresh_conn: asyncpg.Connection, settings: Settings
) -> None:
    async with (
        instance(fresh_db, settings, "192.0.2.2") as first,
        instance(fresh_db, settings, "192.0.2.3") as second,
    ):
        answers = await asyncio.gather(
            *(c.post(SUBSCRIBE, json=_signup("race@x.example")) for c in (first, second) * 2)
        )
    assert {(a.status_code, a.content) for a in answers} == {(202, answers[0].content)}
    assert await fresh_conn.fetchval("SELECT count(*) FROM contacts") == 1
    assert await _mails(fresh_conn) == 1


async def test_a_new_window_starts_afresh_and_long_past_counts_are_forgotten(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    for n in range(PER_CLIENT.requests):
        assert (await client.post(SUBSCRIBE, json=_signup(f"w{n}@x.example"))).is_success
    assert (await client.post(SUBSCRIBE, json=_signup("late@x.example"))).status_code == 429
    await conn.execute(
        "UPDATE anonymous_request_counts SET window_start = window_start - make_interval("
        "secs => $1)",
        float(PER_CLIENT.seconds),
    )
    await conn.execute(
        "INSERT INTO anonymous_request_counts VALUES "
        "('subscribe:client', '\\x00', statement_timestamp() - interval '2 days', 99)"
    )
    assert (await client.post(SUBSCRIBE, json=_signup("late@x.example"))).status_code == 202
    left = await conn.fetchval(
        "SELECT count(*) FROM anonymous_request_counts WHERE key = '\\x00'::bytea"
    )
    assert left == 0
