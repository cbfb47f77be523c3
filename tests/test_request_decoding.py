"""Input shaped to break decoding (JSON nested a thousand deep, cursors we never made) is a
4xx problem document that names the input, on every route that reads it; never a 500."""

from __future__ import annotations

import base64
import re
import uuid

import httpx
import pytest

from tests.conftest import StaffFactory


def cursor_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


NESTED = b"[" * 1000 + b"]" * 1000
A_UUID = str(uuid.uuid4()).encode()
CRAFTED_CURSORS = {
    "nested 1000 deep": cursor_of(NESTED),
    "nested 10000 deep": cursor_of(b"[" * 10_000 + b"]" * 10_000),
    "nested inside a position": cursor_of(b'["2026-01-01T00:00:00+00:00", ' + NESTED + b"]"),
    "a number for the id": cursor_of(b'["2026-01-01T00:00:00+00:00", 5]'),
    "a list for the id": cursor_of(b'["2026-01-01T00:00:00+00:00", ["x"]]'),
    "an object": cursor_of(b'{"a": ' + NESTED + b"}"),
    "a huge number": cursor_of(b"[1" + b"0" * 5000 + b', "' + A_UUID + b'"]'),
    "not base64": "%%%",
}
LISTS = [
    "/api/v1/releases",
    "/api/v1/releases?q=council",
    "/api/v1/events",
    "/api/v1/media-bank",
    "/api/v1/manage/releases",
    "/api/v1/manage/events",
    "/api/v1/manage/files",
    "/api/v1/manage/contacts",
    "/api/v1/manage/outlets",
    "/api/v1/manage/deliveries",
    "/api/v1/manage/audit",
]


@pytest.mark.parametrize("cursor", CRAFTED_CURSORS.values(), ids=CRAFTED_CURSORS.keys())
async def test_a_crafted_cursor_is_a_422_naming_the_cursor_on_every_list(
    client: httpx.AsyncClient, staff: StaffFactory, cursor: str
) -> None:
    admin = await staff("admin")
    hook = await client.post(
        "/api/v1/manage/webhooks",
        json={"url": "https://www.city.example/hooks", "event_types": ["*"]},
        headers=admin,
    )
    deliveries = f"/api/v1/manage/webhooks/{hook.json()['id']}/deliveries"
    for path in [*LISTS, deliveries]:
        response = await client.get(path, params={"cursor": cursor}, headers=admin)
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert "cursor" in response.json()["detail"], path


DEEP_BODIES = {
    "the whole body": NESTED,
    "one field": b'{"email": "a@city.example", "password": ' + NESTED + b"}",
    "far deeper": b"[" * 200_000 + b"]" * 200_000,
    "objects": b'{"a":' * 5000 + b"1" + b"}" * 5000,
}
WRITES = [
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/manage/releases"),
    ("POST", "/api/v1/manage/webhooks"),
    ("POST", "/api/v1/manage/contacts"),
    ("POST", "/api/v1/manage/events"),
]


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
async def test_json_nested_too_deeply_is_a_400_naming_the_body(
    client: httpx.AsyncClient, staff: StaffFactory, body: bytes
) -> None:
    admin = await staff("admin")
    for method, path in WRITES:
        response = await client.request(
            method, path, content=body, headers={**admin, "content-type": "application/json"}
        )
        assert response.status_code == 400, (path, response.text)
        problem = response.json()
        assert problem["errors"] == [{"key": "body", "message": "nested too deeply"}]
        assert "nests JSON arrays or objects too deeply" in problem["detail"]


async def test_json_nested_a_little_is_read_as_usual(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    # Depth the decoder manages is left to the schema, which refuses what it does not expect.
    admin = await staff("admin")
    body = b'{"email": "a@city.example", "password": ' + b"[" * 50 + b"]" * 50 + b"}"
    response = await client.post(
        "/api/v1/auth/token", content=body, headers={**admin, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "password" in response.text


A_FILE = "/api/v1/manage/files/00000000-0000-4000-8000-000000000000"
# (method, path, body, the key the 422 names): a value under a language is named with it,
# which of the languages it is, not `translations[...]` (msgspec's own path).
IN_ONE_LANGUAGE = [
    ("POST", "/api/v1/manage/releases",
     {"source": "city-board", "translations": {"fi": {"title": "Talousarvio"},
                                               "sv": {"title": ""}}},
     "translations.sv.title"),
    ("POST", "/api/v1/manage/events",
     {"source": "city-board", "starts_at": "2026-12-03T10:00:00+02:00",
      "ends_at": "2026-12-03T11:00:00+02:00",
      "translations": {"fi": {"title": "Tiedotustilaisuus"}, "en": {"description": "x"}}},
     "translations.en"),
    ("PATCH", "/api/v1/manage/releases/00000000-0000-4000-8000-000000000000",
     {"translations": {"sv": None, "en": {"title": "Budget", "lead": 5}}},
     "translations.en.lead"),
    ("PATCH", A_FILE, {"alt": {"fi": "Kuva", "sv": "Bild\nrad", "en": "Photo"}}, "alt.sv"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "key"), IN_ONE_LANGUAGE)
async def test_a_refused_value_of_one_language_is_named_with_its_language(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    method: str,
    path: str,
    body: dict[str, object],
    key: str,
) -> None:
    admin = await staff("admin")
    response = await client.request(method, path, json=body, headers=admin)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [e["key"] for e in problem["errors"]] == [key]
    assert problem["detail"].startswith(f"{key}: ")


@pytest.mark.parametrize(
    "csv",
    [
        b"name,email\n" + b"a" * 200_000 + b",a@city.example\n",
        b'name,email\nA,a@city.example\n"' + b"a" * 200_000 + b"\n",
    ],
    ids=["a cell over 128 kB", "a quote never closed"],
)
async def test_a_contact_file_the_csv_reader_cannot_read_is_a_422_naming_the_file(
    client: httpx.AsyncClient, staff: StaffFactory, csv: bytes
) -> None:
    admin = await staff("admin")
    response = await client.post(
        "/api/v1/manage/contacts/import",
        files={"file": ("contacts.csv", csv, "text/csv")},
        headers=admin,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["key"] == "file"
    assert re.search(r"(Row|line) \d+", response.json()["detail"])
