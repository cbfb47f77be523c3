"""The guides' examples, run as written against a live press (a real process on a real
PostgreSQL), so that a renamed field, path, status or error type shows here and not at an
integrator's. What an example is: tests/guide_examples.py.

Every `curl` or JSON block of the guides must be an example, so that a new one is checked too.
The guide's Python that checks a webhook's signature (`verify-webhook`) runs on a real delivery.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from argon2 import PasswordHasher

from press.db import connect
from tests.conftest import clone_database, drop_database, staff_user
from tests.embargo.processes import start_app, wait_until_up
from tests.embargo.receiver import Receiver
from tests.embargo.waiting import eventually
from tests.guide_examples import (
    DOCS,
    GUIDES,
    Example,
    assert_matches,
    collected,
    differences,
    fenced_blocks,
    json_of,
    parse_curl,
    read_examples,
    require_guides,
    split_curl_example,
    with_values,
)

PASSWORD = "harbour lanterns at dusk"


# --- the live app and what the examples read ---


@dataclass
class Live:
    variables: dict[str, str]
    values: dict[str, str]  # the values of the "…" the guides leave out
    webhook_secret: str
    receiver: Receiver
    client: httpx.AsyncClient


@pytest.fixture(scope="module")
async def live() -> AsyncIterator[Live]:
    """press as `uvicorn` runs it, on a database of its own, with a release in every part
    the guide's excerpt shows (contact, decision, correction, event), a withdrawn one, and a
    webhook receiver subscribed to publications."""
    require_guides()
    database_url = await clone_database("docs" + secrets.token_hex(4))
    log_dir = Path(tempfile.mkdtemp(prefix="press-docs-"))
    receiver = Receiver()
    await receiver.start()
    app = start_app(database_url, log_dir)
    try:
        async with httpx.AsyncClient(base_url=app.url, timeout=30) as client:
            await wait_until_up(client, app)
            conn = await connect(database_url)
            try:
                cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
                hashed = cheap.hash(PASSWORD)
                editor = await staff_user(conn, "editor", "officer@city.example", hashed)
                approver = await staff_user(conn, "approver", None, hashed)
            finally:
                await conn.close()
            secret = await subscribe(client, approver, receiver.url)
            release_id = await full_release(client, editor, approver)
            withdrawn_id = await withdrawn_release(client, editor, approver)
            contact_id, journalist_token = await journalist(client, editor)
            await embargoed_release(client, editor, approver)
            token = editor["Authorization"].removeprefix("Bearer ")
            yield Live(
                variables={
                    "PRESS": app.url,
                    "TOKEN": token,
                    "ID": release_id,
                    "WITHDRAWN_ID": withdrawn_id,
                    "CONTACT_ID": contact_id,
                    "JOURNALIST_TOKEN": journalist_token,
                    "KEY": str(uuid.uuid4()),  # an Idempotency-Key
                },
                values={"password": PASSWORD},
                webhook_secret=secret,
                receiver=receiver,
                client=client,
            )
    finally:
        app.stop()
        await receiver.stop()
        await drop_database(database_url)
        shutil.rmtree(log_dir, ignore_errors=True)


async def call(
    client: httpx.AsyncClient, method: str, path: str, who: dict[str, str], body: object = None
) -> Any:
    response = await client.request(method, path, json=body, headers=who)
    assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


async def subscribe(client: httpx.AsyncClient, approver: dict[str, str], url: str) -> str:
    body = {"url": url, "event_types": ["release.published"]}
    created = await call(client, "POST", "/api/v1/manage/webhooks", approver, body)
    secret: str = created["secret"]
    return secret


def release_body(title: str, **more: object) -> dict[str, object]:
    translations = {
        "fi": {"title": title, "lead": "Talousarvio hyväksyttiin.", "body": "**Talousarvio**."},
        "sv": {"title": "Stadsstyrelsen beslöt om budgeten", "body": "**Budgeten**."},
        "en": {"title": "The City Board decided on the budget", "body": "**The budget**."},
    }
    return {"source": "city-board", "topics": ["economy"], "translations": translations, **more}


async def published(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    approver: dict[str, str],
    body: object,
    schedule: dict[str, object] | None = None,
) -> str:
    """Written, approved and published (now, or as `schedule` says)."""
    manage = "/api/v1/manage/releases"
    release_id: str = (await call(client, "POST", manage, editor, body))["id"]
    await call(client, "POST", f"{manage}/{release_id}/submit", editor)
    await call(client, "POST", f"{manage}/{release_id}/approve", approver)
    await call(client, "POST", f"{manage}/{release_id}/publish", editor, schedule or {})
    return release_id


async def full_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> str:
    contact = {"name": "Aino Lehtinen", "phone": "+358 9 310 25101", "email": "aino@city.example"}
    contact_id = (await call(client, "POST", "/api/v1/manage/media-contacts", editor, contact))[
        "id"
    ]
    decision = {"id": "HEL 2026-012345", "url": "https://paatokset.example.fi/hel-2026-012345"}
    body = release_body("Kaupunginhallitus päätti talousarviosta", contacts=[contact_id])
    release_id = await published(client, editor, approver, {**body, "decision": decision})
    manage = f"/api/v1/manage/releases/{release_id}"
    await call(client, "POST", f"{manage}/correct", editor, {"note": "Korjattu vuosiluku."})
    await call(client, "POST", f"{manage}/approve-change", approver)
    event = {
        "source": "city-board",
        "translations": {"fi": {"title": "Tiedotustilaisuus"}},
        "starts_at": "2026-12-01T10:00:00+02:00",
        "ends_at": "2026-12-01T11:00:00+02:00",
        "releases": [release_id],
    }
    await call(client, "POST", "/api/v1/manage/events", editor, event)
    return release_id


async def withdrawn_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> str:
    body = release_body("Kaupunginhallitus palautti asian valmisteluun")
    release_id = await published(client, editor, approver, body)
    withdrawal = {"reason": "Asia palautettiin valmisteluun."}
    await call(
        client, "POST", f"/api/v1/manage/releases/{release_id}/withdraw", approver, withdrawal
    )
    return release_id


async def journalist(client: httpx.AsyncClient, editor: dict[str, str]) -> tuple[str, str]:
    """An accredited journalist's contact id and API token."""
    contact = {"name": "Reetta Toimittaja", "email": "reetta@news.example", "embargo_access": True}
    contact_id: str = (await call(client, "POST", "/api/v1/manage/contacts", editor, contact))["id"]
    tokens = f"/api/v1/manage/contacts/{contact_id}/tokens"
    token: str = (await call(client, "POST", tokens, editor, {}))["token"]
    return contact_id, token


async def embargoed_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> None:
    """A release scheduled a day from now under embargo, with terms."""
    body = release_body("Kaupunginhallitus esittää talousarviota", embargo_terms="Ei ennen klo 9.")
    lift = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    await published(client, editor, approver, body, {"at": lift, "embargo": True})


async def delivery_of(live: Live, release_id: str) -> tuple[dict[str, str], bytes]:
    """The headers and body of the webhook press sent for `release_id`'s publication."""

    def sent() -> list[Any]:
        return [r for r in live.receiver.requests if r.json()["data"]["id"] == release_id]

    await eventually(sent, within=20)
    delivery = sent()[0]
    return delivery.headers, delivery.body


# --- the tests ---


def test_every_curl_and_json_block_of_the_guides_is_an_example() -> None:
    require_guides()
    unmarked = [
        f"docs/{block.guide}:{block.line}"
        for guide in GUIDES
        for block in fenced_blocks(guide)
        if block.marker is None and (block.language == "json" or "curl " in block.text)
    ]
    assert not unmarked, f"examples no test runs (mark them `<!-- example: NAME -->`): {unmarked}"
    names = [e.name for e in read_examples()]
    assert len(names) == len(set(names)), f"example names must be unique: {sorted(names)}"


@pytest.mark.parametrize("example", collected())
async def test_the_guides_example_matches_the_live_service(
    example: Example | None, live: Live
) -> None:
    require_guides()
    assert example is not None, f"no `<!-- example: … -->` found in {DOCS}"
    runners: dict[str, Callable[[Example, Live], Any]] = {
        "webhook": check_webhook_payload,
        "verify-webhook": check_webhook_verification,
    }
    if example.name in runners:
        await runners[example.name](example, live)
    elif "curl " in example.text:
        await check_curl_example(example, live)
    else:
        await check_excerpt(example, live)


async def check_curl_example(example: Example, live: Live) -> None:
    command, answer = split_curl_example(example.text)
    curl = parse_curl(command, live.variables)
    body = None
    if curl.body is not None:
        body = msgspec.json.encode(with_values(json_of(curl.body), live.values))
    response = await live.client.request(curl.method, curl.url, headers=curl.headers, content=body)
    assert response.status_code == answer.status, (
        f"{example}: the guide says {answer.status}, press answers"
        f" {response.status_code} {response.text}"
    )
    if answer.excerpt is not None:
        assert_matches(example, answer.excerpt, response.json())


async def check_excerpt(example: Example, live: Live) -> None:
    assert example.request, f"{example}: the marker names no request (`, GET /path 200`)"
    assert example.language == "json", f"{example}: an excerpt is a JSON block"
    method, path, status = example.request
    url = parse_curl(f"curl {path}", live.variables).url
    response = await live.client.request(method, url)
    assert response.status_code == status, f"{example}: {response.status_code} {response.text}"
    assert_matches(example, json_of(example.text), response.json())


async def check_webhook_payload(example: Example, live: Live) -> None:
    _, body = await delivery_of(live, live.variables["ID"])
    assert_matches(example, json_of(example.text), msgspec.json.decode(body))


async def check_webhook_verification(example: Example, live: Live) -> None:
    assert example.language == "python", example
    namespace: dict[str, Any] = {}
    # The guide's own code, as an integrator would paste it.
    exec(compile(example.text, str(example), "exec"), namespace)
    headers, body = await delivery_of(live, live.variables["ID"])
    verify = namespace["verify"]
    assert verify(live.webhook_secret, headers, body), f"{example} refuses press's own delivery"
    assert not verify(live.webhook_secret, headers, body + b" "), f"{example} takes any body"


# --- the comparison itself, without a service ---


def test_a_field_the_service_renamed_or_retyped_is_a_difference() -> None:
    shown = {
        "state": "published",
        "published_at": "2026-11-30T08:00:00Z",
        "topics": [{"slug": "…"}],
    }
    real = {"state": "published", "publication_time": "x", "topics": [{"slug": "economy"}]}
    assert differences(shown, real) == [
        "$.published_at: not in press's answer (it has ['publication_time', 'state', 'topics'])"
    ]
    assert differences({"version": 5}, {"version": "5"}) == [
        "$.version: the guide shows a number, press answers '5'"
    ]
    assert differences({"state": "published"}, {"state": "withdrawn"}) == [
        "$.state: the guide shows 'published', press 'withdrawn'"
    ]
    assert differences({"items": [{}, {}]}, {"items": [{}]}) == [
        "$.items: press answers 1 items, fewer than the guide shows"
    ]
    assert differences({"id": "7d1c…", "extra": None}, {"id": "x", "extra": None, "more": 1}) == []


def test_a_curl_line_is_read_as_the_request_it_makes() -> None:
    command, answer = split_curl_example(
        "curl -sf -X PATCH $PRESS/api/v1/x -H 'content-type: application/json' \\\n"
        '  -H "authorization: Bearer $TOKEN" -d \'{"a": "…"}\'\n'
        "# 412 Precondition Failed\n"
        '# {"type": "https://press.example/problems/precondition-failed"}'
    )
    curl = parse_curl(command, {"PRESS": "http://press.test", "TOKEN": "pst_1"})
    assert (curl.method, curl.url) == ("PATCH", "http://press.test/api/v1/x")
    assert curl.headers == {"content-type": "application/json", "authorization": "Bearer pst_1"}
    assert with_values(json_of(curl.body or ""), {"a": "secret"}) == {"a": "secret"}
    assert answer.status == 412
    assert answer.excerpt == {"type": "https://press.example/problems/precondition-failed"}
