"""Signing in to the console as a browser would, for the console's tests."""

from __future__ import annotations

import re
import secrets

import httpx

from tests.conftest import StaffFactory

PASSWORD = "correct horse battery staple"
FORM_TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
RELEASE = {
    "source": "city-board",
    "topics": ["economy"],
    "translations": {"fi": {"title": "Budjetti", "lead": "Ingressi", "body": "Teksti."}},
}


def form_token(html: str) -> str:
    found = FORM_TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_page: str = ""
) -> httpx.Response:
    """Open the sign-in page and send its form; the client keeps the cookies."""
    page = await client.get("/console/sign-in", params={"next": next_page} if next_page else {})
    assert page.status_code == 200, page.text
    data = {"csrf": form_token(page.text), "email": email, "password": password}
    if next_page:
        data["next"] = next_page
    return await client.post("/console/sign-in", data=data)


async def page_token(client: httpx.AsyncClient, path: str = "/console/") -> str:
    """The form token of the client's session, from a console page."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return form_token(page.text)


async def person(staff: StaffFactory, role: str) -> tuple[str, dict[str, str]]:
    """A staff user's e-mail address and API headers."""
    email = f"{role}-{secrets.token_hex(4)}@city.example"
    headers = await staff(role, email=email)
    return email, headers


async def draft(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    created = await client.post("/api/v1/manage/releases/", json=RELEASE, headers=headers)
    assert created.status_code == 201, created.text
    release_id: str = created.json()["id"]
    return release_id
