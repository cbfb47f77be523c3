"""The public list built before routing (press.edge's early route) answers exactly as its
handler does, for every request: valid, invalid, or not plain enough to be taken early."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.releases.helpers import published

LIST = "/api/v1/releases"


@pytest.fixture
async def app_and_client(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    app = create_app(settings, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield app, client


def _routed(app: Litestar) -> list[int]:
    """Count the requests that get past press.edge to the router."""
    edge: Any = app.asgi_handler
    inner = edge.app
    routed = [0]

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        routed[0] += 1
        await inner(scope, receive, send)

    edge.app = counting
    return routed


def _normal(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    headers = dict(response.headers)
    headers.pop("x-request-id")  # each request's own
    if "cache-control" in headers:  # the seconds left may tick between two answers
        headers["cache-control"] = re.sub(r"max-age=\d+", "max-age=N", headers["cache-control"])
    return response.status_code, response.content, headers


async def test_the_list_built_early_is_the_list_the_handler_builds(
    app_and_client: tuple[Litestar, httpx.AsyncClient], staff: StaffFactory
) -> None:
    app, client = app_and_client
    editor, approver = await staff("editor"), await staff("approver")
    for n in range(3):
        texts = {"fi": {"title": f"Julkinen tiedote {n}", "lead": "", "body": "Julkinen."}}
        await published(client, editor, approver, translations=texts)
    second_page = (await client.get(LIST, params={"limit": 2})).json()["next"]
    second_search = (await client.get(LIST, params={"q": "julkinen", "limit": 1})).json()["next"]
    edge: Any = app.asgi_handler
    early = edge.early
    routed = _routed(app)
    taken_early = [
        "",
        "?lang=sv",
        "?limit=2",
        second_page.removeprefix("http://press.test" + LIST),
        "?q=julkinen",
        "?q=julkinen&lang=fi&limit=2",
        second_search.removeprefix("http://press.test" + LIST),
        "?q=%22julkinen+tiedote%22",
        "?updated_since=2020-01-01T00:00:00Z",
        "?source=city-board&topic=no-such-topic",
        "?since=2020-01-01T00:00:00Z&until="
        + (datetime.now(UTC) + timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "?q=julkinen&unknown=1&unknown=2",
        "?q=%20%20",
    ]
    # Invalid: the handler answers (a problem document), as it would have anyway.
    failing = [
        "?lang=de",
        "?limit=0",
        "?limit=101",
        "?cursor=garbage",
        "?q=julkinen&cursor=garbage",
        "?since=yesterday",
        "?q=" + "x" * 201,
    ]
    # Not plain: left to the handler's own parsing.
    not_plain = ["?limit=abc", "?limit=007", "?limit=-1", "?q=", "?lang=fi&lang=sv", "?lang="]
    for query in taken_early + failing + not_plain:
        for method, headers in (
            ("GET", {}),
            ("GET", {"Accept-Language": "sv"}),
            ("HEAD", {}),
        ):
            edge.early = early
            before = routed[0]
            answers = [_normal(await client.request(method, LIST + query, headers=headers))]
            assert routed[0] == before + (query not in taken_early), query
            edge.early = {}
            answers.append(_normal(await client.request(method, LIST + query, headers=headers)))
            assert answers[0] == answers[1], (query, method, headers)
            status = answers[0][0]
            assert (status == 200) == (query in taken_early) or query in not_plain, query
