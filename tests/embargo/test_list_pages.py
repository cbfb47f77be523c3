"""The embargo engine's lists come in pages: the journalist's embargoed releases, the schedule,
webhook subscriptions, a contact's tokens and who read a release under embargo. Rows made in
one transaction share their time, so the id tiebreak is what keeps the order stable."""

from __future__ import annotations

import secrets
from uuid import UUID

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.embargo.scheduling import scheduled_release
from tests.embargo.test_journalists import EMBARGOED, bearer, contact, issue
from tests.pages import assert_bad_paging_refused, flat, walk


async def releases_at_two_times(conn: asyncpg.Connection, count: int, *, embargo: bool) -> None:
    """`count` scheduled releases, the first three due at one instant and the rest at another."""
    made = [await scheduled_release(conn, 3600, embargo=embargo) for _ in range(count)]
    await conn.execute(
        "UPDATE releases SET publish_at = date_trunc('second', statement_timestamp())"
        " + CASE WHEN id = ANY($1) THEN interval '1 hour' ELSE interval '2 hours' END"
        " WHERE id = ANY($2)",
        made[:3],
        made,
    )


async def in_order(conn: asyncpg.Connection, query: str, *args: object) -> list[str]:
    return [str(row[0]) for row in await conn.fetch(query, *args)]


async def test_embargoed_releases_come_in_pages_and_only_what_is_shown_is_logged(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    journalist = bearer(await issue(client, editor, await contact(conn)))
    await releases_at_two_times(conn, 7, embargo=True)
    await scheduled_release(conn, 3600)  # scheduled, not under embargo: never listed
    expected = await in_order(conn, "SELECT id FROM releases WHERE embargo ORDER BY publish_at, id")
    first = await client.get(EMBARGOED, params={"limit": 3}, headers=journalist)
    assert await conn.fetchval("SELECT count(*) FROM embargo_reads") == 3
    etag = first.headers["etag"]
    again = await client.get(
        EMBARGOED, params={"limit": 3}, headers={**journalist, "If-None-Match": etag}
    )
    assert again.status_code == 304
    pages = await walk(client, EMBARGOED, journalist, limit=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert flat(pages) == expected
    reads = await conn.fetch("SELECT release_id, count(*) FROM embargo_reads GROUP BY release_id")
    assert {str(r[0]): r[1] for r in reads} == {
        release: 3 if release in expected[:3] else 1 for release in expected
    }  # the first page was read three times: twice above, once in the walk
    second_page = await client.get(first.json()["next"], headers=journalist)
    assert flat([second_page.json()["items"]]) == expected[3:6]
    assert second_page.headers["etag"] != etag
    await assert_bad_paging_refused(client, EMBARGOED, journalist)


async def test_the_schedule_comes_in_pages_in_lift_order(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    viewer = await staff("viewer")
    await releases_at_two_times(conn, 6, embargo=False)
    expected = await in_order(
        conn, "SELECT id FROM releases WHERE state = 'scheduled' ORDER BY publish_at, id"
    )
    pages = await walk(client, "/api/v1/manage/schedule", viewer, limit=4)
    assert [len(page) for page in pages] == [4, 2]
    assert flat(pages) == expected
    await assert_bad_paging_refused(client, "/api/v1/manage/schedule", viewer)


async def test_webhook_subscriptions_come_in_pages_oldest_first(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    approver = await staff("approver")
    for n in range(5):  # one transaction: one created_at for all
        await conn.execute(
            "INSERT INTO webhooks (url, event_types, secret) VALUES ($1, $2, $3)",
            f"https://site{n}.example/hook",
            ["release.published"],
            "whsec_" + secrets.token_urlsafe(24),
        )
    expected = await in_order(conn, "SELECT id FROM webhooks ORDER BY created_at, id")
    url = "/api/v1/manage/webhooks"
    pages = await walk(client, url, approver, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert flat(pages) == expected
    assert all(item["secret"] is None for page in pages for item in page)
    await assert_bad_paging_refused(client, url, approver)


async def test_journalist_tokens_come_in_pages_newest_first(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact_id = await contact(conn)
    for _ in range(5):
        await issue(client, editor, contact_id)
    expected = await in_order(
        conn,
        "SELECT id FROM journalist_tokens WHERE contact_id = $1 ORDER BY created_at DESC, id DESC",
        contact_id,
    )
    url = f"/api/v1/manage/contacts/{contact_id}/tokens"
    pages = await walk(client, url, editor, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert flat(pages) == expected
    assert all("token" not in item for page in pages for item in page)
    await assert_bad_paging_refused(client, url, editor)


async def test_embargo_reads_come_in_pages_newest_first(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    journalist = bearer(await issue(client, editor, await contact(conn)))
    release_id: UUID = await scheduled_release(conn, 3600, embargo=True)
    for _ in range(5):
        response = await client.get(f"{EMBARGOED}/{release_id}", headers=journalist)
        assert response.status_code == 200
    expected = [
        int(i)
        for i in await in_order(
            conn,
            "SELECT id FROM embargo_reads WHERE release_id = $1 ORDER BY at DESC, id DESC",
            release_id,
        )
    ]
    url = f"/api/v1/manage/releases/{release_id}/embargo-reads"
    pages = await walk(client, url, editor, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert flat(pages) == expected
    await assert_bad_paging_refused(client, url, editor)
