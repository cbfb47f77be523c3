"""A release's topics and media contacts, replaced by a change that keeps some of them."""

from __future__ import annotations

import httpx

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, release_body


async def media_contact(client: httpx.AsyncClient, editor: dict[str, str], name: str) -> str:
    body = {"name": name, "phone": "+358 9 123", "email": "tiedotus@city.example"}
    created = await client.post("/api/v1/manage/media-contacts/", json=body, headers=editor)
    assert created.status_code == 201, created.text
    contact_id: str = created.json()["id"]
    return contact_id


async def test_a_change_that_keeps_some_topics_and_contacts_saves_them_in_the_new_order(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    first, second = [await media_contact(client, editor, n) for n in ("Tiina", "Timo")]
    created = await client.post(
        f"{MANAGE}/",
        json=release_body(topics=["economy"], contacts=[first, second]),
        headers=editor,
    )
    assert created.status_code == 201, created.text
    url = f"{MANAGE}/{created.json()['id']}"
    # The same topic again, plus one; the same contacts, the other way round.
    changed = await client.patch(
        url,
        json={"topics": ["economy", "culture"], "contacts": [second, first]},
        headers={**editor, "If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert sorted(changed.json()["topics"]) == ["culture", "economy"]
    assert changed.json()["contacts"] == [second, first]
    unchanged = await client.patch(
        url,
        json={"topics": ["culture"], "contacts": [second]},
        headers={**editor, "If-Match": changed.headers["etag"]},
    )
    assert unchanged.status_code == 200, unchanged.text
    assert unchanged.json()["topics"] == ["culture"]
    assert unchanged.json()["contacts"] == [second]
