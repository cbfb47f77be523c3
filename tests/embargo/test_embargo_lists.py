"""A release's embargo list: when it has one, only those on it get the release before its
lift, through every door (API, private feeds and calendar, files, e-mail)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from tests.archive.access import attach
from tests.archive.samples import pdf_bytes, upload
from tests.conftest import StaffFactory
from tests.embargo.test_journalists import EMBARGOED, bearer, contact, issue, scheduled
from tests.releases.helpers import act, approved

MANAGE = "/api/v1/manage/releases"


def listing(release_id: str) -> str:
    return f"{MANAGE}/{release_id}/embargo-list"


async def set_list(
    client: httpx.AsyncClient, editor: dict[str, str], release_id: str, ids: list[Any]
) -> httpx.Response:
    return await client.put(
        listing(release_id), json={"contacts": [str(i) for i in ids]}, headers=editor
    )


async def test_only_those_on_the_list_read_it_and_others_see_what_anyone_sees(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    on_list, off_list = await contact(conn), await contact(conn)
    tokens = {who: await issue(client, editor, who) for who in (on_list, off_list)}
    feeds = {who: await issue(client, editor, who, "feed") for who in (on_list, off_list)}
    release = await scheduled(client, staff, embargo=True)
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await attach(client, editor, document["id"], release["id"])
    file_url = f"/api/v1/files/{document['id']}/liite.pdf"
    for token in tokens.values():  # no list: every accredited journalist
        assert (
            await client.get(f"{EMBARGOED}/{release['id']}", headers=bearer(token))
        ).status_code == 200

    answer = await set_list(client, editor, release["id"], [on_list])
    assert answer.status_code == 200, answer.text
    assert answer.json()["restricted"] is True
    assert [(c["id"], c["accredited"]) for c in answer.json()["contacts"]] == [(str(on_list), True)]

    unknown = await client.get(f"{EMBARGOED}/{uuid4()}", headers=bearer(tokens[off_list]))
    for who, token in tokens.items():
        one = await client.get(f"{EMBARGOED}/{release['id']}", headers=bearer(token))
        every = (await client.get(EMBARGOED, headers=bearer(token))).json()["items"]
        rss = await client.get(f"/feeds/private/{feeds[who]}/releases.rss")
        ics = await client.get(f"/feeds/private/{feeds[who]}/releases.ics")
        fetched = await client.get(file_url, headers=bearer(token))
        if who == on_list:
            assert one.status_code == 200
            assert [r["id"] for r in every] == [release["id"]]
            assert release["id"] in rss.text
            assert release["id"] in ics.text
            assert fetched.status_code == 200
        else:
            assert (one.status_code, one.content) == (unknown.status_code, unknown.content)
            assert every == []
            assert release["id"] not in rss.text
            assert release["id"] not in ics.text
            assert fetched.status_code == 404
    reads = (await client.get(f"{MANAGE}/{release['id']}/embargo-reads", headers=editor)).json()[
        "items"
    ]
    assert {r["contact_id"] for r in reads} <= {str(on_list), str(off_list)}

    # An empty list opens it to every accredited journalist again.
    opened = await set_list(client, editor, release["id"], [])
    assert opened.json() == {"restricted": False, "contacts": []}
    off = await client.get(f"{EMBARGOED}/{release['id']}", headers=bearer(tokens[off_list]))
    assert off.status_code == 200


async def test_the_list_is_checked_kept_and_closed_at_the_lift(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, viewer = await staff("editor"), await staff("viewer")
    release = await scheduled(client, staff, embargo=True)
    lapsed = await contact(conn, access=False)
    ghost = uuid4()
    bad = await set_list(client, editor, release["id"], [lapsed, ghost])
    assert bad.status_code == 422
    assert str(ghost) in bad.json()["detail"]
    assert str(lapsed) not in bad.json()["detail"]
    assert (await set_list(client, viewer, release["id"], [lapsed])).status_code == 403
    assert (await client.get(listing(release["id"]), headers=viewer)).status_code == 403
    kept = await set_list(client, editor, release["id"], [lapsed, lapsed])
    assert [(c["id"], c["accredited"]) for c in kept.json()["contacts"]] == [(str(lapsed), False)]
    assert (await client.get(listing(release["id"]), headers=editor)).json() == kept.json()
    audit = await conn.fetchval(
        "SELECT changes FROM audit_log WHERE action = 'release.embargo_list' "
        "AND entity_id = $1 ORDER BY id DESC LIMIT 1",
        release["id"],
    )
    assert audit == {"before": [], "after": [str(lapsed)]}
    assert (await set_list(client, editor, str(uuid4()), [])).status_code == 404
    approver = await staff("approver")
    public = await approved(client, editor, approver)
    await act(client, editor, public["id"], "publish", {})
    closed = await set_list(client, editor, public["id"], [lapsed])
    assert closed.status_code == 409
