"""Idempotency-Key on the staff API's writes: a retry is answered from the first answer and
does nothing again; a key is per user, refused when reused for another request, free again
after a failure, and forgotten after 24 hours."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import PoolDatabase
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX
from press.staff.idempotency import WRITE_METHODS, _KeptAnswer
from tests.conftest import StaffFactory, database_state
from tests.embargo.processes import start_app, wait_until_up
from tests.embargo.test_journalists import bearer, contact, issue
from tests.releases.helpers import MANAGE, approved, release_body
from tests.staff.test_roles import concrete, staff_routes

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def keyed(headers: dict[str, str], key: str = KEY) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def releases_titled(conn: asyncpg.Connection, title: str) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM release_translations WHERE title = $1", title
    )
    return count


def titled(title: str) -> dict[str, Any]:
    body = release_body()
    body["translations"]["fi"]["title"] = title
    return body


async def test_a_retried_create_makes_one_release_and_gets_the_first_answer_again(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    body = titled("Kerran vain")
    first = await client.post(MANAGE + "/", json=body, headers=keyed(editor))
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    before = await database_state(conn)
    again = await client.post(MANAGE + "/", json=body, headers=keyed(editor))
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    for name in ("content-type", "location", "etag"):
        assert again.headers.get(name) == first.headers.get(name), name
    # Nothing written again: no release, outbox event or audit entry.
    assert await database_state(conn) == before
    assert await releases_titled(conn, "Kerran vain") == 1


async def test_a_retried_action_happens_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    path = f"{MANAGE}/{release['id']}/publish"
    first = await client.post(path, json={}, headers=keyed(editor))
    assert first.status_code == 200, first.text
    before = await database_state(conn)
    again = await client.post(path, json={}, headers=keyed(editor))
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert await database_state(conn) == before
    # Without the key, publishing twice is refused as before.
    assert (await client.post(path, json={}, headers=editor)).status_code == 409


@pytest.mark.parametrize(
    ("path", "body", "said"),
    [
        (MANAGE + "/", titled("Toinen runko"), "with another body"),
        (
            MANAGE + "/?dry_run=1",
            titled("Sama runko"),
            "first used for POST /api/v1/manage/releases/;",
        ),
    ],
)
async def test_the_key_with_another_request_is_refused(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    staff: StaffFactory,
    path: str,
    body: dict[str, Any],
    said: str,
) -> None:
    editor = await staff("editor")
    first = await client.post(MANAGE + "/", json=titled("Sama runko"), headers=keyed(editor))
    assert first.status_code == 201, first.text
    reused = await client.post(path, json=body, headers=keyed(editor))
    assert reused.status_code == 422
    problem = reused.json()
    assert problem["type"].endswith("/idempotency-key-reused")
    assert said in problem["detail"]
    assert await releases_titled(conn, "Toinen runko") == 0


async def test_a_failed_request_keeps_nothing_and_its_corrected_retry_goes_through(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    wrong = await client.post(
        MANAGE + "/", json=titled("Korjattu") | {"source": "no-such-source"}, headers=keyed(editor)
    )
    assert wrong.status_code == 422, wrong.text
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    right = await client.post(MANAGE + "/", json=titled("Korjattu"), headers=keyed(editor))
    assert right.status_code == 201, right.text
    assert "idempotent-replayed" not in right.headers
    assert await releases_titled(conn, "Korjattu") == 1


async def test_two_users_keys_never_meet(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    one, other = await staff("editor"), await staff("editor")
    first = await client.post(MANAGE + "/", json=titled("Ensimmäinen"), headers=keyed(one))
    second = await client.post(MANAGE + "/", json=titled("Toinen"), headers=keyed(other))
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert "idempotent-replayed" not in second.headers
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize("key", ["", "two words", "x" * 256, "tab\there"])
async def test_a_key_that_is_not_visible_ascii_is_refused(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory, key: str
) -> None:
    editor = await staff("editor")
    response = await client.post(MANAGE + "/", json=titled("Avain"), headers=keyed(editor, key))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/invalid-idempotency-key")
    assert "255 visible ASCII characters" in problem["detail"]
    assert await releases_titled(conn, "Avain") == 0


async def test_two_key_headers_are_refused(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor = await staff("editor")
    headers = [*editor.items(), ("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    response = await client.post(MANAGE + "/", json=titled("Kaksi"), headers=headers)
    assert response.status_code == 400
    assert "one Idempotency-Key header" in response.json()["detail"]


async def test_any_path_and_query_is_kept_as_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    path = "/api/v1/manage/site-texts/about/fi?x=%00%C3%A4"
    first = await client.put(path, json={"body": "Hei"}, headers=keyed(admin))
    assert first.status_code == 200, first.text
    again = await client.put(path, json={"body": "Hei"}, headers=keyed(admin))
    assert again.headers["idempotent-replayed"] == "true"
    odd = "/api/v1/manage/site-texts/%00%C3%A4/fi"
    response = await client.put(odd, json={"body": "Hei"}, headers=keyed(admin, "toinen"))
    assert 400 <= response.status_code < 500, response.text


async def test_a_key_expires_after_24_hours_and_old_keys_are_deleted(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    for key, title in (("vanha", "Eilen"), ("toinen-vanha", "Toissapäivänä"), ("tuore", "Äsken")):
        response = await client.post(MANAGE + "/", json=titled(title), headers=keyed(editor, key))
        assert response.status_code == 201, response.text
    # Aged by the database's clock, as press reads it: two past the 24 hours, one not.
    await conn.execute(
        "UPDATE idempotency_keys SET created_at = created_at - CASE key"
        " WHEN 'tuore' THEN interval '23 hours' ELSE interval '25 hours' END"
    )
    again = await client.post(MANAGE + "/", json=titled("Eilen"), headers=keyed(editor, "vanha"))
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert await releases_titled(conn, "Eilen") == 2
    keys = await conn.fetch("SELECT key FROM idempotency_keys ORDER BY key")
    assert [r["key"] for r in keys] == ["tuore", "vanha"]  # the other expired one is gone
    fresh = await client.post(MANAGE + "/", json=titled("Äsken"), headers=keyed(editor, "tuore"))
    assert fresh.headers["idempotent-replayed"] == "true"


async def test_without_the_header_nothing_is_kept(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    for _ in range(2):
        response = await client.post(MANAGE + "/", json=titled("Ilman"), headers=editor)
        assert response.status_code == 201
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    assert await releases_titled(conn, "Ilman") == 2


async def test_refused_callers_with_a_key_change_nothing(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, viewer = await staff("editor"), await staff("viewer")
    journalist = bearer(await issue(client, editor, await contact(conn)))
    before = await database_state(conn)
    for headers, status in ((journalist, 401), (viewer, 403), ({}, 401)):
        response = await client.post(MANAGE + "/", json=titled("Ei"), headers=keyed(headers))
        assert response.status_code == status, response.text
    assert await database_state(conn) == before


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p in staff_routes() if m in WRITE_METHODS]
)
async def test_an_anonymous_write_with_a_key_is_401_and_keeps_nothing(
    client: httpx.AsyncClient, conn: asyncpg.Connection, method: str, path: str
) -> None:
    response = await client.request(
        method, concrete(path), json={}, headers={"Idempotency-Key": KEY}
    )
    assert response.status_code == 401
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0


async def test_the_key_is_the_users_whichever_token_sends_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    first = await client.post(MANAGE + "/", json=titled("Tokenit"), headers=keyed(editor))
    token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
    await staff_repository.create_staff_token(conn, UUID(editor.id), token, 1)
    other_token = bearer(token)
    again = await client.post(MANAGE + "/", json=titled("Tokenit"), headers=keyed(other_token))
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_delete_is_replayed_as_its_204(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    outlet = await client.post(
        "/api/v1/manage/outlets", json={"name": "Helsingin Uutiset"}, headers=editor
    )
    assert outlet.status_code == 201, outlet.text
    path = f"/api/v1/manage/outlets/{outlet.json()['id']}"
    first = await client.delete(path, headers=keyed(editor))
    assert first.status_code == 204, first.text
    again = await client.delete(path, headers=keyed(editor))
    assert again.status_code == 204
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content == b""
    assert again.headers.get("content-length") == first.headers.get("content-length")
    assert (await client.delete(path, headers=editor)).status_code == 404


async def test_a_patch_is_replayed_with_its_etag(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    created = await client.post(MANAGE + "/", json=titled("Muokattava"), headers=editor)
    path = f"{MANAGE}/{created.json()['id']}"
    change = {"topics": ["culture"]}
    headers = keyed(editor) | {"If-Match": created.headers["etag"]}
    first = await client.patch(path, json=change, headers=headers)
    assert first.status_code == 200, first.text
    again = await client.patch(path, json=change, headers=headers)
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["etag"] == first.headers["etag"] != created.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    revisions = await conn.fetchval(
        "SELECT count(*) FROM audit_log WHERE entity_id = $1", created.json()["id"]
    )
    assert revisions == 2  # created, changed once


async def test_a_retry_while_the_first_request_runs_waits_then_gets_409(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, fresh_staff: StaffFactory
) -> None:
    editor = await fresh_staff("editor")
    settings = Settings(database_url=None, secret_key="test-secret", run_workers=False)
    settings = msgspec.structs.replace(settings, idempotency_wait_seconds=0.5)
    db = await PoolDatabase.open(fresh_database_url, 1, 3)
    # The first request, as far as a second one can tell: a claimed key not yet committed.
    holder = await asyncpg.connect(fresh_database_url)
    running = holder.transaction()
    await running.start()
    await holder.execute(
        "INSERT INTO idempotency_keys (user_id, key, method, target, body_sha256)"
        " VALUES ($1, $2, 'POST', '/api/v1/manage/releases/', '')",
        editor.id,
        KEY,
    )
    try:
        transport = httpx.ASGITransport(app=create_app(settings, database=db))
        async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
            busy = await client.post(MANAGE + "/", json=titled("Odottaa"), headers=keyed(editor))
            assert busy.status_code == 409
            assert busy.json()["type"].endswith("/idempotency-key-in-flight")
            assert busy.headers["retry-after"] == "1"
            await running.rollback()  # the first request failed: the key is free again
            done = await client.post(MANAGE + "/", json=titled("Odottaa"), headers=keyed(editor))
            assert done.status_code == 201, done.text
    finally:
        await holder.close()
        await db.close()
    assert await releases_titled(fresh_conn, "Odottaa") == 1


async def test_concurrent_requests_with_one_key_make_one_release(
    fresh_database_url: str,
    fresh_conn: asyncpg.Connection,
    fresh_staff: StaffFactory,
    tmp_path: Path,
) -> None:
    editor = await fresh_staff("editor")
    app = start_app(fresh_database_url, tmp_path, PRESS_NO_WORKERS="1")
    try:
        async with httpx.AsyncClient(base_url=app.url, timeout=30) as client:
            await wait_until_up(client, app)
            body = titled("Samaan aikaan")
            answers = await asyncio.gather(
                *(client.post(MANAGE + "/", json=body, headers=keyed(editor)) for _ in range(4))
            )
    finally:
        app.stop()
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert len({a.content for a in answers}) == 1
    assert sum("idempotent-replayed" not in a.headers for a in answers) == 1
    assert await releases_titled(fresh_conn, "Samaan aikaan") == 1


async def test_a_failure_after_the_answer_started_passes_on_its_500_and_keeps_nothing(
    conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    request = (UUID(editor.id), KEY, "POST", "/api/v1/manage/releases", b"")
    assert await staff_repository.claim_idempotency_key(conn, request, 24, 1.0)
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    answer = _KeptAnswer(conn, UUID(editor.id), KEY, send)
    await answer({"type": "http.response.start", "status": 201, "headers": []})
    await answer({"type": "http.response.body", "body": b'{"id"', "more_body": True})
    failed: Any = {"type": "http.response.start", "status": 500, "headers": []}
    await answer(failed)
    await answer({"type": "http.response.body", "body": b"{}", "more_body": False})
    assert sent == [failed, {"type": "http.response.body", "body": b"{}", "more_body": False}]
    kept = await staff_repository.fetch_idempotency_key(conn, UUID(editor.id), KEY)
    assert kept is not None
    assert kept.status is None
