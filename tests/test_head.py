"""HEAD is answered wherever GET is (RFC 9110): the GET's headers, no body."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import StaffFactory
from tests.embargo.processes import start_app, wait_until_up
from tests.events.helpers import create_event
from tests.releases.helpers import published

PUBLIC = ("/feeds/releases.rss", "/feeds/events.ics", "/api/v1/releases", "/api/v1/events")


async def test_head_gives_the_get_headers_without_a_body(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await create_event(client, editor)
    for path in (*PUBLIC, f"/api/v1/releases/{release['id']}"):
        got = await client.get(path)
        head = await client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "cache-control", "last-modified"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)
        revalidated = await client.head(path, headers={"If-None-Match": got.headers["etag"]})
        assert revalidated.status_code == 304, path


async def test_head_of_what_is_not_there_or_not_allowed(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    missing = await client.head("/api/v1/releases/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.content == b""
    editor = await staff("editor")
    private = await client.head("/api/v1/manage/releases")
    assert private.status_code == 401
    assert (await client.head("/api/v1/manage/releases", headers=editor)).status_code == 200
    post_only = await client.head("/api/v1/auth/token")
    assert post_only.status_code == 405
    assert "GET" not in post_only.headers["allow"]


async def test_text_types_name_their_charset_once(client: httpx.AsyncClient) -> None:
    response = await client.get("/feeds/events.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"


async def test_head_through_a_real_server(fresh_database_url: str, tmp_path: Path) -> None:
    app = start_app(fresh_database_url, tmp_path, PRESS_NO_WORKERS="1")
    try:
        async with httpx.AsyncClient(base_url=app.url, timeout=10) as client:
            await wait_until_up(client, app)
            for path in PUBLIC:
                got = await client.get(path)
                head = await client.head(path)
                assert head.status_code == 200, path
                for name in ("content-length", "content-encoding", "etag"):
                    assert head.headers.get(name) == got.headers.get(name), (path, name)
            plain = {"Accept-Encoding": "identity"}
            got = await client.get("/feeds/releases.rss", headers=plain)
            head = await client.head("/feeds/releases.rss", headers=plain)
            assert head.headers["content-length"] == str(len(got.content))
            # The connection is still good after the bodiless answers.
            assert (await client.get("/healthz")).status_code == 200
    finally:
        app.stop()
