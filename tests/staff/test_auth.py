"""Signing in: tokens, wrong passwords, throttling and revocation."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from press.app import create_app
from press.db import PoolDatabase
from press.errors import TooManyRequests
from press.settings import Settings
from press.staff import repository
from press.staff.auth import PasswordChecks, hash_password

PASSWORD = "a long enough password"


async def make_user(conn: asyncpg.Connection, email: str, role: str = "editor") -> None:
    await repository.create_staff_user(conn, email, "Test", role, await hash_password(PASSWORD))


async def test_token_from_password_opens_staff_api(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user(conn, "Officer@City.example")
    response = await client.post(
        "/api/v1/auth/token", json={"email": "officer@city.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"].endswith("Z") or "+" in body["expires_at"]
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await client.get("/api/v1/manage/releases/", headers=headers)).status_code == 200
    stored = await conn.fetchval(
        "SELECT count(*) FROM staff_tokens WHERE token_hash = $1", body["access_token"].encode()
    )
    assert stored == 0, "the token itself must never be stored"


async def test_wrong_password_and_unknown_user_get_the_same_401(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user(conn, "a@city.example")
    wrong = await client.post(
        "/api/v1/auth/token", json={"email": "a@city.example", "password": "nope"}
    )
    unknown = await client.post(
        "/api/v1/auth/token", json={"email": "b@city.example", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_repeated_failed_logins_are_throttled(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user(conn, "c@city.example")
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/token", json={"email": "c@city.example", "password": "guess"}
        )
        assert response.status_code == 401
    locked = await client.post(
        "/api/v1/auth/token", json={"email": "c@city.example", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


async def test_revoked_token_stops_working_at_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user(conn, "d@city.example")
    token = (
        await client.post(
            "/api/v1/auth/token", json={"email": "d@city.example", "password": PASSWORD}
        )
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/manage/releases/", headers=headers)).status_code == 401


async def test_thirty_parallel_wrong_passwords_get_five_checks_and_the_rest_429(
    fresh_client: httpx.AsyncClient, fresh_conn: asyncpg.Connection
) -> None:
    await make_user(fresh_conn, "crowd@city.example")
    guesses = [
        fresh_client.post(
            "/api/v1/auth/token", json={"email": "crowd@city.example", "password": f"guess {n}"}
        )
        for n in range(30)
    ]
    answers = await asyncio.gather(*guesses)
    statuses = [r.status_code for r in answers]
    # At most five passwords checked (a check that waited too long for its turn at argon2 is
    # a 429 too); every other guess refused unchecked.
    assert 1 <= statuses.count(401) <= 5
    assert statuses.count(401) + statuses.count(429) == 30
    assert all(int(r.headers["retry-after"]) > 0 for r in answers if r.status_code == 429)
    # The right password is refused too until the lock ends: the guesses used the checks.
    right = await fresh_client.post(
        "/api/v1/auth/token", json={"email": "crowd@city.example", "password": PASSWORD}
    )
    assert right.status_code == 429


async def test_sign_in_holds_no_database_connection_while_the_password_is_hashed(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, settings: Settings
) -> None:
    await make_user(fresh_conn, "slow@city.example")
    db = await PoolDatabase.open(fresh_database_url, 1, 1)  # one connection for everyone
    app = create_app(settings, database=db)
    transport = httpx.ASGITransport(app=app)
    finished: list[str] = []
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:

            async def sign_in(n: int) -> None:
                body = {"email": "slow@city.example", "password": f"wrong {n}"}
                await client.post("/api/v1/auth/token", json=body)
                finished.append("sign-in")

            async def ready() -> None:
                await asyncio.sleep(0.02)  # the sign-ins have their turn at the connection
                assert (await client.get("/readyz")).status_code == 200
                finished.append("readyz")

            await asyncio.gather(*(sign_in(n) for n in range(4)), ready())
    finally:
        await db.close()
    # Four argon2 checks, two at a time, take a while; readyz needs the one connection only
    # for its own queries and is answered long before.
    assert finished[0] == "readyz", finished


async def test_password_checks_past_the_bound_wait_then_get_429_with_retry_after() -> None:
    checks = PasswordChecks(limit=1, wait=0.01)
    password_hash = await hash_password(PASSWORD)
    outcomes = await asyncio.gather(
        *(checks.verify(password_hash, PASSWORD) for _ in range(3)), return_exceptions=True
    )
    assert outcomes.count(True) >= 1
    busy = [o for o in outcomes if isinstance(o, TooManyRequests)]
    assert busy
    assert busy[0].headers["Retry-After"] == "1"
