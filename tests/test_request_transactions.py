"""Request transactions on a real pool: a failing dependency beside `conn` (Litestar resolves
them concurrently and cancels the other) still ends in a clean 4xx and leaks no connection."""

from __future__ import annotations

import secrets
from pathlib import Path

import asyncpg
import httpx

from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX, hash_password
from tests.embargo.processes import start_app, wait_until_up


async def test_bad_filter_beside_the_connection_is_a_422_every_time(
    fresh_database_url: str, tmp_path: Path
) -> None:
    conn = await asyncpg.connect(fresh_database_url)
    try:
        user = await staff_repository.create_staff_user(
            conn, "tx@city.example", "Tx", "admin", await hash_password("x" * 16)
        )
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
        await staff_repository.create_staff_token(conn, user.id, token, 1)
    finally:
        await conn.close()
    # A pool of two: a leaked connection would exhaust it within a few requests.
    app = start_app(
        fresh_database_url,
        tmp_path,
        PRESS_NO_WORKERS="1",
        PRESS_DB_POOL_MIN="1",
        PRESS_DB_POOL_MAX="2",
    )
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=app.url, timeout=10) as client:
            await wait_until_up(client, app)
            for _ in range(20):
                bad = await client.get(
                    "/api/v1/manage/contacts", params={"status": "null"}, headers=headers
                )
                assert bad.status_code == 422, bad.text
            good = await client.get("/api/v1/manage/contacts", headers=headers)
            assert good.status_code == 200
            assert (await client.get("/readyz")).status_code == 200
    finally:
        app.stop()
