"""Staff users come in pages, by e-mail address."""

from __future__ import annotations

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.pages import assert_bad_paging_refused, flat, walk

USERS = "/api/v1/manage/users"


async def test_staff_users_come_in_pages_by_address_disabled_ones_too(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    for name in ("Ville", "aino", "Bertta", "eero", "Cecilia"):
        await staff("editor", email=f"{name}@city.example")
    await conn.execute(
        "UPDATE staff_users SET disabled_at = now() WHERE email = 'eero@city.example'"
    )
    expected = [
        str(row["id"])
        for row in await conn.fetch("SELECT id FROM staff_users ORDER BY lower(email), id")
    ]
    pages = await walk(client, USERS, admin, limit=2)
    assert [len(page) for page in pages] == [2, 2, 2]
    assert flat(pages) == expected
    assert "eero@city.example" in flat(pages, "email")
    await assert_bad_paging_refused(client, USERS, admin)
