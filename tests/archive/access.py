"""Builders for the access tests: releases in each state with a file, and journalists."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from press.embargo.journalists import journalist_token_digest, new_journalist_token
from tests.archive.samples import FILES, upload
from tests.releases.helpers import act, approved, create, published

ALT = {"fi": "Kuvassa kaupungintalo", "sv": "Bilden visar stadshuset", "en": "The city hall"}


async def journalist_token(conn: asyncpg.Connection, *, embargo_access: bool = True) -> str:
    contact_id = await conn.fetchval(
        "INSERT INTO contacts (name, email, embargo_access) VALUES ($1, $2, $3) RETURNING id",
        "Toimittaja",
        f"reporter-{secrets.token_hex(3)}@news.example",
        embargo_access,
    )
    token = new_journalist_token()
    await conn.execute(
        "INSERT INTO journalist_tokens (contact_id, token_hash) VALUES ($1, $2)",
        contact_id,
        journalist_token_digest(token),
    )
    return token


async def set_metadata(
    client: httpx.AsyncClient, headers: dict[str, str], file_id: str, change: dict[str, Any]
) -> dict[str, Any]:
    url = f"{FILES}{file_id}"
    etag = (await client.get(url, headers=headers)).headers["etag"]
    response = await client.patch(url, json=change, headers={**headers, "If-Match": etag})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def attach(
    client: httpx.AsyncClient, headers: dict[str, str], file_id: str, release_id: str
) -> None:
    response = await client.post(
        f"{FILES}{file_id}/releases", json={"release_id": release_id}, headers=headers
    )
    assert response.status_code == 200, response.text


async def file_in_release(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    approver: dict[str, str],
    situation: str,
    data: bytes,
    filename: str = "kaupungintalo.jpg",
) -> dict[str, Any]:
    """A file with alt texts, attached to a release in the given situation."""
    created = await upload(client, editor, data, filename)
    await set_metadata(client, editor, created["id"], {"alt": ALT, "title": {"fi": "Kuva"}})
    if situation == "internal":
        return created
    if situation == "draft":
        release = await create(client, editor)
    else:
        release = await approved(client, editor, approver)
    await attach(client, editor, created["id"], release["id"])
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    if situation == "published":
        await act(client, editor, release["id"], "publish", {})
    elif situation == "embargoed":
        await act(client, editor, release["id"], "publish", {"at": later, "embargo": True})
    elif situation == "scheduled":
        await act(client, editor, release["id"], "publish", {"at": later})
    elif situation == "withdrawn":
        await act(client, editor, release["id"], "publish", {})
        await act(client, editor, release["id"], "withdraw", {"reason": "Virhe"})
    created["release_id"] = release["id"]
    return created


__all__ = ["published"]
