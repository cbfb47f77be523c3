"""The console's form for a new webhook, sent more than once: a reload that resends it, a
double click, two requests at the same moment. One form makes one webhook; another person's
form is refused; a form without its key (an older page, a script) makes one each time."""

from __future__ import annotations

import asyncio
import re
import secrets

import asyncpg
import httpx
import pytest

from tests.conftest import StaffFactory, _fast_hash, staff_user
from tests.web.console import form_token, person, sign_in

ENGLISH = {"Accept-Language": "en"}
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
SECRET = re.compile(r'<code id="secret">(whsec_[^<]+)</code>')
MADE_BEFORE = "This form had already created this webhook: nothing new was made."


async def approver_signed_in(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    email, _ = await person(staff, "approver")
    assert (await sign_in(client, email)).status_code == 303


async def new_form(client: httpx.AsyncClient, url: str) -> dict[str, str]:
    """The webhooks page's form, filled in as a person would."""
    page = await client.get("/console/webhooks/")
    assert page.status_code == 200, page.text
    key = FORM_KEY.search(page.text)
    assert key, "the form has no key"
    return {
        "csrf": form_token(page.text),
        "form_key": key.group(1),
        "url": url,
        "event_types": "release.published",
    }


async def first_webhook(
    client: httpx.AsyncClient, staff: StaffFactory
) -> tuple[str, dict[str, str], httpx.Response]:
    """An approver signed in who has made a webhook with the form: its address, the form as
    sent, and the page it answered (with the secret)."""
    await approver_signed_in(client, staff)
    url = f"https://www.city.example/hooks/{secrets.token_hex(4)}"
    form = await new_form(client, url)
    first = await client.post("/console/webhooks/", data=form, headers=ENGLISH)
    assert first.status_code == 201, first.text
    return url, form, first


def secret_in(page: httpx.Response) -> str:
    found = SECRET.search(page.text)
    assert found, "the page shows no secret"
    return found.group(1)


async def test_a_form_sent_twice_makes_one_webhook_and_shows_it_again(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    url, form, first = await first_webhook(client, staff)
    assert MADE_BEFORE not in first.text
    again = await client.post("/console/webhooks/", data=form, headers=ENGLISH)
    assert again.status_code == 200, again.text
    assert again.headers["cache-control"] == "private, no-store"
    assert MADE_BEFORE in again.text
    assert secret_in(again) == secret_in(first)
    finnish = await client.post("/console/webhooks/", data=form, headers={"Accept-Language": "fi"})
    assert "Tämä lomake oli jo luonut tämän webhookin" in finnish.text

    listed = await client.get("/console/webhooks/")
    assert listed.text.count(f">{url}</a>") == 1
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", url) == 1
    audit = await conn.fetch(
        "SELECT a.action FROM audit_log a JOIN webhooks w ON a.entity_id = w.id::text"
        " WHERE w.url = $1",
        url,
    )
    assert [a["action"] for a in audit] == ["webhook.create"]


async def test_a_form_sent_again_after_a_change_shows_no_secret_it_was_not_given(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    url, form, _ = await first_webhook(client, staff)
    webhook_id = await conn.fetchval("SELECT id FROM webhooks WHERE url = $1", url)
    switched = {"csrf": form["csrf"], "active": "off"}
    assert (await client.post(f"/console/webhooks/{webhook_id}/active", data=switched)).is_redirect
    again = await client.post("/console/webhooks/", data=form, headers=ENGLISH)
    assert again.status_code == 200, again.text
    assert MADE_BEFORE in again.text
    assert 'id="secret"' not in again.text
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", url) == 1


async def test_two_forms_make_two_webhooks_and_a_form_without_a_key_one_each_time(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await approver_signed_in(client, staff)
    url = f"https://www.city.example/hooks/{secrets.token_hex(4)}"
    one, other = await new_form(client, url), await new_form(client, url)
    assert one["form_key"] != other["form_key"]
    for form in (one, other):
        assert (await client.post("/console/webhooks/", data=form)).status_code == 201
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", url) == 2

    older = {k: v for k, v in one.items() if k != "form_key"}
    older["url"] = f"{url}/older"
    for _ in range(2):
        assert (await client.post("/console/webhooks/", data=older)).status_code == 201
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", older["url"]) == 2


async def test_another_staff_members_form_is_refused_and_makes_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    url, theirs, first = await first_webhook(client, staff)

    client.cookies.clear()  # another person, in a browser of their own
    await approver_signed_in(client, staff)
    mine = await new_form(client, f"{url}/mine")
    sent = {**mine, "form_key": theirs["form_key"]}
    refused = await client.post("/console/webhooks/", data=sent, headers=ENGLISH)
    assert refused.status_code == 409
    assert "This form was sent by another staff member, so nothing was made" in refused.text
    assert secret_in(first) not in refused.text
    assert f'value="{url}/mine"' in refused.text  # what they typed, in a form of their own
    fresh_key = FORM_KEY.search(refused.text)
    assert fresh_key
    assert fresh_key.group(1) != theirs["form_key"]
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url LIKE $1", url + "%") == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "not a key at all, with spaces"])
async def test_a_form_with_a_key_press_never_made_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, key: str
) -> None:
    await approver_signed_in(client, staff)
    url = f"https://www.city.example/hooks/{secrets.token_hex(4)}"
    form = {**await new_form(client, url), "form_key": key}
    refused = await client.post("/console/webhooks/", data=form, headers=ENGLISH)
    assert refused.status_code == 422
    assert "This form was out of date, so nothing was made" in refused.text
    assert await conn.fetchval("SELECT count(*) FROM webhooks WHERE url = $1", url) == 0


async def test_one_form_sent_twice_at_the_same_moment_makes_one_webhook(
    fresh_client: httpx.AsyncClient, fresh_conn: asyncpg.Connection
) -> None:
    # Every request commits here, on connections of its own: the second insert waits for the
    # first one's transaction, as a double click's two requests would.
    email = f"approver-{secrets.token_hex(4)}@city.example"
    await staff_user(fresh_conn, "approver", email, await _fast_hash())
    assert (await sign_in(fresh_client, email)).status_code == 303
    form = await new_form(fresh_client, "https://www.city.example/hooks/twice")
    answers = await asyncio.gather(
        *(fresh_client.post("/console/webhooks/", data=form) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert secret_in(answers[0]) == secret_in(answers[1])
    assert await fresh_conn.fetchval("SELECT count(*) FROM webhooks") == 1
    audited = "SELECT count(*) FROM audit_log WHERE action = 'webhook.create'"
    assert await fresh_conn.fetchval(audited) == 1
