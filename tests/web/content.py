"""Content for the press room tests, made through the staff API as an officer would."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import httpx
from PIL import Image, ImageDraw

from press.db import connect
from tests.archive.access import attach, set_metadata
from tests.archive.samples import upload
from tests.web.conftest import Server


def city_photo(width: int = 1200, height: int = 800, hue: int = 0) -> bytes:
    """A JPEG that looks like something: an evening sky over a row of buildings."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(40 + 150 * shade), int(80 + 90 * shade) - hue // 4, int(160 - 40 * shade)),
        )
    x = 0
    step = width // 9
    for index in range(10):
        top = height // 3 + (index * 37 % 5) * height // 14
        draw.rectangle([x, top, x + step - 6, height], fill=(30 + hue % 40, 38, 52))
        for wy in range(top + 20, height - 20, 36):
            for wx in range(x + 12, x + step - 24, 28):
                if (wx + wy + index) % 3:
                    draw.rectangle([wx, wy, wx + 12, wy + 18], fill=(250, 214, 120))
        x += step
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


async def photo(
    api: httpx.AsyncClient, server: Server, alt: str, *, credit: str = "Kaupungin kuvapankki",
    hue: int = 0, **metadata: Any,
) -> dict[str, Any]:  # fmt: skip
    """An uploaded photo with its texts in three languages."""
    uploaded = await upload(api, server.editor, city_photo(hue=hue), "kaupunki.jpg")
    texts = {
        "alt": {"fi": alt, "sv": f"{alt} (sv)", "en": f"{alt} (en)"},
        "caption": {"fi": f"Kuvateksti: {alt}", "sv": "Bildtext", "en": "Caption"},
        "credit": credit,
        "licence": "CC BY 4.0",
        **metadata,
    }
    await set_metadata(api, server.editor, uploaded["id"], texts)
    return uploaded


async def attach_photo(
    api: httpx.AsyncClient, server: Server, release_id: str, alt: str, hue: int = 0
) -> dict[str, Any]:
    shot = await photo(api, server, alt, hue=hue)
    await attach(api, server.editor, shot["id"], release_id)
    return shot


async def database_now(server: Server) -> datetime:
    conn = await connect(server.database_url)
    try:
        now: datetime = await conn.fetchval("SELECT statement_timestamp()")
        return now
    finally:
        await conn.close()


async def press_event(
    api: httpx.AsyncClient, server: Server, title: str, starts_in: timedelta, **fields: Any
) -> dict[str, Any]:
    """A public press event starting `starts_in` from now (negative: in the past)."""
    now = await database_now(server)
    starts = now + starts_in
    body = {
        "source": "city-board",
        "translations": {"fi": {"title": title, "description": "Tervetuloa tilaisuuteen."}},
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "location": {"name": "Kaupungintalo", "address": "Pohjoisesplanadi 11-13"},
        **fields,
    }
    response = await api.post("/api/v1/manage/events/", json=body, headers=server.editor)
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    return event
