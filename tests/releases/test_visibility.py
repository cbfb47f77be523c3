"""Nothing that is not public shows in any public response: list, detail, sync, ETags."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, act, approved, create, published

PUBLIC_SURFACES = [
    "/api/v1/releases",
    "/api/v1/releases?lang=fi",
    "/api/v1/releases?source=city-board",
    "/api/v1/releases?topic=economy",
    "/api/v1/releases?q=talousarvio",
    "/api/v1/releases?updated_since=2000-01-01T00:00:00Z",
]


async def snapshot(client: httpx.AsyncClient) -> list[tuple[int, str, str]]:
    out = []
    for url in PUBLIC_SURFACES:
        response = await client.get(url)
        out.append((response.status_code, response.headers.get("etag", ""), response.text))
    return out


@pytest.mark.parametrize("stage", ["draft", "in_review", "approved", "scheduled", "embargoed"])
async def test_unpublished_release_is_absent_from_every_public_surface(
    client: httpx.AsyncClient, staff: StaffFactory, stage: str
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    public = await published(client, editor, approver, topics=["housing"])
    before = await snapshot(client)
    release = await create(client, editor)
    if stage != "draft":
        await act(client, editor, release["id"], "submit")
    if stage in ("approved", "scheduled", "embargoed"):
        await act(client, approver, release["id"], "approve")
    if stage in ("scheduled", "embargoed"):
        at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        await act(
            client, editor, release["id"], "publish", {"at": at, "embargo": stage == "embargoed"}
        )
    assert await snapshot(client) == before
    detail = await client.get(f"/api/v1/releases/{release['id']}")
    unknown = await client.get("/api/v1/releases/00000000-0000-4000-8000-000000000000")
    assert detail.status_code == unknown.status_code == 404
    assert detail.json() == unknown.json()
    assert detail.headers["cache-control"] == "no-store"
    # Same title: a release not yet scheduled has the public one's slug (tentative, claimed
    # by no one), a scheduled one its own; the slug finds only what is public either way.
    slug = (await client.get(f"{MANAGE}/{release['id']}", headers=editor)).json()["translations"][
        "fi"
    ]["slug"]
    by_slug = await client.get(f"/api/v1/releases/{slug}")
    if slug == public["translations"]["fi"]["slug"]:
        assert by_slug.json()["id"] == public["id"]
    else:
        assert by_slug.status_code == 404


async def test_editing_a_scheduled_release_changes_no_public_response(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    release = await approved(client, editor, approver)
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    scheduled = await act(client, editor, release["id"], "publish", {"at": at, "embargo": True})
    before = await snapshot(client)
    url = f"{MANAGE}/{scheduled['id']}"
    etag = (await client.get(url, headers=approver)).headers["etag"]
    edited = await client.patch(
        url,
        headers={**approver, "If-Match": etag},
        json={"translations": {"fi": {"title": "Salainen uusi otsikko", "body": "talousarvio"}}},
    )
    assert edited.status_code == 202  # held for another approver
    assert await snapshot(client) == before
    await act(client, await staff("approver"), scheduled["id"], "approve-change")
    assert await snapshot(client) == before


async def test_scheduled_release_appears_at_its_time_without_any_worker(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    lift = datetime.now(UTC) + timedelta(seconds=1.5)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat()})
    pre = await client.get("/api/v1/releases")
    assert pre.json()["items"] == []
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404
    assert (await client.get(f"/releases/{release['id']}")).status_code == 404
    sitemap = await client.get("/sitemap.xml")
    assert release["id"] not in sitemap.text
    await asyncio.sleep(max(0.0, (lift - datetime.now(UTC)).total_seconds()) + 0.2)
    post = await client.get("/api/v1/releases", headers={"If-None-Match": pre.headers["etag"]})
    assert post.status_code == 200, "a pre-lift ETag must not get a 304 after the lift"
    assert [item["id"] for item in post.json()["items"]] == [release["id"]]
    item = post.json()["items"][0]
    assert datetime.fromisoformat(item["published_at"]) == lift
    assert (await client.get(f"/releases/{release['id']}")).status_code == 200
    after = await client.get("/sitemap.xml", headers={"If-None-Match": sitemap.headers["etag"]})
    assert after.status_code == 200
    assert release["id"] in after.text


async def test_public_max_age_never_reaches_past_the_next_lift(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    at = (datetime.now(UTC) + timedelta(seconds=20)).isoformat()
    await act(client, editor, release["id"], "publish", {"at": at})
    response = await client.get("/api/v1/releases")
    max_age = int(response.headers["cache-control"].split("max-age=")[1])
    assert 0 < max_age <= 20


@pytest.mark.parametrize("query", ["", "?topic=culture", "?source=nobody"])
async def test_a_list_page_empty_or_not_is_kept_no_longer_than_the_next_lift(
    client: httpx.AsyncClient, staff: StaffFactory, query: str
) -> None:
    # The client's public cache is off: the page and the lift time come from one statement.
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver, topics=["housing"])
    release = await approved(client, editor, approver)
    at = (datetime.now(UTC) + timedelta(seconds=20)).isoformat()
    await act(client, editor, release["id"], "publish", {"at": at})
    response = await client.get(f"/api/v1/releases{query}")
    assert response.status_code == 200
    assert len(response.json()["items"]) == (1 if query == "" else 0)
    max_age = int(response.headers["cache-control"].split("max-age=")[1])
    assert 0 < max_age <= 20


async def test_the_list_names_a_source_added_while_the_service_runs(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    assert (await client.get("/api/v1/releases")).status_code == 200
    await conn.execute(
        "INSERT INTO sources (slug, name_fi, name_sv, name_en, position) "
        "VALUES ('harbour', 'Satama', 'Hamnen', 'Harbour', 99)"
    )
    await published(client, editor, approver, source="harbour")
    for lang, name in (("fi", "Satama"), ("en", "Harbour")):
        items = (await client.get("/api/v1/releases", params={"lang": lang})).json()["items"]
        assert items[0]["source"] == {"slug": "harbour", "name": name}


async def test_withdrawn_release_is_a_tombstone_for_sync_and_gone_for_readers(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await act(client, editor, release["id"], "withdraw", {"reason": "Väärä tiedote"})
    changes = (
        await client.get("/api/v1/releases", params={"updated_since": "2000-01-01T00:00:00Z"})
    ).json()
    assert changes["items"] == [
        {
            "state": "withdrawn",
            "id": release["id"],
            "withdrawn_at": changes["items"][0]["withdrawn_at"],
            "updated_at": changes["items"][0]["updated_at"],
            # The staff's reason stays internal; without a public note, a neutral text.
            "reason": "This release has been withdrawn.",
        }
    ]
    assert (await client.get("/api/v1/releases")).json()["items"] == []


async def test_release_withdrawn_before_its_lift_never_becomes_a_tombstone(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    at = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await act(client, editor, release["id"], "publish", {"at": at, "embargo": True})
    await act(client, editor, release["id"], "withdraw", {"reason": "Peruttu"})
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404
    changes = await client.get("/api/v1/releases", params={"updated_since": "2000-01-01T00:00:00Z"})
    assert changes.json()["items"] == []


async def test_a_tombstone_shows_the_public_note_and_never_the_internal_reason(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    withdrawal = {
        "reason": "Legal asked us to pull it: the mayor's lawyer called",
        "public_note": "Tiedotteessa oli virheellisiä lukuja.",
    }
    staff_view = await act(client, editor, release["id"], "withdraw", withdrawal)
    assert staff_view["withdrawal_reason"] == withdrawal["reason"]
    assert staff_view["withdrawal_note"] == withdrawal["public_note"]
    gone = await client.get(f"/api/v1/releases/{release['id']}")
    assert gone.status_code == 410
    assert gone.json()["tombstone"]["reason"] == withdrawal["public_note"]
    synced = await client.get("/api/v1/releases", params={"updated_since": "2000-01-01T00:00:00Z"})
    assert synced.json()["items"][0]["reason"] == withdrawal["public_note"]
    page = await client.get(f"/releases/{release['id']}")
    assert page.status_code == 410
    assert withdrawal["public_note"] in page.text
    for response in (gone, synced, page):
        assert "lawyer" not in response.text
