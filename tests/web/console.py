"""Signing in to the console as a browser would, for the console's tests."""

from __future__ import annotations

import re

import httpx

PASSWORD = "correct horse battery staple"
FORM_TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


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
