"""Accredited journalists read releases under embargo, with tokens staff issue and revoke;
every read is logged for the press office."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved

EMBARGOED = "/api/v1/embargoed/releases"
CONTACTS = "/api/v1/manage/contacts"
ME = "/api/v1/journalist"


async def contact(
    conn: asyncpg.Connection, *, access: bool = True, accredited_until: str | None = None
) -> UUID:
    until = datetime.fromisoformat(accredited_until).date() if accredited_until else None
    contact_id: UUID = await conn.fetchval(
        "INSERT INTO contacts (name, email, embargo_access, accredited_until)"
        " VALUES ($1, $2, $3, $4) RETURNING id",
        "Maija Toimittaja",
        f"maija-{uuid4().hex[:6]}@news.example",
        access,
        until,
    )
    return contact_id


async def issue(
    client: httpx.AsyncClient, staff: dict[str, str], contact_id: UUID, scope: str = "api"
) -> str:
    response = await client.post(
        f"/api/v1/manage/contacts/{contact_id}/tokens",
        json={"label": "laptop", "scope": scope},
        headers=staff,
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "private, no-store"
    token: str = response.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def scheduled(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    *,
    embargo: bool,
    seconds: float = 3600,
    **overrides: Any,
) -> dict[str, Any]:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver, **overrides)
    at = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
    return await act(client, editor, release["id"], "publish", {"at": at, "embargo": embargo})


async def test_accredited_journalist_reads_embargoed_release_with_terms_and_is_logged(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    token = await issue(client, editor, await contact(conn))
    release = await scheduled(
        client, staff, embargo=True, embargo_terms="Embargo until the press conference."
    )
    await scheduled(client, staff, embargo=False, translations={"fi": {"title": "Ei embargoa"}})

    listed = await client.get(EMBARGOED, headers=bearer(token))
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "private, no-store"
    assert "public" not in listed.headers["cache-control"]
    [item] = listed.json()["items"]
    assert item["id"] == release["id"]
    assert item["embargo"] is True
    assert item["embargo_until"] == release["publish_at"]
    assert item["embargo_terms"] == "Embargo until the press conference."
    assert item["translations"]["fi"]["title"] == "Kaupunginhallitus päätti talousarviosta"
    assert "body" not in item["translations"]["fi"]  # the Markdown source stays inside

    one = await client.get(f"{EMBARGOED}/{release['id']}", headers=bearer(token))
    assert one.status_code == 200
    assert one.headers["cache-control"] == "private, no-store"
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404
    staff_view = await client.get(f"/api/v1/manage/releases/{release['id']}", headers=editor)
    assert staff_view.headers["cache-control"] == "private, no-store"

    reads = await client.get(
        f"/api/v1/manage/releases/{release['id']}/embargo-reads", headers=editor
    )
    assert reads.status_code == 200
    assert [r["contact_name"] for r in reads.json()["items"]] == ["Maija Toimittaja"] * 2


async def test_not_under_embargo_is_the_same_404_as_unknown(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    token = await issue(client, await staff("editor"), await contact(conn))
    plain = await scheduled(client, staff, embargo=False)
    bodies = set()
    for key in (plain["id"], str(uuid4()), "not-an-id"):
        response = await client.get(f"{EMBARGOED}/{key}", headers=bearer(token))
        assert response.status_code == 404
        assert response.headers["cache-control"] == "no-store"
        bodies.add(response.content)
    assert len(bodies) == 1


async def test_revoked_token_and_lapsed_accreditation_stop_at_once(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact_id = await contact(conn)
    token = await issue(client, editor, contact_id)
    await scheduled(client, staff, embargo=True)
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 200

    tokens = await client.get(f"/api/v1/manage/contacts/{contact_id}/tokens", headers=editor)
    [listed] = tokens.json()["items"]
    assert "token" not in listed
    assert listed["last_used_at"] is not None
    revoked = await client.delete(
        f"/api/v1/manage/contacts/{contact_id}/tokens/{listed['id']}", headers=editor
    )
    assert revoked.status_code == 204
    after = await client.get(EMBARGOED, headers=bearer(token))
    assert after.status_code == 401
    assert "items" not in after.json()

    second = await issue(client, editor, contact_id)
    await conn.execute(
        "UPDATE contacts SET accredited_until = current_date - 1 WHERE id = $1", contact_id
    )
    assert (await client.get(EMBARGOED, headers=bearer(second))).status_code == 401


async def test_contact_without_embargo_access_sees_nothing(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    release = await scheduled(client, staff, embargo=True)
    token = await issue(client, await staff("editor"), await contact(conn, access=False))
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 401
    one = await client.get(f"{EMBARGOED}/{release['id']}", headers=bearer(token))
    assert one.status_code == 401
    assert release["id"] not in one.text
    assert (await client.get(EMBARGOED)).status_code == 401
    staff_token = await staff("admin")  # a staff token is not a journalist token
    assert (await client.get(EMBARGOED, headers=staff_token)).status_code == 401


async def test_embargoed_release_leaves_the_journalist_list_at_the_lift(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    token = await issue(client, await staff("editor"), await contact(conn))
    release = await scheduled(client, staff, embargo=True, seconds=1.0)
    assert len((await client.get(EMBARGOED, headers=bearer(token))).json()["items"]) == 1
    await asyncio.sleep(1.1)
    assert (await client.get(EMBARGOED, headers=bearer(token))).json()["items"] == []
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 200


async def test_tokens_need_an_editor_and_a_known_contact(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    viewer, editor = await staff("viewer"), await staff("editor")
    contact_id = await contact(conn)
    url = f"/api/v1/manage/contacts/{contact_id}/tokens"
    assert (await client.post(url, json={}, headers=viewer)).status_code == 403
    unknown = f"/api/v1/manage/contacts/{uuid4()}/tokens"
    assert (await client.post(unknown, json={}, headers=editor)).status_code == 404
    assert (await client.post(url, json={"scope": "all"}, headers=editor)).status_code == 422
    naive = {
        "expires_at": (datetime.now(UTC) + timedelta(days=30)).replace(tzinfo=None).isoformat()
    }
    assert (await client.post(url, json=naive, headers=editor)).status_code == 422
    expired = {"expires_at": (datetime.now(UTC) - timedelta(seconds=1)).isoformat()}
    refused = await client.post(url, json=expired, headers=editor)
    assert refused.status_code == 422
    assert "expires_at" in refused.json()["detail"]
    assert (await client.get(url, headers=editor)).json()["items"] == []


async def test_a_token_is_revoked_only_through_its_own_contact(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    owner, other = await contact(conn), await contact(conn)
    token = await issue(client, editor, owner)
    [listed] = (await client.get(f"/api/v1/manage/contacts/{owner}/tokens", headers=editor)).json()[
        "items"
    ]
    wrong = f"/api/v1/manage/contacts/{other}/tokens/{listed['id']}"
    assert (await client.delete(wrong, headers=editor)).status_code == 404
    assert (await client.get(f"/api/v1/manage/contacts/{other}/tokens", headers=editor)).json()[
        "items"
    ] == []
    await scheduled(client, staff, embargo=True)
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 200


async def test_suspension_stops_every_token_at_once_and_a_merge_does_not_revive_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    suspended, other = await contact(conn), await contact(conn)
    token, feed = (
        await issue(client, editor, suspended),
        await issue(client, editor, suspended, "feed"),
    )
    await scheduled(client, staff, embargo=True)
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 200
    # Suspended while embargo access is still set: the suspension alone must stop the token.
    await conn.execute("UPDATE contacts SET suspended_at = now() WHERE id = $1", suspended)
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 401
    assert (await client.get(f"/feeds/private/{feed}/releases.rss")).status_code == 404

    await conn.execute("UPDATE contacts SET suspended_at = NULL WHERE id = $1", suspended)
    done = await client.post(
        f"{CONTACTS}/{suspended}/accreditation/suspend", json={"reason": "Broke an embargo"},
        headers=editor,
    )  # fmt: skip
    assert done.status_code == 200, done.text
    merged = await client.post(
        f"{CONTACTS}/{suspended}/merge", json={"source": str(other)}, headers=editor
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["accredited"] is False
    assert merged.json()["embargo_access"] is False
    assert merged.json()["suspension_reason"] == "Broke an embargo"
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 401
    assert (await client.get(f"/feeds/private/{feed}/releases.rss")).status_code == 404


async def test_merging_a_suspended_contact_into_an_accredited_one_keeps_the_suspension(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    today = datetime.now(UTC).date()
    later, sooner = today + timedelta(days=700), today + timedelta(days=300)
    keep = await contact(conn, accredited_until=later.isoformat())
    gone = await contact(conn, accredited_until=sooner.isoformat())
    token = await issue(client, editor, keep)
    await client.post(
        f"{CONTACTS}/{gone}/accreditation/suspend", json={"reason": "Leak"}, headers=editor
    )
    merged = await client.post(
        f"{CONTACTS}/{keep}/merge", json={"source": str(gone)}, headers=editor
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert (body["accredited"], body["suspended_at"] is not None) == (False, True)
    assert body["accredited_until"] == sooner.isoformat()  # the earlier end of the two
    assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 401


async def test_a_token_made_with_a_token_never_outlives_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact_id = await contact(conn)
    in_an_hour = await conn.fetchval("SELECT now() + interval '1 hour'")
    parent = await client.post(
        f"{CONTACTS}/{contact_id}/tokens",
        json={"expires_at": in_an_hour.isoformat()},
        headers=editor,
    )
    assert parent.status_code == 201, parent.text
    ends = datetime.fromisoformat(parent.json()["expires_at"])
    later = (in_an_hour + timedelta(days=30)).isoformat()
    for asked in ({}, {"expires_at": later}, {"scope": "feed"}):
        child = await client.post(
            f"{ME}/tokens", json=asked, headers=bearer(parent.json()["token"])
        )
        assert child.status_code == 201, child.text
        assert datetime.fromisoformat(child.json()["expires_at"]) == ends, asked
    sooner = (in_an_hour - timedelta(minutes=30)).isoformat()
    child = await client.post(
        f"{ME}/tokens", json={"expires_at": sooner}, headers=bearer(parent.json()["token"])
    )
    assert datetime.fromisoformat(child.json()["expires_at"]) < ends
    past = (in_an_hour - timedelta(hours=2)).isoformat()
    refused = await client.post(
        f"{ME}/tokens", json={"expires_at": past}, headers=bearer(parent.json()["token"])
    )
    assert refused.status_code == 422
    listed = (await client.get(f"{CONTACTS}/{contact_id}/tokens", headers=editor)).json()["items"]
    assert {t["parent_id"] for t in listed} == {None, parent.json()["id"]}


async def token_id(client: httpx.AsyncClient, token: str) -> str:
    profile = await client.get(f"{ME}/profile", headers=bearer(token))
    found: str = profile.json()["current_token"]
    return found


async def test_revoking_a_token_revokes_every_token_made_with_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    """A leaked laptop token is revoked: the tokens made with it (and with those) stop too,
    feed tokens in calendars included; tokens made otherwise keep working."""
    editor = await staff("editor")
    contact_id = await contact(conn)
    await scheduled(client, staff, embargo=True)
    tokens = f"{CONTACTS}/{contact_id}/tokens"
    for revoke_as in ("staff", "journalist"):
        laptop = await issue(client, editor, contact_id)
        phone = await issue(client, editor, contact_id)
        child = (await client.post(f"{ME}/tokens", json={}, headers=bearer(laptop))).json()
        grandchild = (
            await client.post(
                f"{ME}/tokens", json={"scope": "feed"}, headers=bearer(child["token"])
            )
        ).json()
        laptop_id = await token_id(client, laptop)
        if revoke_as == "staff":
            gone = await client.delete(f"{tokens}/{laptop_id}", headers=editor)
        else:
            gone = await client.delete(f"{ME}/tokens/{laptop_id}", headers=bearer(phone))
        assert gone.status_code == 204
        for token in (laptop, child["token"]):
            assert (await client.get(EMBARGOED, headers=bearer(token))).status_code == 401
        feed = await client.get(f"/feeds/private/{grandchild['token']}/releases.rss")
        assert feed.status_code == 404
        assert (await client.get(EMBARGOED, headers=bearer(phone))).status_code == 200
        after = {t["id"]: t for t in (await client.get(tokens, headers=editor)).json()["items"]}
        for revoked in (laptop_id, child["id"], grandchild["id"]):
            assert after[revoked]["revoked_at"] is not None
        audit = await conn.fetchval(
            "SELECT changes FROM audit_log WHERE action LIKE 'contact.token.revoke%'"
            " AND changes->>'token_id' = $1",
            laptop_id,
        )
        made_with_it = audit["made_with_it"]
        assert sorted(made_with_it) == sorted([child["id"], grandchild["id"]])


async def test_a_token_is_rotated_by_revoking_the_old_one_with_the_new(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    """The new token, made with the old one, revokes the old one and keeps working, with
    the feed token made with it; another token made with the old one stops."""
    editor = await staff("editor")
    contact_id = await contact(conn)
    await scheduled(client, staff, embargo=True)
    old = await issue(client, editor, contact_id)
    new, other = [
        (await client.post(f"{ME}/tokens", json={}, headers=bearer(old))).json() for _ in range(2)
    ]
    feed = (
        await client.post(f"{ME}/tokens", json={"scope": "feed"}, headers=bearer(new["token"]))
    ).json()
    old_id = await token_id(client, old)
    gone = await client.delete(f"{ME}/tokens/{old_id}", headers=bearer(new["token"]))
    assert gone.status_code == 204
    assert (await client.get(EMBARGOED, headers=bearer(old))).status_code == 401
    assert (await client.get(EMBARGOED, headers=bearer(other["token"]))).status_code == 401
    assert (await client.get(EMBARGOED, headers=bearer(new["token"]))).status_code == 200
    rss = await client.get(f"/feeds/private/{feed['token']}/releases.rss")
    assert rss.status_code == 200


async def test_a_feed_token_opens_the_private_feeds_and_nothing_else(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact_id = await contact(conn)
    api, feed = (
        await issue(client, editor, contact_id),
        await issue(client, editor, contact_id, "feed"),
    )
    assert feed.startswith("pft_")
    assert api.startswith("pjt_")
    release = await scheduled(client, staff, embargo=True)
    rss = await client.get(f"/feeds/private/{feed}/releases.rss")
    assert rss.status_code == 200
    assert release["id"] in rss.text
    # The full API credential is not taken in a URL, where logs and readers keep it.
    assert (await client.get(f"/feeds/private/{api}/releases.rss")).status_code == 404
    for path in (EMBARGOED, f"{EMBARGOED}/{release['id']}", f"{ME}/profile"):
        assert (await client.get(path, headers=bearer(feed))).status_code == 401, path
    minted = await client.post(f"{ME}/tokens", json={}, headers=bearer(feed))
    assert minted.status_code == 401
    made = await client.post(f"{ME}/tokens", json={"scope": "feed"}, headers=bearer(api))
    assert made.status_code == 201
    assert made.json()["scope"] == "feed"
    own = made.json()["token"]
    assert (await client.get(f"/feeds/private/{own}/releases.ics")).status_code == 200
    assert (await client.get(EMBARGOED, headers=bearer(own))).status_code == 401
