"""Every staff route against every role and against anonymous callers."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from press.app import create_app
from press.settings import Settings
from tests.archive.samples import image_bytes, upload
from tests.conftest import StaffFactory, database_state
from tests.embargo.test_journalists import bearer, contact, issue
from tests.events.helpers import create_event
from tests.releases.helpers import MANAGE, act, approved, create

ROLES = ("viewer", "editor", "approver", "admin")


def staff_routes() -> list[tuple[str, str]]:
    app: Litestar = create_app(Settings(database_url="postgresql://unused"))
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not route.path.startswith("/api/v1/manage"):
            continue
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            found.append((method, route.path))
    return found


def concrete(path: str, ids: dict[str, str] | None = None) -> str:
    """A real URL for a route template: the id in `ids` named like the parameter, else a
    random UUID; a word or a number for the other parameters."""
    known = ids or {}
    path = re.sub(r"\{(\w+):uuid\}", lambda found: known.get(found[1]) or str(uuid.uuid4()), path)
    path = re.sub(r"\{\w+:int\}", "1", path)
    return re.sub(r"\{\w+:(str|path)\}", "x", path)


@pytest.mark.parametrize(("method", "path"), staff_routes())
async def test_anonymous_gets_401_on_every_staff_route(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, concrete(path), json={})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), staff_routes())
async def test_revoked_token_gets_401_on_every_staff_route(
    client: httpx.AsyncClient, staff: StaffFactory, method: str, path: str
) -> None:
    editor = await staff("editor")
    assert (await client.delete("/api/v1/auth/token", headers=editor)).status_code == 204
    response = await client.request(method, concrete(path), json={}, headers=editor)
    assert response.status_code == 401


# Bodies that would do something on the routes that change the most, were the caller let in.
BODIES = {
    "/publish": {"reason": "Oma päätös"},
    "/withdraw": {"reason": "Vuoto", "public_note": "Peruttu."},
    "/role": {"role": "admin"},
    "/password": {"password": "a brand new password of mine"},
    "/tokens": {"label": "oma", "scope": "api"},
    "/accreditation": {"embargo_access": True},
    "/accreditation/reinstate": {"reason": "Oma päätös"},
    "/accreditation/suspend": {"reason": "Oma päätös"},
    "/embargo-list": {"contacts": []},
    "/webhooks": {"url": "https://attacker.example/hooks", "event_types": ["*"]},
}


def body_for(path: str) -> dict[str, object]:
    return next((b for end, b in BODIES.items() if path.endswith(end)), {})


async def journalists_world(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory, scope: str
) -> tuple[dict[str, str], dict[str, str]]:
    """An accredited journalist's token of `scope`, and the ids a staff route could act on:
    a release under embargo, the journalist's own contact and token, a staff user, an
    event, a webhook and a file."""
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    at = (now + timedelta(hours=1)).isoformat()
    await act(client, editor, release["id"], "publish", {"at": at, "embargo": True})
    contact_id = await contact(conn)
    token = await issue(client, editor, contact_id, scope)
    tokens = await client.get(f"/api/v1/manage/contacts/{contact_id}/tokens", headers=editor)
    [own] = tokens.json()["items"]
    hook = await client.post(
        "/api/v1/manage/webhooks",
        json={"url": "https://www.city.example/hooks", "event_types": ["release.*"]},
        headers=approver,
    )
    assert hook.status_code == 201, hook.text
    ids = {
        "release_id": release["id"],
        "contact_id": str(contact_id),
        "token_id": own["id"],
        "user_id": approver.id,
        "event_id": (await create_event(client, editor))["id"],
        "webhook_id": hook.json()["id"],
        "file_id": (await upload(client, editor, image_bytes("JPEG"), "kuva.jpg"))["id"],
    }
    return bearer(token), ids


@pytest.mark.parametrize("scope", ["api", "feed"])
@pytest.mark.parametrize(("method", "path"), staff_routes())
async def test_journalist_token_gets_401_on_every_staff_route_and_changes_nothing(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    staff: StaffFactory,
    method: str,
    path: str,
    scope: str,
) -> None:
    """A journalist's token, API or feed, is not a staff token: the staff API does not know
    it (401, as for an unknown token), whatever the route and whoever's id is in it."""
    journalist, ids = await journalists_world(client, conn, staff, scope)
    before = await database_state(conn)
    response = await client.request(
        method, concrete(path, ids), json=body_for(path), headers=journalist
    )
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await database_state(conn) == before


# What each role may do with a release, as (action, minimum role).
WRITE_MATRIX = [
    ("create", "editor"),
    ("submit", "editor"),
    ("approve", "approver"),
    ("publish", "editor"),
    ("withdraw", "editor"),
    ("audit", "approver"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "minimum"), WRITE_MATRIX)
async def test_role_matrix_for_release_actions(
    client: httpx.AsyncClient, staff: StaffFactory, role: str, action: str, minimum: str
) -> None:
    caller = await staff(role)
    writer, approver = await staff("editor"), await staff("approver")
    allowed = ROLES.index(role) >= ROLES.index(minimum)
    if action == "create":
        response = await client.post(
            MANAGE + "/",
            json={"source": "city-board", "translations": {"fi": {"title": "Otsikko"}}},
            headers=caller,
        )
    elif action == "submit":
        release = await create(client, writer)
        response = await client.post(f"{MANAGE}/{release['id']}/submit", headers=caller)
    elif action == "approve":
        release = await create(client, writer)
        await act(client, writer, release["id"], "submit")
        response = await client.post(f"{MANAGE}/{release['id']}/approve", headers=caller)
    elif action == "publish":
        release = await approved(client, writer, approver)
        response = await client.post(f"{MANAGE}/{release['id']}/publish", json={}, headers=caller)
    elif action == "withdraw":
        release = await approved(client, writer, approver)
        await act(client, writer, release["id"], "publish", {})
        response = await client.post(
            f"{MANAGE}/{release['id']}/withdraw", json={"reason": "test"}, headers=caller
        )
    else:
        response = await client.get("/api/v1/manage/audit", headers=caller)
    expected = {"create": 201}.get(action, 200) if allowed else 403
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("role", ROLES)
async def test_every_role_may_read_releases(
    client: httpx.AsyncClient, staff: StaffFactory, role: str
) -> None:
    release = await create(client, await staff("editor"))
    caller = await staff(role)
    assert (await client.get(f"{MANAGE}/{release['id']}", headers=caller)).status_code == 200
    listed = await client.get(MANAGE + "/", headers=caller)
    assert release["id"] in [r["id"] for r in listed.json()["items"]]


WRITES = [(m, p) for m, p in staff_routes() if m in ("POST", "PATCH", "PUT", "DELETE")]


@pytest.mark.parametrize(("method", "path"), WRITES)
async def test_viewer_can_change_nothing_on_any_staff_route(
    client: httpx.AsyncClient, staff: StaffFactory, method: str, path: str
) -> None:
    viewer = await staff("viewer")
    response = await client.request(method, concrete(path), json={}, headers=viewer)
    # 403 where the route knows the role first; 404/409/412/422/428 where it cannot get as far
    # as changing anything (an unknown id, an empty body). Never a success.
    assert response.status_code in (403, 404, 409, 412, 422, 428), (method, path, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p in staff_routes() if m == "GET" and "{" not in p]
)
async def test_every_role_gets_an_answer_not_an_error_on_staff_lists(
    client: httpx.AsyncClient, staff: StaffFactory, role: str, method: str, path: str
) -> None:
    response = await client.get(path, headers=await staff(role))
    assert response.status_code in (200, 403), (role, path, response.status_code)
