"""Four eyes: whoever last changed a release's content does not approve it, and a change of
a scheduled or published release waits for another approver before anyone reads it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.conftest import StaffFactory, StaffHeaders
from tests.releases.helpers import MANAGE, act, approved, create, edit, published

NEW_TEXT = {"translations": {"fi": {"title": "Uusi otsikko", "body": "Muutettu luku."}}}


async def audit_of(
    client: httpx.AsyncClient, headers: dict[str, str], release_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/manage/audit", params={"entity_id": release_id}, headers=headers
    )
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def writer_and_two_approvers(staff: StaffFactory) -> tuple[StaffHeaders, ...]:
    return await staff("editor"), await staff("approver"), await staff("approver")


@pytest.fixture
async def self_approving_client(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app run with PRESS_ALLOW_SELF_APPROVAL (a small office)."""
    app = create_app(
        msgspec.structs.replace(settings, allow_self_approval=True),
        database=SingleConnectionDatabase(conn),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


async def test_an_approver_cannot_approve_their_own_rewrite_of_a_release_in_review(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver, other = await writer_and_two_approvers(staff)
    release = await create(client, editor)
    await act(client, editor, release["id"], "submit")
    rewritten = await edit(client, approver, release["id"], NEW_TEXT)
    assert rewritten["content_changed_by"] == approver.id
    refused = await act(client, approver, release["id"], "approve", status=403)
    assert "changed since its last approval" in refused["detail"]
    # A later touch by someone else does not make the rewrite the approver's to approve.
    await edit(client, editor, release["id"], {"topics": ["housing"]})
    await act(client, approver, release["id"], "approve", status=403)
    assert (await act(client, other, release["id"], "approve"))["state"] == "approved"


async def test_an_approvers_change_to_an_approved_release_needs_another_approver(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver, other = await writer_and_two_approvers(staff)
    release = await approved(client, editor, approver)
    changed = await edit(client, approver, release["id"], NEW_TEXT)
    assert changed["state"] == "in_review"
    await act(client, editor, release["id"], "publish", {}, status=409)
    await act(client, approver, release["id"], "approve", status=403)
    await act(client, other, release["id"], "approve")
    assert (await act(client, editor, release["id"], "publish", {}))["state"] == "published"


async def test_an_editors_change_to_a_published_release_waits_for_an_approver(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    public_url = f"/api/v1/releases/{release['id']}"
    before = await client.get(public_url)
    held = await edit(client, editor, release["id"], NEW_TEXT, status=202)
    assert held["translations"]["fi"]["title"] == release["translations"]["fi"]["title"]
    assert held["pending_change"]["proposed_by"] == editor.id
    assert held["pending_change"]["note"] is None
    assert held["allowed_actions"] == ["correct", "withdraw", "reject-change"]
    seen_by_approver = (await client.get(f"{MANAGE}/{release['id']}", headers=approver)).json()
    assert seen_by_approver["allowed_actions"][-2:] == ["approve-change", "reject-change"]
    unchanged = await client.get(public_url)
    assert (unchanged.content, unchanged.headers["etag"]) == (
        before.content,
        before.headers["etag"],
    )
    await act(client, editor, release["id"], "approve-change", status=403)
    done = await act(client, approver, release["id"], "approve-change")
    assert done["pending_change"] is None
    assert (await client.get(public_url)).json()["title"] == "Uusi otsikko"
    revisions = (await client.get(f"{MANAGE}/{release['id']}/revisions", headers=editor)).json()
    assert [r["kind"] for r in revisions["items"]] == ["edit"]
    [entry, proposal, *_] = await audit_of(client, approver, release["id"])
    assert proposal["action"] == "release.propose_change"
    assert proposal["actor_id"] == editor.id
    assert entry["action"] == "release.update"
    assert entry["changes"]["approval"] == {"proposed_by": editor.id, "approved_by": approver.id}


async def test_a_correction_is_approved_by_someone_other_than_its_author(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver, other = await writer_and_two_approvers(staff)
    release = await published(client, editor, approver)
    correction = {"note": "Vuosiluku korjattu.", "changes": NEW_TEXT}
    await act(client, approver, release["id"], "correct", correction, status=202)
    public = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert public["corrections"] == []
    refused = await act(client, approver, release["id"], "approve-change", status=403)
    assert "another approver" in refused["detail"]
    await act(client, other, release["id"], "approve-change")
    public = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert public["corrections"][0]["note"] == "Vuosiluku korjattu."
    assert public["title"] == "Uusi otsikko"
    [entry, *_] = await audit_of(client, other, release["id"])
    assert entry["action"] == "release.correct"
    assert entry["changes"]["note"] == "Vuosiluku korjattu."
    assert entry["changes"]["approval"] == {"proposed_by": approver.id, "approved_by": other.id}


async def test_a_change_of_a_scheduled_release_waits_for_an_approver_too(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver, other = await writer_and_two_approvers(staff)
    release = await approved(client, editor, approver)
    at = await conn.fetchval("SELECT statement_timestamp() + interval '1 hour'")
    await act(client, editor, release["id"], "publish", {"at": at.isoformat()})
    held = await edit(client, approver, release["id"], NEW_TEXT, status=202)
    assert held["state"] == "scheduled"
    assert held["translations"]["fi"]["title"] != "Uusi otsikko"
    await act(client, approver, release["id"], "approve-change", status=403)
    done = await act(client, other, release["id"], "approve-change")
    assert (done["state"], done["translations"]["fi"]["title"]) == ("scheduled", "Uusi otsikko")


async def test_one_change_waits_at_a_time_and_its_author_may_take_it_back(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await edit(client, editor, release["id"], NEW_TEXT, status=202)
    second = {"note": "Toinen", "changes": NEW_TEXT}
    waiting = await act(client, editor, release["id"], "correct", second, status=409)
    assert "approve-change" in waiting["detail"]
    await act(client, await staff("editor"), release["id"], "reject-change", status=403)
    taken_back = await act(client, editor, release["id"], "reject-change", {"reason": "Oops"})
    assert taken_back["pending_change"] is None
    await act(client, approver, release["id"], "approve-change", status=409)
    public = (await client.get(f"/api/v1/releases/{release['id']}")).json()
    assert public["title"] == release["translations"]["fi"]["title"]


async def test_with_self_approval_allowed_an_approver_corrects_at_once_and_it_is_audited(
    self_approving_client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    client = self_approving_client
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    correction = {"note": "Korjattu.", "changes": NEW_TEXT}
    done = await act(client, approver, release["id"], "correct", correction)
    assert done["translations"]["fi"]["title"] == "Uusi otsikko"
    [entry, *_] = await audit_of(client, approver, release["id"])
    assert entry["action"] == "release.correct"
    assert entry["changes"]["approval"] == {
        "approved_by": approver.id,
        "approval": "self (PRESS_ALLOW_SELF_APPROVAL)",
    }
    # The setting lets approvers approve themselves; an editor's change still waits.
    await act(client, editor, release["id"], "correct", correction, status=202)


async def test_withdrawing_a_release_drops_its_pending_change(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    await act(client, editor, release["id"], "correct", {"note": "N", "changes": NEW_TEXT}, 202)
    withdrawn = await act(client, editor, release["id"], "withdraw", {"reason": "Wrong"})
    assert withdrawn["pending_change"] is None
    await act(client, approver, release["id"], "approve-change", status=409)
    assert (await client.get(f"/api/v1/releases/{release['id']}")).status_code == 410
