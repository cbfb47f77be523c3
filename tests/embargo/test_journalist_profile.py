"""A journalist manages their own subscription and tokens, and nobody else's (BOLA)."""

from __future__ import annotations

from uuid import uuid4

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.embargo.test_journalists import EMBARGOED, bearer, contact, issue

ME = "/api/v1/journalist"


async def test_a_journalist_sees_and_changes_only_their_own(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    anna, bertil = await contact(conn), await contact(conn)
    anna_token, bertil_token = (
        await issue(client, editor, anna),
        await issue(client, editor, bertil),
    )

    profile = await client.get(f"{ME}/profile", headers=bearer(anna_token))
    assert profile.status_code == 200
    assert profile.headers["cache-control"] == "private, no-store"
    body = profile.json()
    assert body["id"] == str(anna)
    assert body["subscription"] is None
    [token] = body["tokens"]
    assert token["id"] == body["current_token"]
    assert "token" not in token  # never the token itself

    chosen = {"topics": ["economy"], "languages": ["sv"], "embargoed": True}
    changed = await client.put(f"{ME}/subscription", json=chosen, headers=bearer(anna_token))
    assert changed.status_code == 200, changed.text
    assert changed.json()["topics"] == ["economy"]
    assert (await client.get(f"{ME}/profile", headers=bearer(bertil_token))).json()[
        "subscription"
    ] is None

    # Nothing in a payload can name someone else or raise one's own rights.
    for extra in ({"contact_id": str(bertil)}, {"embargo_access": True}, {"state": "confirmed"}):
        refused = await client.put(
            f"{ME}/subscription", json={**chosen, **extra}, headers=bearer(anna_token)
        )
        assert refused.status_code == 422, extra

    bertil_token_id = (await client.get(f"{ME}/profile", headers=bearer(bertil_token))).json()[
        "current_token"
    ]
    for token_id in (bertil_token_id, str(uuid4())):
        gone = await client.delete(f"{ME}/tokens/{token_id}", headers=bearer(anna_token))
        assert gone.status_code == 404
    assert (await client.get(EMBARGOED, headers=bearer(bertil_token))).status_code == 200


async def test_a_journalist_rotates_their_token_and_the_old_one_stops_at_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    anna = await contact(conn)
    old = await issue(client, editor, anna)
    created = await client.post(f"{ME}/tokens", json={"label": "phone"}, headers=bearer(old))
    assert created.status_code == 201
    assert created.headers["cache-control"] == "private, no-store"
    new = created.json()["token"]
    assert (await client.get(f"{EMBARGOED}", headers=bearer(new))).status_code == 200
    old_id = (await client.get(f"{ME}/profile", headers=bearer(old))).json()["current_token"]
    assert (await client.delete(f"{ME}/tokens/{old_id}", headers=bearer(new))).status_code == 204
    for path in (EMBARGOED, f"{ME}/profile", f"/feeds/private/{old}/releases.rss"):
        response = await client.get(path, headers=bearer(old))
        assert response.status_code in (401, 404), path
    assert (await client.get(f"{ME}/profile", headers=bearer(new))).status_code == 200


async def test_no_token_or_a_staff_token_gets_nothing(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    for headers in ({}, editor, bearer("pj_not-a-token")):
        assert (await client.get(f"{ME}/profile", headers=headers)).status_code == 401
        put = await client.put(f"{ME}/subscription", json={}, headers=headers)
        assert put.status_code == 401
