"""Every staff write is in the audit log: who, what, when and what changed."""

from __future__ import annotations

import httpx

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, act, approved


async def test_release_writes_are_audited_with_changes(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    etag = (await client.get(f"{MANAGE}/{release['id']}", headers=approver)).headers["etag"]
    await client.patch(
        f"{MANAGE}/{release['id']}",
        json={"topics": ["housing"]},
        headers={**approver, "If-Match": etag},
    )
    # Four eyes: the approver's change goes back to review, for another approver.
    await act(client, await staff("approver"), release["id"], "approve")
    await act(client, editor, release["id"], "publish", {})
    log = (
        await client.get(
            "/api/v1/manage/audit", params={"entity_id": release["id"]}, headers=approver
        )
    ).json()
    actions = [entry["action"] for entry in log["items"]]
    assert actions == [
        "release.publish",
        "release.approve",
        "release.update",
        "release.approve",
        "release.submit",
        "release.create",
    ]
    update = log["items"][2]
    assert update["actor_id"] == approver.id
    assert update["changes"]["topics"] == {"from": ["economy"], "to": ["housing"]}


async def test_audit_log_pages_and_filters(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    for _ in range(3):
        await approved(client, editor, approver)
    page = (
        await client.get(
            "/api/v1/manage/audit",
            params={"action": "release.approve", "limit": 2},
            headers=approver,
        )
    ).json()
    assert len(page["items"]) == 2
    rest = (
        await client.get(page["next"].replace("http://press.test", ""), headers=approver)
    ).json()
    assert len(rest["items"]) >= 1
    assert all(e["action"] == "release.approve" for e in page["items"] + rest["items"])


async def test_failed_write_leaves_no_audit_entry(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    before = (await client.get("/api/v1/manage/audit", headers=approver)).json()["items"]
    refused = await client.post(f"{MANAGE}/{release['id']}/approve", headers=approver)
    assert refused.status_code == 409
    after = (await client.get("/api/v1/manage/audit", headers=approver)).json()["items"]
    assert after == before
