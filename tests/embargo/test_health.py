"""/metrics is the operator's: it needs PRESS_METRICS_TOKEN as a bearer token, and without
that setting it is not there at all."""

from __future__ import annotations

import httpx

from tests.embargo.conftest import METRICS_TOKEN as TOKEN


async def test_metrics_are_not_served_without_a_metrics_token_setting(
    client: httpx.AsyncClient,
) -> None:
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": "Bearer "}):
        response = await client.get("/metrics", headers=headers)
        assert response.status_code == 404
        assert "press_lift" not in response.text
        # As any unknown address a machine reads (other unknown paths are pages for people).
        unknown = await client.get("/api/v1/no-such-thing")
        assert response.json() == unknown.json()


async def test_metrics_need_the_bearer_token(monitored: httpx.AsyncClient) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ):
        response = await monitored.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert "press_lift" not in response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
    allowed = await monitored.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 200
    assert "press_lift_overdue_releases 0" in allowed.text
    assert allowed.headers["cache-control"] == "no-store"


async def test_metrics_name_their_charset_once(monitored: httpx.AsyncClient) -> None:
    response = await monitored.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    content_type = response.headers["content-type"]
    assert content_type.count("charset") == 1, content_type
    assert content_type.startswith("text/plain; version=0.0.4")


async def test_metrics_keep_their_names(monitored: httpx.AsyncClient) -> None:
    text = (await monitored.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).text
    names = {line.split()[0] for line in text.splitlines() if not line.startswith("#")}
    assert names >= {
        "press_lift_overdue_releases",
        "press_lift_oldest_overdue_seconds",
        "press_lift_leader",
        "press_webhook_deliveries_pending",
        "press_webhook_deliveries_failed",
    }
