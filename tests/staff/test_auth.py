"""Signing in: tokens, wrong passwords, throttling and revocation."""

from __future__ import annotations

import asyncpg
import httpx

from press.staff import repository
from press.staff.auth import hash_password

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
