"""Small builders shared by the registry tests."""

from __future__ import annotations

from typing import Any

import httpx

CONTACTS = "/api/v1/manage/contacts"
OUTLETS = "/api/v1/manage/outlets"


async def add_contact(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, email: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        CONTACTS + "/", json={"name": name, "email": email, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def add_outlet(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post(OUTLETS + "/", json={"name": name, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def names(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get(CONTACTS + "/", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]
