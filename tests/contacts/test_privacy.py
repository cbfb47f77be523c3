"""Data protection: access export, erasure, suppression, consent withdrawal, retention."""

from __future__ import annotations

import asyncpg
import httpx
import msgspec

from press.contacts.privacy import purge_inactive
from press.embargo.journalists import (
    fetch_journalist,
    journalist_token_digest,
    new_journalist_token,
)
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, add_contact, add_outlet

PERSONAL = (
    "Riikka Rautio",
    "riikka@lehti.example",
    "riikka.private@mail.example",
    "+358 40 1234567",
    "Met at the budget briefing",
)


async def _full_contact(client: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, object]:
    outlet = await add_outlet(client, editor, "Lehti Oy")
    contact = await add_contact(
        client, editor, PERSONAL[0], PERSONAL[1], other_emails=[PERSONAL[2]], phones=[PERSONAL[3]],
        notes=PERSONAL[4], outlets=[{"id": outlet["id"], "role": "reporter"}],
        embargo_access=True, lawful_basis="consent",
        consent={"text_version": "2026-01", "channel": "email"},
    )  # fmt: skip
    await client.put(
        f"{CONTACTS}/{contact['id']}/subscription", json={"topics": ["economy"]}, headers=editor
    )
    return contact


async def test_access_export_holds_everything_about_the_person_and_no_one_else(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, admin = await staff("editor"), await staff("admin")
    contact = await _full_contact(client, editor)
    other = await add_contact(client, editor, "Someone Else", "else@x.example")
    token = new_journalist_token()
    await conn.execute(
        "INSERT INTO journalist_tokens (contact_id, token_hash, label) VALUES ($1, $2, 'laptop')",
        contact["id"], journalist_token_digest(token),
    )  # fmt: skip
    assert (
        await client.get(f"{CONTACTS}/{contact['id']}/export", headers=editor)
    ).status_code == 403
    response = await client.get(f"{CONTACTS}/{contact['id']}/export", headers=admin)
    assert response.status_code == 200
    export = response.json()
    assert export["contact"]["email"] == PERSONAL[1]
    assert export["contact"]["phones"] == [PERSONAL[3]]
    assert export["outlets"][0]["role"] == "reporter"
    assert export["consents"][0]["text_version"] == "2026-01"
    assert export["consents"][0]["channel"] == "email"
    assert export["subscription"]["topics"] == ["economy"]
    assert export["accreditation"][0]["kind"] == "granted"
    assert export["tokens"][0]["label"] == "laptop"
    assert "token_hash" not in export["tokens"][0]
    assert {a["action"] for a in export["audit"]} >= {"contact.create", "contact.subscription"}
    assert "else@x.example" not in response.text
    assert other["id"] not in response.text


async def test_export_then_erase_then_export_shows_nothing_personal(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, admin = await staff("editor"), await staff("admin")
    contact = await _full_contact(client, editor)
    token = new_journalist_token()
    await conn.execute(
        "INSERT INTO journalist_tokens (contact_id, token_hash) VALUES ($1, $2)",
        contact["id"], journalist_token_digest(token),
    )  # fmt: skip
    assert await fetch_journalist(conn, token) is not None
    before = (await client.get(f"{CONTACTS}/{contact['id']}/export", headers=admin)).text
    assert all(value in before for value in PERSONAL)
    erased = await client.post(f"{CONTACTS}/{contact['id']}/erase", headers=admin)
    assert erased.status_code == 204
    after = (await client.get(f"{CONTACTS}/{contact['id']}/export", headers=admin)).text
    assert not [value for value in PERSONAL if value in after]
    assert msgspec.json.decode(after)["contact"]["status"] == "erased"
    assert await fetch_journalist(conn, token) is None
    assert (await client.get(f"{CONTACTS}/{contact['id']}", headers=editor)).status_code == 404
    assert "Riikka" not in (await client.get(CONTACTS + "/?q=riikka", headers=editor)).text
    audit = await conn.fetch("SELECT changes::text AS c FROM audit_log")
    assert not [r for r in audit if "riikka" in r["c"].lower()]


async def test_an_erased_address_is_not_brought_back_by_import_entry_or_subscribe(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, admin = await staff("editor"), await staff("admin")
    contact = await add_contact(client, editor, "Gone Person", "gone@x.example")
    await client.post(f"{CONTACTS}/{contact['id']}/erase", headers=admin)
    stored = await conn.fetchval("SELECT count(*) FROM suppressed_emails")
    assert stored == 1
    assert await conn.fetchval("SELECT count(*) FROM contacts WHERE email ILIKE '%gone%'") == 0
    again = await client.post(
        CONTACTS + "/", json={"name": "Gone", "email": "GONE@x.example"}, headers=editor
    )
    assert again.status_code == 409
    csv = b"name,email\nGone Person,gone@x.example\n"
    report = await client.post(
        CONTACTS + "/import", files={"file": ("c.csv", csv, "text/csv")}, headers=editor
    )
    assert report.json()["created"] == 0
    assert report.json()["rejected"][0]["row"] == 2
    await client.post(
        "/api/v1/subscriptions/", json={"email": "gone@x.example", "consent_text_version": "v1"}
    )
    assert await conn.fetchval("SELECT count(*) FROM contacts WHERE email = 'gone@x.example'") == 0


async def test_retention_purge_erases_only_inactive_contacts_without_consent_and_is_idempotent(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    old = await add_contact(client, editor, "Old Timer", "old@x.example")
    await add_contact(client, editor, "Recent One", "recent@x.example")
    consenting = await add_contact(
        client, editor, "Old Consent", "oldc@x.example", lawful_basis="consent",
        consent={"text_version": "v1", "channel": "email"},
    )  # fmt: skip
    await conn.execute(
        "UPDATE contacts SET updated_at = now() - interval '30 months' WHERE id = ANY($1::uuid[])",
        [old["id"], consenting["id"]],
    )
    listed = await purge_inactive(conn, 24, apply=False)
    assert [c.name for c in listed] == ["Old Timer"]
    assert await conn.fetchval("SELECT status FROM contacts WHERE id = $1", old["id"]) == "active"
    erased = await purge_inactive(conn, 24, apply=True)
    assert [str(c.id) for c in erased] == [old["id"]]
    assert await conn.fetchval("SELECT status FROM contacts WHERE id = $1", old["id"]) == "erased"
    assert await purge_inactive(conn, 24, apply=True) == []
    # not suppressed: a purged person may come back of their own accord
    assert await conn.fetchval("SELECT count(*) FROM suppressed_emails") == 0
