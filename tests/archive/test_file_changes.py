"""A published release's files are part of what the public sees of it: attaching, detaching,
changing or deleting one updates the release for a site that syncs by `updated_since`, for its
ETag and for webhooks (`release.updated`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from tests.archive.access import attach, file_in_release, set_metadata
from tests.archive.samples import FILES, pdf_bytes, upload
from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE

Change = Callable[[httpx.AsyncClient, dict[str, str], dict[str, Any]], Awaitable[None]]


async def _caption(
    client: httpx.AsyncClient, approver: dict[str, str], file: dict[str, Any]
) -> None:
    await set_metadata(client, approver, file["id"], {"caption": {"fi": "Uusi kuvateksti"}})


async def _detach(
    client: httpx.AsyncClient, approver: dict[str, str], file: dict[str, Any]
) -> None:
    url = f"{FILES}{file['id']}/releases/{file['release_id']}"
    assert (await client.delete(url, headers=approver)).status_code == 204


async def _attach_another(
    client: httpx.AsyncClient, approver: dict[str, str], file: dict[str, Any]
) -> None:
    other = await upload(client, approver, pdf_bytes(), "liite.pdf")
    await attach(client, approver, other["id"], file["release_id"])


async def _delete(
    client: httpx.AsyncClient, approver: dict[str, str], file: dict[str, Any]
) -> None:
    assert (await client.delete(f"{FILES}{file['id']}", headers=approver)).status_code == 204


@pytest.mark.parametrize("change", [_caption, _detach, _attach_another, _delete])
async def test_a_file_change_updates_its_published_release(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, change: Change
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", pdf_bytes(), "a.pdf")
    release_id = file["release_id"]
    version = (await client.get(f"{MANAGE}/{release_id}", headers=editor)).json()["version"]
    etag = (await client.get(f"/api/v1/releases/{release_id}")).headers["etag"]
    before = await conn.fetchval("SELECT statement_timestamp()")
    changes = await client.get("/api/v1/releases", params={"updated_since": before.isoformat()})
    assert changes.json()["items"] == []

    await change(client, approver, file)

    changes = await client.get("/api/v1/releases", params={"updated_since": before.isoformat()})
    assert [i["id"] for i in changes.json()["items"]] == [release_id]
    assert (await client.get(f"/api/v1/releases/{release_id}")).headers["etag"] != etag
    after = (await client.get(f"{MANAGE}/{release_id}", headers=editor)).json()["version"]
    assert after == version + 1
    event = await conn.fetchrow(
        "SELECT payload FROM outbox WHERE event_type = 'release.updated' AND aggregate_id = $1",
        release_id,
    )
    assert event["payload"]["version"] == after


@pytest.mark.parametrize("situation", ["draft", "embargoed"])
async def test_files_of_a_release_not_yet_public_change_nothing_public(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, situation: str
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, situation, pdf_bytes(), "a.pdf")
    version = (await client.get(f"{MANAGE}/{file['release_id']}", headers=editor)).json()["version"]
    await _attach_another(client, approver, file)
    await _caption(client, approver, file)
    after = (await client.get(f"{MANAGE}/{file['release_id']}", headers=editor)).json()
    assert after["version"] == version  # an editor's If-Match stays good
    assert not await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE event_type = 'release.updated'"
    )
