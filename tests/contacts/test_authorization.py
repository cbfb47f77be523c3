"""Who may touch the registry: staff only, by role; journalists and the public never."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from press.embargo.journalists import journalist_token_digest, new_journalist_token
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, add_contact


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", ""),
        ("PATCH", ""),
        ("GET", "/export"),
        ("POST", "/erase"),
        ("GET", "/subscription"),
        ("GET", "/consents"),
        ("PUT", "/subscription"),
    ],
)
async def test_a_journalist_token_opens_no_registry_route(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    method: str,
    suffix: str,
) -> None:
    editor = await staff("editor")
    mine = await add_contact(client, editor, "Journalist A", "a@x.example", embargo_access=True)
    other = await add_contact(client, editor, "Journalist B", "b@x.example")
    token = new_journalist_token()
    await conn.execute(
        "INSERT INTO journalist_tokens (contact_id, token_hash) VALUES ($1, $2)",
        mine["id"],
        journalist_token_digest(token),
    )
    for target in (mine, other):
        response = await client.request(
            method,
            f"{CONTACTS}/{target['id']}{suffix}",
            json={} if method in ("PATCH", "PUT") else None,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 401


@pytest.mark.parametrize("field", ["status", "state", "embargoed", "contact_id", "confirmed"])
async def test_public_subscribe_rejects_fields_it_does_not_take(
    client: httpx.AsyncClient, field: str
) -> None:
    body = {"email": "a@x.example", "consent_text_version": "v1", field: True}
    response = await client.post("/api/v1/subscriptions/", json=body)
    assert response.status_code == 422


async def test_only_an_admin_erases_or_exports_a_person(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    contact = await add_contact(client, editor, "Person", "p@x.example")
    for headers in (editor, approver):
        erase = await client.post(f"{CONTACTS}/{contact['id']}/erase", headers=headers)
        assert erase.status_code == 403
        export = await client.get(f"{CONTACTS}/{contact['id']}/export", headers=headers)
        assert export.status_code == 403
