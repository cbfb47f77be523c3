"""A journalist who was really sent mail and really read an embargoed release: the access
export holds every stored row about them, and erasure leaves their name, address, IP and
browser in no table at all. Both doors: staff (admin) and the person's own e-mailed link.
Consent records keep the database's instants of giving and withdrawal."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import asyncpg
import httpx
import pytest

from press.settings import Settings
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.delivery.test_privacy_requests import _ask, _link
from tests.embargo.test_journalists import EMBARGOED, bearer, issue
from tests.releases.helpers import MANAGE, act, approved, published
from tests.web.test_desk_pages import magic_link

NAME, EMAIL = "Riikka Rautio", "riikka@lehti.example"
PHONE, NOTES = "+358 40 7654321", "Met at the harbour briefing"
# What the reader's requests carry that names their machine: the address a proxy reports,
# and the test client's own (the ASGI transport's), which the app sees as the client.
IP, CLIENT, USER_AGENT = "203.0.113.77", "127.0.0.1", "RiikkanSelain/9.1 (riikka-laptop)"
PERSONAL = (NAME, "riikka", "rautio", EMAIL, PHONE, NOTES, IP, CLIENT, USER_AGENT)

# Columns of rows about the person that the export leaves out on purpose, and why.
NOT_EXPORTED = {
    # derived from the name for searching and sorting; the name itself is exported
    ("contacts", "search_text"),
    ("contacts", "sort_key"),
    # secrets: a hash of a token or a confirmation nonce would help no one but an attacker
    ("journalist_tokens", "token_hash"),
    ("room_sessions", "token_hash"),
    ("subscriptions", "confirm_nonce"),
}

REFERENCES_TO_CONTACTS = """
SELECT kcu.table_name::text AS table_name, kcu.column_name::text AS column_name
FROM information_schema.referential_constraints rc
JOIN information_schema.key_column_usage kcu
  ON kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name
JOIN information_schema.key_column_usage pk
  ON pk.constraint_schema = rc.unique_constraint_schema
 AND pk.constraint_name = rc.unique_constraint_name
WHERE kcu.table_schema = current_schema() AND pk.table_name = 'contacts'
ORDER BY 1, 2
"""


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _reader(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> dict[str, Any]:
    """An accredited journalist mailed an embargoed release who then read it with a token."""
    editor, approver = await staff("editor"), await staff("approver")
    contact = await subscriber(
        client, editor, NAME, EMAIL, {"embargoed": True}, embargo_access=True,
        phones=[PHONE], notes=NOTES, lawful_basis="consent",
        consent={"text_version": "2026-03", "channel": "email"},
    )  # fmt: skip
    token = await issue(client, editor, contact["id"])
    release = await approved(client, editor, approver)
    lift = datetime.now(UTC) + timedelta(hours=2)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    listed = await client.put(
        f"{MANAGE}/{release['id']}/embargo-list", json={"contacts": [contact["id"]]},
        headers=editor,
    )  # fmt: skip
    assert listed.status_code == 200, listed.text
    await deliver(conn, settings, smtp.url)
    assert [rcpts for rcpts, _ in smtp.received] == [[EMAIL]]
    machine = {"User-Agent": USER_AGENT, "X-Forwarded-For": IP}
    read = await client.get(f"{EMBARGOED}/{release['id']}", headers={**bearer(token), **machine})
    assert read.status_code == 200
    # and in the reading room of the desk, signed in by an e-mailed link
    signed_in = await client.post(
        await magic_link(client, conn, settings, smtp, EMAIL), headers=machine
    )
    assert signed_in.status_code == 303
    page = await client.get(f"/en/desk/room/releases/{release['id']}", headers=machine)
    assert page.status_code == 200
    room_cookies = dict(client.cookies)
    client.cookies.clear()
    sent = await conn.fetchval(
        "SELECT count(*) FROM mail_deliveries WHERE contact_id = $1 AND state = 'sent'",
        contact["id"],
    )
    reads = await conn.fetchval(
        "SELECT count(*) FROM embargo_reads WHERE contact_id = $1", contact["id"]
    )
    assert (sent, reads) == (2, 2)  # the release and the sign-in link; API and room
    return {**contact, "token": token, "room": room_cookies, "release_id": release["id"]}


async def _export(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
    route: str,
    contact_id: str,
) -> dict[str, Any]:
    if route == "staff":
        response = await client.get(f"{CONTACTS}/{contact_id}/export", headers=await staff("admin"))
    else:
        await _ask(client, EMAIL, "access")
        await deliver(conn, settings, smtp.url)
        response = await client.post(_link(smtp.to(EMAIL)[-1], settings))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def _erase(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
    route: str,
    contact_id: str,
) -> None:
    if route == "staff":
        erased = await client.post(f"{CONTACTS}/{contact_id}/erase", headers=await staff("admin"))
        assert erased.status_code == 204, erased.text
    else:
        await _ask(client, EMAIL, "erasure")
        await deliver(conn, settings, smtp.url)
        erased = await client.post(_link(smtp.to(EMAIL)[-1], settings))
        assert erased.status_code == 200, erased.text


def _pairs(node: Any, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Every (key, JSON value) pair anywhere in an export."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.add((key, json.dumps(value, sort_keys=True)))
            _pairs(value, found)
    elif isinstance(node, list):
        for item in node:
            _pairs(item, found)
    return found


async def _stored_rows(
    conn: asyncpg.Connection, contact_id: str
) -> list[tuple[str, dict[str, Any]]]:
    """The contact's own row and every row of every table that refers to it by foreign key,
    found through information_schema so that a table or column added later is included."""
    rows = [("contacts", await conn.fetchval(
        "SELECT to_jsonb(c) FROM contacts c WHERE id = $1", contact_id))]  # fmt: skip
    for ref in await conn.fetch(REFERENCES_TO_CONTACTS):
        # Names come from the catalogue, not from input.
        found = await conn.fetch(
            f"SELECT to_jsonb(t) AS row FROM {ref['table_name']} t WHERE {ref['column_name']} = $1",
            contact_id,
        )
        rows += [(ref["table_name"], r["row"]) for r in found]
    return [(table, _decoded(row)) for table, row in rows]


async def _tables_holding(
    conn: asyncpg.Connection, values: tuple[str, ...]
) -> set[tuple[str, str]]:
    """(table, value) for each value found in any column of any row of any table."""
    tables = await conn.fetch(
        "SELECT table_name::text AS name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    found = set()
    for table in tables:
        for value in values:
            # Every column of the row, as text; names come from the catalogue.
            if await conn.fetchval(
                f"SELECT EXISTS (SELECT 1 FROM {table['name']} t "
                "WHERE to_jsonb(t)::text ILIKE '%' || $1 || '%')",
                value,
            ):
                found.add((table["name"], value))
    return found


@pytest.mark.parametrize("route", ["staff", "self"])
async def test_export_holds_every_stored_column_with_the_delivery_log_and_embargo_reads(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
    route: str,
) -> None:
    contact = await _reader(client, staff, conn, settings, smtp)
    export = await _export(client, staff, conn, settings, smtp, route, contact["id"])
    assert [d["state"] for d in export["deliveries"] if d["kind"] == "release"] == ["sent"]
    reads = export["embargo_reads"]
    assert [(r["contact_id"], r["token_id"] is None) for r in reads] == [
        (contact["id"], False),  # with the API token
        (contact["id"], True),  # in the reading room
    ]

    references = await conn.fetch(REFERENCES_TO_CONTACTS)
    linking = {(r["table_name"], r["column_name"]) for r in references}
    pairs = _pairs(export, set())
    missing = []
    stored = await _stored_rows(conn, contact["id"])
    assert {table for table, _ in stored} >= {"contacts", "mail_deliveries", "embargo_reads"}
    for table, row in stored:
        for column, value in row.items():
            # The column that points at the person is what the whole export is about.
            if (table, column) in NOT_EXPORTED or (table, column) in linking:
                continue
            if (column, json.dumps(value, sort_keys=True)) not in pairs:
                missing.append(f"{table}.{column} = {value!r}")
    assert missing == []
    assert "token_hash" not in json.dumps(export)


@pytest.mark.parametrize("route", ["staff", "self"])
async def test_erasure_leaves_the_person_in_no_table_and_column(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
    route: str,
) -> None:
    contact = await _reader(client, staff, conn, settings, smtp)
    await _export(client, staff, conn, settings, smtp, route, contact["id"])
    before = await _tables_holding(conn, PERSONAL)
    await _erase(client, staff, conn, settings, smtp, route, contact["id"])
    after = await _tables_holding(conn, PERSONAL)
    assert {("contacts", EMAIL), ("contacts", PHONE), ("contacts", NOTES)} <= before
    assert after == set()
    # Neither the API token nor the reading room's session opens anything any more.
    api = await client.get(f"{EMBARGOED}/{contact['release_id']}", headers=bearer(contact["token"]))
    assert api.status_code == 401
    client.cookies.update(contact["room"])
    room = await client.get(f"/en/desk/room/releases/{contact['release_id']}")
    client.cookies.clear()
    assert room.status_code == 401  # as without a session: signed out
    # What is kept for accountability still exists, without anything personal.
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM embargo_reads WHERE contact_id = $1", contact["id"]
        )
        == 2
    )
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM mail_deliveries WHERE kind = 'release' AND state = 'sent'"
        )
        == 1
    )
    assert await conn.fetchval("SELECT count(*) FROM suppressed_emails") == 1


async def _database_now(conn: asyncpg.Connection) -> datetime:
    now: datetime = await conn.fetchval("SELECT clock_timestamp()")
    return now


def _link_in(message: EmailMessage, settings: Settings, pattern: str) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    found = re.search(rf"https?://\S+/{pattern}/\S+", str(part.get_content()))
    assert found is not None
    return found.group(0).removeprefix(settings.public_url)


async def test_consent_keeps_when_it_was_given_and_withdrawn_its_version_and_channel(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver, admin = await staff("editor"), await staff("approver"), await staff("admin")
    address = "oona@paper.example"
    at = [await _database_now(conn)]
    body = {"email": address, "consent_text_version": "2026-05", "topics": ["economy"]}
    assert (await client.post("/api/v1/subscriptions/", json=body)).status_code == 202
    await deliver(conn, settings, smtp.url)
    assert (await client.post(_link_in(smtp.to(address)[-1], settings, "confirm"))).is_success
    at.append(await _database_now(conn))
    contact_id = await conn.fetchval("SELECT id FROM contacts WHERE email = $1", address)
    consents = f"{CONTACTS}/{contact_id}/consents"
    given = await client.post(
        consents, json={"text_version": "2026-06", "channel": "phone"}, headers=editor
    )
    assert given.status_code == 201, given.text
    at.append(await _database_now(conn))
    withdrawn = await client.post(f"{consents}/{given.json()['id']}/withdraw", headers=editor)
    assert withdrawn.status_code == 200, withdrawn.text
    at.append(await _database_now(conn))
    # The person leaves from a release mail: what consent is left is withdrawn then.
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    message = smtp.to(address)[-1]
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"])
    assert unsubscribe is not None
    left = await client.post(
        unsubscribe.group(1).removeprefix(settings.public_url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert left.status_code == 200
    at.append(await _database_now(conn))

    export = (await client.get(f"{CONTACTS}/{contact_id}/export", headers=admin)).json()
    web, phone = export["consents"]
    assert (web["text_version"], web["channel"]) == ("2026-05", "web-form")
    assert (phone["text_version"], phone["channel"]) == ("2026-06", "phone")

    def instant(record: dict[str, Any], key: str) -> datetime:
        return datetime.fromisoformat(record[key])

    assert at[0] < instant(web, "given_at") < at[1]
    assert at[1] < instant(phone, "given_at") < at[2]
    assert at[2] < instant(phone, "withdrawn_at") < at[3]
    assert at[3] < instant(web, "withdrawn_at") < at[4]
    listed = (await client.get(consents, headers=editor)).json()["items"]
    assert [(instant(c, "given_at"), instant(c, "withdrawn_at")) for c in listed] == [
        (instant(c, "given_at"), instant(c, "withdrawn_at")) for c in (web, phone)
    ]
