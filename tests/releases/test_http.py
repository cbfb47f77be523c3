"""Conditional GET, pagination and bad input on the public and staff APIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, published, release_body


async def test_conditional_get_answers_304_with_the_same_headers(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    await published(client, await staff("editor"), await staff("approver"))
    first = await client.get("/api/v1/releases")
    again = await client.get("/api/v1/releases", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    for header in ("etag", "cache-control", "vary"):
        assert again.headers[header] == first.headers[header]


async def test_stale_etag_wins_over_fresh_if_modified_since(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    await published(client, await staff("editor"), await staff("approver"))
    first = await client.get("/api/v1/releases")
    future = format_datetime(datetime.now(UTC) + timedelta(days=1), usegmt=True)
    response = await client.get(
        "/api/v1/releases", headers={"If-None-Match": '"stale"', "If-Modified-Since": future}
    )
    assert response.status_code == 200
    assert response.headers["etag"] == first.headers["etag"]
    by_date = await client.get("/api/v1/releases", headers={"If-Modified-Since": future})
    assert by_date.status_code == 304


async def test_cursor_pagination_walks_every_release_once_in_order(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    made = [await published(client, editor, approver) for _ in range(5)]
    seen: list[str] = []
    url: str | None = "/api/v1/releases?limit=2"
    while url:
        page = (await client.get(url)).json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert sorted(seen) == sorted(r["id"] for r in made)
    assert len(seen) == len(set(seen))


async def test_next_link_is_the_request_with_only_its_cursor_replaced(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    for _ in range(5):
        await published(client, editor, approver)
    # An encoded name and parameters the list does not read: the next page is asked for with
    # the parameters the list reads, as they were sent, its cursor aside. (The page is kept
    # for every request with those parameters, whatever else they carry: press.public_cache.)
    query = b"limit=2&source=city-board&x=%C3%A4+%22b%22&curs%6Fr=&x=2&y=a b"
    first = await client.get(httpx.URL("/api/v1/releases", query=query))
    assert first.status_code == 200, first.text
    link = httpx.URL(first.json()["next"])
    assert str(link).startswith("http://press.test/api/v1/releases?")
    raw = link.query.split(b"&")
    assert raw[:2] == [b"limit=2", b"source=city-board"]
    assert len(raw) == 3
    assert raw[2].startswith(b"cursor=")
    second = await client.get(link)
    third_link = second.json()["next"]
    assert httpx.URL(third_link).query.split(b"&")[:2] == raw[:2]
    seen = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (release_body(unknown_field=1), "unknown_field"),
        (release_body(source=""), "source"),
        (release_body(translations={}), "translations"),
        (release_body(translations={"de": {"title": "Hallo"}}), "translations"),
        (release_body(translations={"fi": {"title": ""}}), "title"),
        (release_body(topics=["no-such-topic"]), "topics"),
        (release_body(source="city-zoo"), "source"),
        (release_body(contacts=["not-a-uuid"]), "contacts"),
    ],
)
async def test_bad_release_input_is_422_naming_the_field(
    client: httpx.AsyncClient, staff: StaffFactory, body: dict[str, object], field: str
) -> None:
    response = await client.post(MANAGE + "/", json=body, headers=await staff("editor"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422
    assert field in problem["detail"]


async def test_naive_publish_time_is_422(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    from tests.releases.helpers import approved

    release = await approved(client, editor, approver)
    response = await client.post(
        f"{MANAGE}/{release['id']}/publish",
        headers=editor,
        json={"at": (datetime.now(UTC) + timedelta(days=30)).replace(tzinfo=None).isoformat()},
    )
    assert response.status_code == 422
    assert "timezone" in response.json()["detail"] or "offset" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "updated_since=2026-03-29T03:30:00",
        "since=yesterday",
        "limit=0",
        "limit=1000",
        "cursor=garbage",
        "lang=de",
        "limit=abc",
        "q=" + "x" * 500,
    ],
)
async def test_bad_query_parameters_are_client_errors_not_500(
    client: httpx.AsyncClient, query: str
) -> None:
    response = await client.get(f"/api/v1/releases?{query}")
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/v1/no/such/path", 404),  # outside /api/ a page (tests/web)
        ("DELETE", "/api/v1/releases", 405),
        ("GET", "/api/v1/releases/%00%ff", 404),
    ],
)
async def test_routing_errors_are_problem_details(
    client: httpx.AsyncClient, method: str, url: str, status: int
) -> None:
    response = await client.request(method, url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


async def test_malformed_json_is_a_client_error(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    response = await client.post(
        MANAGE + "/",
        content=b"{not json",
        headers={**await staff("editor"), "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_openapi_document_describes_the_contract(client: httpx.AsyncClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    for path in (
        "/api/v1/releases",
        "/api/v1/releases/{key}",
        "/api/v1/manage/releases",
        "/api/v1/auth/token",
        "/api/v1/sources",
    ):
        assert path in document["paths"], path
