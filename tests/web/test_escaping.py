"""No page marks a user-written field safe: titles, alt texts, credits, names, searches."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import httpx

from tests.archive.access import attach, set_metadata
from tests.archive.samples import image_bytes, upload
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_inert(response: httpx.Response) -> None:
    assert response.status_code == 200, response.url
    assert "<script>alert" not in response.text, response.url
    assert "<img src=x" not in response.text, response.url
    assert ESCAPED in response.text, response.url


async def test_user_written_fields_are_escaped_on_every_page(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver, admin = await staff("editor"), await staff("approver"), await staff("admin")
    text = {"title": HOSTILE, "lead": HOSTILE, "body": "Teksti."}
    release = await approved(client, editor, approver, translations={"fi": text})
    shot = await upload(client, editor, image_bytes("JPEG", (400, 300)), "kuva.jpg")
    metadata = {
        "alt": {"fi": HOSTILE},
        "caption": {"fi": HOSTILE},
        "credit": HOSTILE,
        "licence": HOSTILE,
    }
    await set_metadata(client, editor, shot["id"], metadata)
    await attach(client, editor, shot["id"], release["id"])
    await act(client, editor, release["id"], "publish", {})
    bank = await upload(client, editor, image_bytes("JPEG", (400, 300)), "pankki.jpg")
    await set_metadata(
        client, editor, bank["id"], {**metadata, "collection": "logos", "public": True}
    )
    contact = {"name": HOSTILE, "title": {"fi": HOSTILE}, "email": "a@city.example"}
    created = await client.post("/api/v1/manage/media-contacts/", json=contact, headers=admin)
    assert created.status_code == 201, created.text
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    starts = now + timedelta(days=1)
    event = {
        "source": "city-board",
        "translations": {"fi": {"title": HOSTILE, "description": HOSTILE}},
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "location": {"name": HOSTILE},
    }
    created = await client.post("/api/v1/manage/events/", json=event, headers=editor)
    assert created.status_code == 201, created.text
    for path, params in (
        ("/fi/", {}),
        ("/fi/", {"q": HOSTILE}),
        (f"/releases/{release['id']}", {}),
        ("/fi/events/", {}),
        ("/fi/contacts/", {}),
        ("/fi/media-bank/", {}),
    ):
        assert_inert(await client.get(path, params=params))
