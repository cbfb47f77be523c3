"""Builders shared by the event and calendar tests."""

from __future__ import annotations

from typing import Any

import httpx

MANAGE_EVENTS = "/api/v1/manage/events"


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source": "city-board",
        "translations": {
            "fi": {"title": "Tiedotustilaisuus talousarviosta", "description": "Pormestari."},
            "sv": {"title": "Presskonferens om budgeten", "description": "Borgmästaren."},
            "en": {"title": "Press conference on the budget", "description": "The mayor."},
        },
        "starts_at": "2026-12-03T10:00:00+02:00",
        "ends_at": "2026-12-03T11:00:00+02:00",
        "location": {
            "name": "Kaupungintalo",
            "address": "Pohjoisesplanadi 11-13, Helsinki",
            "latitude": 60.1676,
            "longitude": 24.9525,
        },
        "online_url": "https://stream.example/live",
        "accreditation_required": True,
    }
    body.update(overrides)
    return body


async def create_event(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(MANAGE_EVENTS + "/", json=event_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def update_event(
    client: httpx.AsyncClient, headers: dict[str, str], event_id: str, change: dict[str, Any]
) -> dict[str, Any]:
    url = f"{MANAGE_EVENTS}/{event_id}"
    etag = (await client.get(url, headers=headers)).headers["etag"]
    response = await client.patch(url, json=change, headers={**headers, "If-Match": etag})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data
