"""One-line text at the API edge: a line break or control character in a name, title,
subject, place or label is a 422 naming the field, before anything is stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from press.text import is_single_line
from tests.conftest import StaffFactory
from tests.events.helpers import event_body
from tests.releases.helpers import release_body

INJECTION = "Budget\r\nBcc: everyone@example.org"


def _with_title(title: str) -> dict[str, Any]:
    body = release_body()
    body["translations"]["fi"]["title"] = title
    return body


def _event_with_place(address: str) -> dict[str, Any]:
    body = event_body()
    body["location"]["address"] = address
    return body


# (method, path, body, the field the 422 names)
REFUSED = [
    ("POST", "/api/v1/manage/releases/", _with_title(INJECTION), "translations.fi.title"),
    ("POST", "/api/v1/manage/contacts/", {"name": INJECTION, "email": "a@x.example"}, "name"),
    ("POST", "/api/v1/manage/outlets/", {"name": "Yle\nNews"}, "name"),
    ("POST", "/api/v1/manage/events/", _event_with_place("Street 1\r\nX"), "location.address"),
    ("POST", "/api/v1/manage/webhooks/",
     {"url": "https://site.example/hook", "event_types": ["*"], "description": "Site\rhook"},
     "description"),
    ("PATCH", "/api/v1/manage/files/00000000-0000-4000-8000-000000000000",
     {"alt": {"fi": "Kuva\u2028rivi"}}, "alt.fi"),
    ("PATCH", "/api/v1/manage/files/00000000-0000-4000-8000-000000000000",
     {"credit": "Photo\x00X"}, "credit"),
    ("POST", "/api/v1/subscriptions/",
     {"email": "n@x.example", "consent_text_version": "v1", "name": "Eve\r\nBcc: x@y.example"},
     "name"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "field"), REFUSED)
async def test_control_characters_in_one_line_fields_are_a_422_naming_the_field(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    admin = await staff("admin")
    response = await client.request(method, path, json=body, headers=admin)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [e["key"] for e in problem["errors"]] == [field]
    assert "one line of text" in problem["detail"]


async def test_text_on_one_line_with_any_script_is_accepted(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    title = "Äänestys: Helsingin kaupunginvaltuusto 🗳 «Budget» 2027 \u200f"
    body = _with_title(title)
    response = await client.post("/api/v1/manage/releases/", json=body, headers=editor)
    assert response.status_code == 201, response.text
    assert response.json()["translations"]["fi"]["title"] == title


@pytest.mark.parametrize(
    ("text", "one_line"),
    [("Aino Äijälä", True), ("a\tb", False), ("a\nb", False), ("a\x85b", False),
     ("a\u2029b", False), ("a\x7fb", False), ("", True)],
)  # fmt: skip
def test_is_single_line(text: str, one_line: bool) -> None:
    assert is_single_line(text) is one_line
