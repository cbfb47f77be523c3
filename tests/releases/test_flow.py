"""A release from draft to withdrawal, as a press officer and the website see it."""

from __future__ import annotations

import httpx

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, act, approved, corrected, create, published


async def test_release_goes_from_draft_to_public_to_withdrawn(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await create(client, editor)
    assert release["state"] == "draft"
    assert release["translations"]["fi"]["slug"] == "kaupunginhallitus-paatti-talousarviosta"
    assert "<strong>hyväksyi</strong>" in release["translations"]["fi"]["body_html"]
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 404

    await act(client, editor, release["id"], "submit")
    await act(client, approver, release["id"], "approve")
    done = await act(client, editor, release["id"], "publish", {})
    assert done["state"] == "published"

    public = await client.get(f"/api/v1/releases/{release['id']}", params={"lang": "sv"})
    assert public.status_code == 200
    assert public.json()["title"] == "Stadsstyrelsen beslöt om budgeten"
    assert public.headers["content-language"] == "sv"
    listed = (await client.get("/api/v1/releases")).json()["items"]
    assert [item["id"] for item in listed] == [release["id"]]

    await act(client, editor, release["id"], "withdraw", {"reason": "Published by mistake"})
    gone = await client.get(f"/api/v1/releases/{release['id']}")
    assert gone.status_code == 410
    assert gone.json()["tombstone"]["state"] == "withdrawn"
    assert (await client.get("/api/v1/releases")).json()["items"] == []


async def test_accept_language_picks_language_and_falls_back_to_finnish(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    only_fi = {"fi": {"title": "Vain suomeksi", "lead": "", "body": ""}}
    release = await published(client, editor, approver, translations=only_fi)
    response = await client.get(
        f"/api/v1/releases/{release['id']}", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert response.json()["lang"] == "fi"
    both = await published(client, editor, approver)
    response = await client.get(
        f"/api/v1/releases/{both['id']}", headers={"Accept-Language": "sv-FI, en;q=0.5"}
    )
    assert response.json()["lang"] == "sv"
    # The header chose the body: a shared cache (the city's CDN, a proxy) must key on it, or
    # it gives a Swedish reader's answer to the next Finnish one.
    finnish = await client.get(f"/api/v1/releases/{both['id']}", headers={"Accept-Language": "fi"})
    assert finnish.json()["lang"] == "fi"
    assert finnish.headers["etag"] != response.headers["etag"]
    for answer in (response, finnish, await client.get("/api/v1/releases")):
        varies = {v.strip().lower() for v in answer.headers["vary"].split(",")}
        assert "accept-language" in varies, answer.headers["vary"]


async def test_release_is_readable_by_slug(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    response = await client.get("/api/v1/releases/city-board-decided-on-the-budget")
    assert response.status_code == 200
    assert response.json()["id"] == release["id"]
    assert response.json()["lang"] == "en"


async def test_stale_if_match_is_refused_and_nothing_is_overwritten(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    release = await create(client, editor)
    url = f"{MANAGE}/{release['id']}"
    etag = (await client.get(url, headers=editor)).headers["etag"]
    change = {"translations": {"fi": {"title": "Uusi otsikko"}}}
    first = await client.patch(url, json=change, headers={**editor, "If-Match": etag})
    assert first.status_code == 200
    assert first.json()["translations"]["fi"]["title"] == "Uusi otsikko"
    stale = await client.patch(
        url,
        json={"translations": {"fi": {"title": "Toinen"}}},
        headers={**editor, "If-Match": etag},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"].startswith("application/problem+json")
    missing = await client.patch(url, json=change, headers=editor)
    assert missing.status_code == 428
    current = (await client.get(url, headers=editor)).json()
    assert current["translations"]["fi"]["title"] == "Uusi otsikko"


async def test_correction_is_shown_publicly_with_note_and_revision_kept(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    # The editor's correction goes live once another person, an approver, approves it.
    await corrected(
        client,
        editor,
        approver,
        release["id"],
        {
            "note": "Korjattu vuosiluku.",
            "changes": {
                "translations": {
                    "fi": {
                        "title": "Kaupunginhallitus päätti talousarviosta",
                        "body": "Talousarvio vuodelle 2028.",
                    }
                }
            },
        },
    )
    public = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert public["corrections"][0]["note"] == "Korjattu vuosiluku."
    assert "2028" in public["body_html"]
    revisions = (await client.get(f"{MANAGE}/{release['id']}/revisions", headers=editor)).json()
    assert [r["kind"] for r in revisions["items"]] == ["correction"]
    assert "2027" in revisions["items"][0]["snapshot"]["translations"]["fi"]["body"]


async def test_approver_cannot_approve_own_release(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    approver = await staff("approver")
    release = await create(client, approver)
    await act(client, approver, release["id"], "submit")
    refused = await act(client, approver, release["id"], "approve", status=403)
    assert "another approver" in refused["detail"]


async def test_editing_approved_release_as_editor_needs_approval_again(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    url = f"{MANAGE}/{release['id']}"
    etag = (await client.get(url, headers=editor)).headers["etag"]
    changed = await client.patch(
        url, json={"topics": ["housing"]}, headers={**editor, "If-Match": etag}
    )
    assert changed.json()["state"] == "in_review"
