"""The console's doors: sign-in and its throttle, sessions and their end, form tokens, roles
enforced by the domain, the language remembered, and the headers of every console page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import msgspec
import pytest
from litestar.routes import HTTPRoute

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from press.web.console.sessions import safe_next
from tests.conftest import StaffFactory, database_state
from tests.staff.test_roles import concrete, journalists_world
from tests.web.console import PASSWORD, draft, form_token, page_token, person, sign_in


@pytest.fixture
async def second(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser: a client of its own cookies, on the same app and database."""
    app = create_app(settings, database=SingleConnectionDatabase(conn))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://press.test"
    ) as client:
        yield client


async def test_a_console_page_without_a_session_sends_to_sign_in_and_back_after_it(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    response = await client.get("/console/releases/new")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/console/sign-in"
    assert parse_qs(location.query)["next"] == ["/console/releases/new"]
    signed = await sign_in(client, email, next_page="/console/releases/new")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console/releases/new"
    assert (await client.get("/console/releases/new")).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/console/",
        "//evil.example/console/",
        "/\\evil.example/console/",
        "\\\\evil.example",
        "/console/../api/v1/auth/token",
        "javascript:alert(1)",
        "/fi/",
        "/console/\r\nLocation: https://evil.example",
    ],
)
async def test_next_after_sign_in_never_leaves_the_console(
    client: httpx.AsyncClient, staff: StaffFactory, target: str
) -> None:
    email, _ = await person(staff, "editor")
    signed = await sign_in(client, email, next_page=target)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console/"
    assert safe_next(target) == "/console/"


def test_next_keeps_a_console_page_with_its_query() -> None:
    assert safe_next("/console/releases/new?x=1") == "/console/releases/new?x=1"


@pytest.mark.parametrize(("public_url", "secure"), [("https://press.test", True), (None, False)])
async def test_session_cookie_is_httponly_lax_and_secure_whenever_press_is_served_over_https(
    conn: asyncpg.Connection,
    settings: Settings,
    staff: StaffFactory,
    public_url: str | None,
    secure: bool,
) -> None:
    email, _ = await person(staff, "editor")
    chosen = msgspec.structs.replace(settings, public_url=public_url or settings.public_url)
    app = create_app(chosen, database=SingleConnectionDatabase(conn))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://press.test"
    ) as client:
        page = await client.get("/console/sign-in")
        token = form_token(page.text)
        signed = await client.post(
            "/console/sign-in",
            data={"csrf": token, "email": email, "password": PASSWORD},
            headers={"Cookie": f"press_console_signin={token}"},
        )
    assert signed.status_code == 303
    session = next(
        c for c in signed.headers.get_list("set-cookie") if c.startswith("press_console=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in session.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "samesite=lax" in session.lower()
    assert ("secure" in attributes) is secure


async def test_every_console_page_is_private_never_stored_and_never_framed(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, headers = await person(staff, "editor")
    release_id = await draft(client, headers)
    pages = ["/console/sign-in"]
    await sign_in(client, email)
    pages += [
        "/console/",
        "/console/releases/new",
        f"/console/releases/{release_id}",
        f"/console/releases/{release_id}/edit",
    ]
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "private, no-store", path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert not re.search(r'(src|href|action)="(https?:)?//', response.text), path
    missing = await client.get("/console/releases/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["cache-control"] == "private, no-store"


async def test_a_form_sent_without_its_token_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, headers = await person(staff, "editor")
    release_id = await draft(client, headers)
    await sign_in(client, email)
    before = await conn.fetchval("SELECT count(*) FROM releases")
    fields = {"source": "city-board", "title_fi": "Ilman tunnistetta", "intent": "save"}
    refused = await client.post("/console/releases/new", data=fields)
    assert refused.status_code == 403
    assert await conn.fetchval("SELECT count(*) FROM releases") == before
    moved = await client.post(
        f"/console/releases/{release_id}/move", data={"action": "submit", "csrf": "forged"}
    )
    assert moved.status_code == 403
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == "draft"


async def test_sign_in_without_the_sign_in_pages_token_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    refused = await client.post("/console/sign-in", data={"email": email, "password": PASSWORD})
    assert refused.status_code == 403
    assert "press_console=" not in refused.headers.get("set-cookie", "")


async def test_a_session_cookie_of_one_user_cannot_act_as_another(
    client: httpx.AsyncClient,
    second: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
) -> None:
    editor, editor_headers = await person(staff, "editor")
    approver, _ = await person(staff, "approver")
    release_id = await draft(client, editor_headers)
    submitted = await client.post(
        f"/api/v1/manage/releases/{release_id}/submit", headers=editor_headers
    )
    assert submitted.status_code == 200
    await sign_in(client, editor)
    await sign_in(second, approver)
    approvers_token = await page_token(second)
    # The approver's form token with the editor's cookie: not this session's form.
    borrowed = await client.post(
        f"/console/releases/{release_id}/move", data={"action": "approve", "csrf": approvers_token}
    )
    assert borrowed.status_code == 403
    # The editor's own session and token: the domain refuses an editor's approval.
    own = await client.post(
        f"/console/releases/{release_id}/move",
        data={"action": "approve", "csrf": await page_token(client)},
    )
    assert own.status_code == 403
    assert "siihen tarvitaan rooli Hyväksyjä" in own.text  # the domain's refusal, in Finnish
    state = await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id)
    assert state == "in_review"


def console_routes() -> list[tuple[str, str]]:
    """Every console route that needs a session: all but signing in and the language."""
    app = create_app(Settings(database_url="postgresql://unused"))
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/console"):
            continue
        if route.path.startswith(("/console/sign-in", "/console/language/")):
            continue
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            found.append((method, route.path))
    return found


@pytest.mark.parametrize("scope", ["api", "feed"])
@pytest.mark.parametrize(("method", "path"), console_routes())
async def test_a_journalist_token_as_a_bearer_is_no_console_session(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    staff: StaffFactory,
    method: str,
    path: str,
    scope: str,
) -> None:
    """The console knows its session cookie only: a journalist's token in an Authorization
    header is sent to sign in, as if nothing had come, and changes nothing."""
    journalist, ids = await journalists_world(client, conn, staff, scope)
    url = concrete(path, ids)
    form = {"csrf": "x", "intent": "now", "reason": "Oma päätös", "action": "approve"}
    anonymous = await client.request(method, url, data=form)
    before = await database_state(conn)
    response = await client.request(method, url, data=form, headers=journalist)
    assert response.status_code == 303, response.text
    assert urlsplit(response.headers["location"]).path == "/console/sign-in"
    assert response.headers["location"] == anonymous.headers["location"]
    assert "press_console=" not in response.headers.get("set-cookie", "")
    assert await database_state(conn) == before


async def test_a_viewer_sees_no_write_button_and_the_server_refuses_the_write_anyway(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    viewer, _ = await person(staff, "viewer")
    _, editor_headers = await person(staff, "editor")
    release_id = await draft(client, editor_headers)
    await sign_in(client, viewer)
    dashboard = await client.get("/console/")
    assert dashboard.status_code == 200
    assert "/console/releases/new" not in dashboard.text
    page = await client.get(f"/console/releases/{release_id}")
    assert page.status_code == 200
    assert "/edit" not in page.text
    assert page.text.count('method="post"') == 1  # signing out, and nothing else
    token = form_token(page.text)
    before = await conn.fetchval("SELECT count(*) FROM releases")
    created = await client.post(
        "/console/releases/new",
        data={"csrf": token, "source": "city-board", "title_fi": "Lukijan tiedote"},
    )
    assert created.status_code == 403
    assert await conn.fetchval("SELECT count(*) FROM releases") == before
    submitted = await client.post(
        f"/console/releases/{release_id}/move", data={"action": "submit", "csrf": token}
    )
    assert submitted.status_code == 403
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == "draft"


async def test_failed_sign_ins_are_throttled_together_with_the_token_endpoint(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    for _ in range(5):
        wrong = await sign_in(client, email, password="not the password")
        assert wrong.status_code == 401
        assert "press_console=" not in wrong.headers.get("set-cookie", "")
    locked = await sign_in(client, email)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    token = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert token.status_code == 429


async def test_signing_out_ends_the_session_for_good(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    await sign_in(client, email)
    session = client.cookies["press_console"]
    out = await client.post("/console/sign-out", data={"csrf": await page_token(client)})
    assert out.status_code == 303
    client.cookies.clear()
    again = await client.get("/console/", headers={"Cookie": f"press_console={session}"})
    assert again.status_code == 303
    assert again.headers["location"].startswith("/console/sign-in")


@pytest.mark.parametrize(
    "ending",
    [
        "UPDATE console_sessions SET expires_at = statement_timestamp() - interval '1 second'",
        "UPDATE staff_users SET disabled_at = statement_timestamp()",
    ],
)
async def test_an_expired_session_or_a_disabled_account_signs_the_user_out(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, ending: str
) -> None:
    email, _ = await person(staff, "editor")
    await sign_in(client, email)
    assert (await client.get("/console/")).status_code == 200
    await conn.execute(ending)
    response = await client.get("/console/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/sign-in")


async def test_the_users_language_is_remembered(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    await sign_in(client, email)
    assert '<html lang="fi">' in (await client.get("/console/")).text
    chosen = await client.get("/console/language/sv", params={"next": "/console/"})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/console/"
    page = await client.get("/console/", headers={"Accept-Language": "en"})
    assert '<html lang="sv">' in page.text
    assert "Mina utkast" in page.text


async def test_a_password_reset_by_an_admin_signs_the_user_out_of_the_console(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, headers = await person(staff, "editor")
    _, admin = await person(staff, "admin")
    await sign_in(client, email)
    assert (await client.get("/console/")).status_code == 200
    reset = await client.put(
        f"/api/v1/manage/users/{headers.id}/password",  # type: ignore[attr-defined]
        json={"password": "tram seven to the market square"},
        headers=admin,
    )
    assert reset.status_code == 200, reset.text
    response = await client.get("/console/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/sign-in")
