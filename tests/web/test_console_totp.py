"""The console's second factor: set up with a QR code and a first code, asked after the
password, each code used once, wrong codes in the passwords' throttle, recovery codes, the
setting that requires it of approvers and admins, and an administrator's reset."""

from __future__ import annotations

import html
import re
import time
from collections.abc import AsyncIterator

import asyncpg
import httpx
import msgspec
import pyotp
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase, record_to
from press.errors import Forbidden
from press.settings import Settings
from press.staff import accounts
from press.staff.schemas import StaffUser
from tests.conftest import StaffFactory
from tests.web.console import form_token, person, sign_in

SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
FULL_WIDTH = "".join(chr(0xFF10 + d) for d in (1, 2, 3, 4, 5, 6))  # digits, not ASCII ones
RECOVERY = re.compile(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>")


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """The code of the step `steps_ahead` of now (the app's next code, and so on)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def turn_on(client: httpx.AsyncClient) -> tuple[str, list[str]]:
    """Set up the second factor of the signed-in user as they would: read the key from the
    page, give its code back. Returns the secret and the recovery codes shown."""
    page = await client.get("/console/second-factor")
    assert page.status_code == 200, page.text
    found = SECRET.search(page.text)
    assert found, "the page shows no key"
    secret = found.group(1).replace(" ", "")
    done = await client.post(
        "/console/second-factor", data={"csrf": form_token(page.text), "code": code_at(secret)}
    )
    assert done.status_code == 200, done.text
    return secret, RECOVERY.findall(done.text)


async def give_code(
    client: httpx.AsyncClient, code: str, page_path: str = "/console/sign-in/code"
) -> httpx.Response:
    """Send the code form as the browser does, with the page's hidden fields."""
    page = await client.get(page_path)
    assert page.status_code == 200, page.text
    next_page = html.unescape(page.text.split('name="next" value="', 1)[1].split('"', 1)[0])
    return await client.post(
        "/console/sign-in/code",
        data={"csrf": form_token(page.text), "code": code, "next": next_page},
    )


async def signed_out_and_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    client.cookies.clear()
    return await sign_in(client, email, next_page="/console/releases/new")


async def test_set_up_shows_a_local_qr_code_and_turns_on_only_with_a_right_code(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, headers = await person(staff, "editor")
    await sign_in(client, email)
    page = await client.get("/console/second-factor")
    assert '<div class="qr" role="img" aria-label="Toisen tunnistustekijän' in page.text
    assert "<svg" in page.text
    assert "http" not in page.text.split('<div class="qr"', 1)[1].split("</div>", 1)[0]
    secret = SECRET.search(page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert (await client.get("/console/second-factor")).text.count(secret[:4]) >= 1  # kept
    for odd in (FULL_WIDTH, "x" * 5000, "\x00"):
        refused = await client.post(
            "/console/second-factor", data={"csrf": form_token(page.text), "code": odd}
        )
        assert refused.status_code == 422
    wrong = await client.post(
        "/console/second-factor", data={"csrf": form_token(page.text), "code": "000000"}
    )
    assert wrong.status_code == 422
    assert "Koodi ei ole oikein" in wrong.text
    assert not await conn.fetchval(
        "SELECT confirmed_at IS NOT NULL FROM staff_totp WHERE user_id = $1", headers.id
    )
    right = await client.post(
        "/console/second-factor", data={"csrf": form_token(page.text), "code": code_at(secret)}
    )
    codes = RECOVERY.findall(right.text)
    assert len(codes) == 10
    stored = await conn.fetch(
        "SELECT code_hash FROM staff_recovery_codes WHERE user_id = $1", headers.id
    )
    assert len(stored) == 10
    assert all(
        c.replace("-", "").encode() not in bytes(r["code_hash"]) for c in codes for r in stored
    )
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM audit_log "
            "WHERE action = 'staff.second_factor_on' AND entity_id = $1",
            headers.id,
        )
        == 1
    )
    again = await client.get("/console/second-factor")
    assert SECRET.search(again.text) is None  # the key is never shown again
    assert "<li><code>" not in again.text


async def test_sign_in_asks_for_the_code_after_the_password_and_each_code_works_once(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "editor")
    await sign_in(client, email)
    secret, _ = await turn_on(client)
    asked = await signed_out_and_in(client, email)
    assert asked.status_code == 303
    assert asked.headers["location"].startswith("/console/sign-in/code?next=")
    # The password alone opens no page.
    assert (await client.get("/console/")).status_code == 303
    wrong = await give_code(client, "123456" if code_at(secret, 1) != "123456" else "654321")
    assert wrong.status_code == 401
    assert "Koodi on väärä tai jo käytetty" in wrong.text
    code = code_at(secret, 1)
    right = await give_code(client, code, asked.headers["location"])
    assert right.status_code == 303
    assert right.headers["location"] == "/console/releases/new"
    assert (await client.get("/console/releases/new")).status_code == 200
    replayed = await signed_out_and_in(client, email)
    assert replayed.status_code == 303
    assert (await give_code(client, code)).status_code == 401  # the same code, again


async def test_wrong_codes_count_in_the_same_throttle_as_wrong_passwords(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, _ = await person(staff, "editor")
    await sign_in(client, email)
    secret, _ = await turn_on(client)
    await signed_out_and_in(client, email)
    # The right password counted once (the code clears the count, not the password).
    odd = ("000000", FULL_WIDTH, "x" * 5000, "12 34 56\x00", "<script>")  # never a 500
    answers = [(await give_code(client, code)).status_code for code in odd]
    assert answers == [401, 401, 401, 401, 429]
    locked = await give_code(client, code_at(secret, 1))
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert await conn.fetchval(
        "SELECT locked_until IS NOT NULL FROM login_failures WHERE email = lower($1)", email
    )
    # The password again buys no fresh guesses: the address stays locked.
    assert (await signed_out_and_in(client, email)).status_code == 429


async def test_a_recovery_code_signs_in_once(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    email, _ = await person(staff, "approver")
    await sign_in(client, email)
    _, codes = await turn_on(client)
    await signed_out_and_in(client, email)
    used = await give_code(client, codes[3].upper())
    assert used.status_code == 303
    await signed_out_and_in(client, email)
    assert (await give_code(client, codes[3])).status_code == 401


@pytest.fixture
async def strict_client(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with PRESS_CONSOLE_TOTP_REQUIRED on."""
    strict = msgspec.structs.replace(settings, console_totp_required=True)
    app = create_app(strict, database=SingleConnectionDatabase(conn))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://press.test"
    ) as test_client:
        yield test_client


async def test_the_required_setting_leads_approvers_to_set_up_before_anything_else(
    strict_client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    approver, _ = await person(staff, "approver")
    await sign_in(strict_client, approver)
    for path in ("/console/", "/console/releases/new"):
        led = await strict_client.get(path)
        assert led.status_code == 303
        assert led.headers["location"] == "/console/second-factor"
    setup = await strict_client.get("/console/second-factor")
    assert "Hyväksyjien ja ylläpitäjien on käytettävä toista tunnistustekijää" in setup.text
    await turn_on(strict_client)
    assert (await strict_client.get("/console/")).status_code == 200
    editor, _ = await person(staff, "editor")
    strict_client.cookies.clear()
    await sign_in(strict_client, editor)
    assert (await strict_client.get("/console/")).status_code == 200  # not required of editors


def test_the_required_setting_is_read_and_validated() -> None:
    assert Settings.from_env({"PRESS_CONSOLE_TOTP_REQUIRED": "true"}).console_totp_required
    assert not Settings.from_env({}).console_totp_required
    with pytest.raises(Exception, match="PRESS_CONSOLE_TOTP_REQUIRED must be true or false"):
        Settings.from_env({"PRESS_CONSOLE_TOTP_REQUIRED": "sometimes"})


async def test_an_administrator_resets_a_lost_second_factor_and_the_audit_says_so(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, headers = await person(staff, "editor")
    await sign_in(client, email)
    await turn_on(client)
    editor = await session_user_of(conn, email)
    with pytest.raises(Forbidden):
        await accounts.reset_second_factor(conn, editor, editor.id)
    # `press users reset-second-factor EMAIL` runs this with no actor (the shell's admin).
    assert await accounts.reset_second_factor(conn, None, editor.id)
    entry = await conn.fetchrow(
        "SELECT actor, changes FROM audit_log WHERE action = 'staff.second_factor_reset' "
        "AND entity_id = $1",
        headers.id,
    )
    assert entry["actor"] == "system"
    signed = await signed_out_and_in(client, email)
    assert signed.headers["location"] == "/console/releases/new"  # the password alone again
    assert (await client.get("/console/releases/new")).status_code == 200


async def session_user_of(conn: asyncpg.Connection, email: str) -> StaffUser:
    row = await conn.fetchrow(
        "SELECT id, email, name, role, created_at FROM staff_users WHERE email = $1", email
    )
    return record_to(StaffUser, row)
