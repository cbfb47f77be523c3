"""Admins stop, restart and change staff accounts (API and `press users`), each audited, and
never leave the service without an active admin."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
import pytest
from click.testing import CliRunner

from press.cli import main
from press.db import connect
from press.errors import Conflict
from press.staff import accounts, repository
from tests.cli import test_cli
from tests.conftest import StaffFactory

USERS = "/api/v1/manage/users"
database_env = test_cli.database_env  # a database of its own for `press users`
PASSWORD = "a long enough password"
RELEASES = "/api/v1/manage/releases/"


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/auth/token", json={"email": email, "password": password})


async def member(
    client: httpx.AsyncClient, admin: dict[str, str], email: str, role: str = "editor"
) -> dict[str, Any]:
    created = await client.post(
        USERS + "/", json={"email": email, "role": role, "password": PASSWORD}, headers=admin
    )
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "private, no-store"
    body: dict[str, Any] = created.json()
    return body


def bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def audited(conn: asyncpg.Connection, user_id: str) -> list[tuple[str, dict[str, Any]]]:
    rows = await conn.fetch(
        "SELECT action, changes FROM audit_log WHERE entity = 'staff_user' AND entity_id = $1"
        " ORDER BY id",
        user_id,
    )
    return [(r["action"], r["changes"]) for r in rows]


async def test_a_disabled_account_stops_at_once_and_comes_back_without_its_old_tokens(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    user = await member(client, admin, "ville@city.example")
    token = bearer(await sign_in(client, "ville@city.example"))
    assert (await client.get(RELEASES, headers=token)).status_code == 200

    disabled = await client.post(f"{USERS}/{user['id']}/disable", headers=admin)
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled_at"] is not None
    assert (await client.get(RELEASES, headers=token)).status_code == 401
    assert (await sign_in(client, "ville@city.example")).status_code == 401

    enabled = await client.post(f"{USERS}/{user['id']}/enable", headers=admin)
    assert enabled.json()["disabled_at"] is None
    assert (await client.get(RELEASES, headers=token)).status_code == 401
    again = await sign_in(client, "ville@city.example")
    assert (await client.get(RELEASES, headers=bearer(again))).status_code == 200
    listed = (await client.get(USERS + "/", headers=admin)).json()["items"]
    assert "ville@city.example" in [u["email"] for u in listed]
    assert [a for a, _ in await audited(conn, user["id"])] == [
        "staff.create",
        "staff.disable",
        "staff.enable",
    ]
    assert (await audited(conn, user["id"]))[1][1] == {"tokens_revoked": 1}


async def test_revoking_tokens_and_resetting_the_password_sign_the_user_out_everywhere(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    user = await member(client, admin, "kaisa@city.example")
    laptop = bearer(await sign_in(client, "kaisa@city.example"))
    phone = bearer(await sign_in(client, "kaisa@city.example"))
    revoked = await client.post(f"{USERS}/{user['id']}/revoke-tokens", headers=admin)
    assert revoked.json() == {"revoked": 2}
    for headers in (laptop, phone):
        assert (await client.get(RELEASES, headers=headers)).status_code == 401

    token = bearer(await sign_in(client, "kaisa@city.example"))
    new_password = "tram seven to the market square"
    reset = await client.put(
        f"{USERS}/{user['id']}/password", json={"password": new_password}, headers=admin
    )
    assert reset.status_code == 200, reset.text
    assert (await client.get(RELEASES, headers=token)).status_code == 401
    assert (await sign_in(client, "kaisa@city.example")).status_code == 401
    assert (await sign_in(client, "kaisa@city.example", new_password)).status_code == 200
    entries = await audited(conn, user["id"])
    assert [a for a, _ in entries][-2:] == ["staff.revoke_tokens", "staff.set_password"]
    assert new_password not in str(entries)


async def test_a_new_role_holds_from_the_next_request(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    user = await member(client, admin, "outi@city.example", role="approver")
    token = bearer(await sign_in(client, "outi@city.example"))
    assert (await client.get("/api/v1/manage/audit", headers=token)).status_code == 200
    changed = await client.put(f"{USERS}/{user['id']}/role", json={"role": "viewer"}, headers=admin)
    assert changed.json()["role"] == "viewer"
    assert (await client.get("/api/v1/manage/audit", headers=token)).status_code == 403
    assert (await audited(conn, user["id"]))[-1] == (
        "staff.set_role",
        {"role": ["approver", "viewer"]},
    )
    bad = await client.put(f"{USERS}/{user['id']}/role", json={"role": "owner"}, headers=admin)
    assert bad.status_code == 422


async def test_only_an_admin_manages_staff_accounts(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    admin, approver = await staff("admin"), await staff("approver")
    user = await member(client, admin, "pekka@city.example")
    for method, path, body in (
        ("GET", "/", None),
        ("POST", "/", {"email": "x@city.example", "role": "admin", "password": PASSWORD}),
        ("POST", f"/{user['id']}/disable", None),
        ("POST", f"/{user['id']}/enable", None),
        ("POST", f"/{user['id']}/revoke-tokens", None),
        ("PUT", f"/{user['id']}/password", {"password": PASSWORD}),
        ("PUT", f"/{user['id']}/role", {"role": "admin"}),
    ):
        response = await client.request(method, USERS + path, json=body, headers=approver)
        assert response.status_code == 403, (method, path)
        assert (await client.request(method, USERS + path, json=body)).status_code == 401


async def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    admin = await staff("admin")
    for path, body in (("/disable", None), ("/role", {"role": "editor"})):
        method = "PUT" if body else "POST"
        refused = await client.request(
            method, f"{USERS}/{admin.id}{path}", json=body, headers=admin
        )
        assert refused.status_code == 409, path
        assert "last active admin" in refused.json()["detail"]
    assert (await client.get(RELEASES, headers=admin)).status_code == 200
    second = await member(client, admin, "toinen@city.example", role="admin")
    demoted = await client.put(
        f"{USERS}/{second['id']}/role", json={"role": "editor"}, headers=admin
    )
    assert demoted.status_code == 200
    back = await client.put(f"{USERS}/{second['id']}/role", json={"role": "admin"}, headers=admin)
    assert back.status_code == 200
    assert (await client.post(f"{USERS}/{admin.id}/disable", headers=admin)).status_code == 200
    assert (await client.get(RELEASES, headers=admin)).status_code == 401


async def test_two_admins_disabling_each_other_at_once_leave_one_active(
    fresh_database_url: str,
) -> None:
    setup = await connect(fresh_database_url)
    try:
        first, second = [
            await repository.create_staff_user(setup, f"{n}@city.example", n, "admin", "x")
            for n in ("eka", "toka")
        ]
        one, two = await connect(fresh_database_url), await connect(fresh_database_url)

        async def disable(conn: asyncpg.Connection, actor: Any, target: Any) -> str:
            try:
                async with conn.transaction():
                    await accounts.disable_user(conn, actor, target.id)
                    await asyncio.sleep(0.2)  # both are inside before either commits
                return "disabled"
            except Conflict:
                return "refused"

        outcomes = await asyncio.gather(disable(one, first, second), disable(two, second, first))
        await one.close()
        await two.close()
        assert sorted(outcomes) == ["disabled", "refused"]
        active = await setup.fetchval(
            "SELECT count(*) FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL"
        )
        assert active == 1
    finally:
        await setup.close()


WEAK = [
    ("password1234", "common"),
    (" " * 12, "spaces"),
    ("short", "at least 12"),
    ("aaaaaaaaaaaaaaaa", "repeats"),
    ("abcdefghijklmnop", "sequence"),
    ("qwertyuiopasdfgh", "common"),
    ("uusi@city.example", "e-mail"),
    ("City-Example-Press!", "press"),
]


@pytest.mark.parametrize(("password", "why"), WEAK)
async def test_weak_passwords_are_refused_with_the_reason_on_create_and_reset(
    client: httpx.AsyncClient, staff: StaffFactory, password: str, why: str
) -> None:
    admin = await staff("admin")
    created = await client.post(
        USERS + "/",
        json={"email": "uusi@city.example", "role": "editor", "password": password},
        headers=admin,
    )
    assert created.status_code == 422
    assert why in created.json()["detail"]
    assert created.json()["errors"][0]["key"] == "password"
    user = await member(client, admin, "uusi@city.example")
    reset = await client.put(
        f"{USERS}/{user['id']}/password", json={"password": password}, headers=admin
    )
    assert reset.status_code == 422
    assert why in reset.json()["detail"]


def test_press_users_stops_restarts_and_changes_an_account(database_env: dict[str, str]) -> None:
    runner = CliRunner()

    def press(*args: str, password: str = "") -> str:
        result = runner.invoke(main, ["users", *args], input=password + "\n", env=database_env)
        assert result.exit_code == 0, result.output
        return result.output

    press("create", "boss@city.example", "--role", "admin", "--password-stdin", password=PASSWORD)
    press("create", "anna@city.example", "--role", "editor", "--password-stdin", password=PASSWORD)
    assert "disabled anna@city.example" in press("disable", "anna@city.example")
    assert "anna@city.example" not in press("list")
    press("enable", "anna@city.example")
    assert "revoked 0 token(s)" in press("revoke-tokens", "anna@city.example")
    press(
        "set-password", "anna@city.example", "--password-stdin", password="harbour lights at dusk"
    )
    assert "is now approver" in press("set-role", "anna@city.example", "approver")
    assert "approver" in press("list")

    refused = runner.invoke(main, ["users", "disable", "boss@city.example"], env=database_env)
    assert refused.exit_code == 1
    assert "last active admin" in refused.output
    weak = runner.invoke(
        main,
        ["users", "set-password", "anna@city.example", "--password-stdin"],
        input="password1234\n",
        env=database_env,
    )
    assert weak.exit_code == 1
    assert "common" in weak.output
    assert "Traceback" not in weak.output
    unknown = runner.invoke(main, ["users", "enable", "nobody@city.example"], env=database_env)
    assert unknown.exit_code == 1
    assert "no staff user" in unknown.output


def test_create_in_the_shell_refuses_a_common_password(database_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main,
        ["users", "create", "x@city.example", "--role", "viewer", "--password-stdin"],
        input="password1234\n",
        env=database_env,
    )
    assert result.exit_code == 1
    assert "common passwords" in result.output
    listed = CliRunner().invoke(main, ["users", "list"], env=database_env)
    assert "x@city.example" not in listed.output
