"""Signing in: tokens, wrong passwords, the second factor's code, throttling and revocation."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import httpx
import pyotp

from press.app import create_app
from press.db import PoolDatabase
from press.errors import TooManyRequests
from press.settings import Settings
from press.staff import repository, second_factor
from press.staff.auth import PasswordChecks, hash_password

PASSWORD = "a long enough password"
PROBLEMS = "https://press.example/problems/"


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


async def test_thirty_parallel_wrong_passwords_get_five_checks_and_the_rest_429(
    fresh_client: httpx.AsyncClient, fresh_conn: asyncpg.Connection
) -> None:
    await make_user(fresh_conn, "crowd@city.example")
    guesses = [
        fresh_client.post(
            "/api/v1/auth/token", json={"email": "crowd@city.example", "password": f"guess {n}"}
        )
        for n in range(30)
    ]
    answers = await asyncio.gather(*guesses)
    statuses = [r.status_code for r in answers]
    # At most five passwords checked (a check that waited too long for its turn at argon2 is
    # a 429 too); every other guess refused unchecked.
    assert 1 <= statuses.count(401) <= 5
    assert statuses.count(401) + statuses.count(429) == 30
    assert all(int(r.headers["retry-after"]) > 0 for r in answers if r.status_code == 429)
    # The right password is refused too until the lock ends: the guesses used the checks.
    right = await fresh_client.post(
        "/api/v1/auth/token", json={"email": "crowd@city.example", "password": PASSWORD}
    )
    assert right.status_code == 429


async def test_sign_in_holds_no_database_connection_while_the_password_is_hashed(
    fresh_database_url: str, fresh_conn: asyncpg.Connection, settings: Settings
) -> None:
    await make_user(fresh_conn, "slow@city.example")
    db = await PoolDatabase.open(fresh_database_url, 1, 1)  # one connection for everyone
    app = create_app(settings, database=db)
    transport = httpx.ASGITransport(app=app)
    finished: list[str] = []
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:

            async def sign_in(n: int) -> None:
                body = {"email": "slow@city.example", "password": f"wrong {n}"}
                await client.post("/api/v1/auth/token", json=body)
                finished.append("sign-in")

            async def ready() -> None:
                await asyncio.sleep(0.02)  # the sign-ins have their turn at the connection
                assert (await client.get("/readyz")).status_code == 200
                finished.append("readyz")

            await asyncio.gather(*(sign_in(n) for n in range(4)), ready())
    finally:
        await db.close()
    # Four argon2 checks, two at a time, take a while; readyz needs the one connection only
    # for its own queries and is answered long before.
    assert finished[0] == "readyz", finished


async def test_password_checks_past_the_bound_wait_then_get_429_with_retry_after() -> None:
    checks = PasswordChecks(limit=1, wait=0.01)
    password_hash = await hash_password(PASSWORD)
    outcomes = await asyncio.gather(
        *(checks.verify(password_hash, PASSWORD) for _ in range(3)), return_exceptions=True
    )
    assert outcomes.count(True) >= 1
    busy = [o for o in outcomes if isinstance(o, TooManyRequests)]
    assert busy
    assert busy[0].headers["Retry-After"] == "1"


async def make_user_with_second_factor(
    conn: asyncpg.Connection, email: str
) -> tuple[str, list[str]]:
    """A user who has set up the second factor as the console has them do: the secret, and
    the recovery codes shown once."""
    user = await repository.create_staff_user(
        conn, email, "Test", "editor", await hash_password(PASSWORD)
    )
    secret = await second_factor.begin_setup(conn, user.id)
    codes = await second_factor.confirm_setup(conn, user, pyotp.TOTP(secret).now())
    return secret, codes


def next_code(secret: str) -> str:
    """The app's next code: the one shown now was used to turn the second factor on."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def wrong_codes(secret: str) -> list[str]:
    """Six-digit codes that no step near now has."""
    near = {pyotp.TOTP(secret).at(time.time() + 30 * s) for s in range(-3, 4)}
    return [str(n) * 6 for n in range(10) if str(n) * 6 not in near]


async def token_for(
    client: httpx.AsyncClient, email: str, code: str | None = None, password: str = PASSWORD
) -> httpx.Response:
    body = {"email": email, "password": password}
    if code is not None:
        body["code"] = code
    return await client.post("/api/v1/auth/token", json=body)


async def test_second_factor_user_needs_a_code_for_a_token_and_each_code_works_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    secret, _ = await make_user_with_second_factor(conn, "two@city.example")
    asked = await token_for(client, "two@city.example")
    assert asked.status_code == 401
    assert asked.headers["content-type"].startswith("application/problem+json")
    problem = asked.json()
    assert problem["type"] == PROBLEMS + "second-factor-code-needed"
    assert "authenticator app" in problem["detail"]
    assert "`code`" in problem["detail"]
    for blank in ("", "  "):
        assert (await token_for(client, "two@city.example", blank)).json() == problem
    wrong = await token_for(client, "two@city.example", wrong_codes(secret)[0])
    assert wrong.status_code == 401
    assert wrong.json()["type"] == PROBLEMS + "second-factor-code-wrong"
    assert "wrong or was used already" in wrong.json()["detail"]
    code = next_code(secret)
    right = await token_for(client, "two@city.example", code)
    assert right.status_code == 200, right.text
    headers = {"Authorization": f"Bearer {right.json()['access_token']}"}
    assert (await client.get("/api/v1/manage/releases/", headers=headers)).status_code == 200
    replayed = await token_for(client, "two@city.example", code)
    assert replayed.status_code == 401
    assert replayed.json()["type"] == PROBLEMS + "second-factor-code-wrong"


async def test_a_recovery_code_gives_a_token_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    _, codes = await make_user_with_second_factor(conn, "lost-phone@city.example")
    first = await token_for(client, "lost-phone@city.example", codes[2].upper())
    assert first.status_code == 200, first.text
    headers = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert (await client.get("/api/v1/manage/releases/", headers=headers)).status_code == 200
    again = await token_for(client, "lost-phone@city.example", codes[2])
    assert again.status_code == 401
    assert again.json()["type"] == PROBLEMS + "second-factor-code-wrong"
    assert (await token_for(client, "lost-phone@city.example", codes[5])).status_code == 200


async def test_the_password_is_checked_before_the_code_and_a_wrong_one_spends_no_code(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    secret, codes = await make_user_with_second_factor(conn, "first@city.example")
    await make_user(conn, "plain@city.example")
    plain_wrong = await token_for(client, "plain@city.example", password="nope")
    for code in (next_code(secret), codes[0], None):
        refused = await token_for(client, "first@city.example", code, password="nope")
        # The same answer as any wrong password: nothing said of the second factor.
        assert refused.status_code == 401
        assert refused.json() == plain_wrong.json()
    assert (await token_for(client, "first@city.example", next_code(secret))).status_code == 200
    assert (await token_for(client, "first@city.example", codes[0])).status_code == 200


async def test_a_code_sent_for_a_user_without_second_factor_is_ignored(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user(conn, "no-app@city.example")
    assert (await token_for(client, "no-app@city.example")).status_code == 200
    assert (await token_for(client, "no-app@city.example", "000000")).status_code == 200


async def test_a_code_longer_than_any_code_is_refused_as_input(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await make_user_with_second_factor(conn, "long@city.example")
    refused = await token_for(client, "long@city.example", "1" * 65)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["key"] == "code"


async def test_wrong_codes_count_towards_the_limit_on_failed_sign_ins(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    secret, _ = await make_user_with_second_factor(conn, "guessed@city.example")
    # The password is known; the codes are guessed. A request without a code counts too:
    # the right password alone clears nothing, or it would buy fresh guesses.
    for code in [*wrong_codes(secret)[:4], None]:
        assert (await token_for(client, "guessed@city.example", code)).status_code == 401
    locked = await token_for(client, "guessed@city.example", next_code(secret))
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
