"""A contact's consent records and accreditation history come in pages, oldest first."""

from __future__ import annotations

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, add_contact
from tests.pages import assert_bad_paging_refused, flat, walk


async def test_consent_records_come_in_pages_each_once_oldest_first(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact = await add_contact(client, editor, "Sanna Koski", "sanna@hs.example")
    url = f"{CONTACTS}/{contact['id']}/consents"
    made = []
    for version in range(7):
        consent = {"text_version": f"2026-{version:02}", "channel": "email"}
        response = await client.post(url, json=consent, headers=editor)
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    pages = await walk(client, url, editor, limit=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert flat(pages) == made
    assert flat(pages, "text_version") == [f"2026-{v:02}" for v in range(7)]
    whole = (await client.get(url, headers=editor)).json()
    assert whole["items"] == [item for page in pages for item in page]
    assert whole["next"] is None
    await assert_bad_paging_refused(client, url, editor)


async def test_accreditation_history_comes_in_pages_each_once_oldest_first(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    contact = await add_contact(client, editor, "Eero Salo", "eero@hs.example")
    kinds = ["granted", "suspended", "reinstated", "suspended", "reinstated", "revoked"]
    for kind in kinds:  # all in this test's transaction: one created_at for every event
        await conn.execute(
            "INSERT INTO accreditation_events (contact_id, kind) VALUES ($1, $2)",
            contact["id"],
            kind,
        )
    url = f"{CONTACTS}/{contact['id']}/accreditation"
    pages = await walk(client, url, editor, limit=4)
    assert [len(page) for page in pages] == [4, 2]
    assert flat(pages, "kind") == kinds
    ids = flat(pages)
    assert ids == sorted(ids)
    assert (await client.get(url, headers=editor)).json()["next"] is None
    await assert_bad_paging_refused(client, url, editor)
