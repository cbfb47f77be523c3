"""Walking a list page by page as a client does, and the answers a list owes to bad paging."""

from __future__ import annotations

import base64
from typing import Any

import httpx

# Cursors press never made: not base64 JSON, the wrong shape, a value of the wrong type, a
# number no column holds.
TAMPERED_CURSORS = (
    "not-a-cursor!",
    base64.urlsafe_b64encode(b'{"a": 1}').decode(),
    base64.urlsafe_b64encode(b'["x", "y", "z"]').decode(),
    base64.urlsafe_b64encode(b"[[1], 2]").decode(),
    base64.urlsafe_b64encode(b"[99999999999999999999999]").decode(),
)


async def walk(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], limit: int
) -> list[list[dict[str, Any]]]:
    """Every page of the list at `url`, `limit` items a page, following `next` to the end."""
    pages: list[list[dict[str, Any]]] = []
    link: str | None = str(httpx.URL(url).copy_merge_params({"limit": limit}))
    while link:
        response = await client.get(link, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next"}
        assert 0 < len(body["items"]) <= limit
        pages.append(body["items"])
        link = body["next"]
        assert len(pages) < 100, "the list does not end"
    return pages


def flat(pages: list[list[dict[str, Any]]], key: str = "id") -> list[Any]:
    return [item[key] for page in pages for item in page]


async def assert_bad_paging_refused(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> None:
    """A limit out of 1-100 and a cursor press did not make are each a 422 problem."""
    refusals = [{"limit": "0"}, {"limit": "101"}] + [{"cursor": c} for c in TAMPERED_CURSORS]
    for params in refusals:
        response = await client.get(url, params=params, headers=headers)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["key"] in params
