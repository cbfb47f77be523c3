"""Small builders shared by the release tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import msgspec

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings

MANAGE = "/api/v1/manage/releases"


def release_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source": "city-board",
        "topics": ["economy"],
        "translations": {
            "fi": {
                "title": "Kaupunginhallitus päätti talousarviosta",
                "lead": "Talousarvio hyväksyttiin.",
                "body": "Kaupunginhallitus **hyväksyi** vuoden 2027 talousarvion.",
            },
            "sv": {
                "title": "Stadsstyrelsen beslöt om budgeten",
                "lead": "Budgeten godkändes.",
                "body": "Stadsstyrelsen godkände budgeten för 2027.",
            },
            "en": {
                "title": "City Board decided on the budget",
                "lead": "Budget approved.",
                "body": "The City Board approved the 2027 budget.",
            },
        },
    }
    body.update(overrides)
    return body


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(MANAGE + "/", json=release_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def act(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    release_id: str,
    action: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    response = await client.post(f"{MANAGE}/{release_id}/{action}", json=body, headers=headers)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


async def approved(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    """A release written by `editor`, submitted and approved by `approver`."""
    release = await create(client, editor, **overrides)
    await act(client, editor, release["id"], "submit")
    return await act(client, approver, release["id"], "approve")


async def published(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    release = await approved(client, editor, approver, **overrides)
    return await act(client, editor, release["id"], "publish", {})


async def edit(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    release_id: str,
    change: dict[str, Any],
    status: int = 200,
) -> dict[str, Any]:
    """PATCH a release with the ETag just read; its answer (202: the change is held)."""
    url = f"{MANAGE}/{release_id}"
    etag = (await client.get(url, headers=headers)).headers["etag"]
    response = await client.patch(url, json=change, headers={**headers, "If-Match": etag})
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


async def corrected(
    client: httpx.AsyncClient,
    author: dict[str, str],
    approver: dict[str, str],
    release_id: str,
    correction: dict[str, Any],
) -> dict[str, Any]:
    """A correction by `author`, held until `approver` (another person) approves it."""
    held = await act(client, author, release_id, "correct", correction, status=202)
    assert held["pending_change"]["note"] == correction["note"]
    return await act(client, approver, release_id, "approve-change")


@asynccontextmanager
async def website_client(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose releases are shown on the city website."""
    website = msgspec.structs.replace(
        settings, release_url_template="https://www.city.example/{lang}/news/{slug}"
    )
    app = create_app(website, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client
