"""A person sees or erases their own data through a link e-mailed to them (real SMTP)."""

from __future__ import annotations

import re
from email.message import EmailMessage

import asyncpg
import httpx

from press.settings import Settings
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, add_contact
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.releases.helpers import published

REQUESTS = "/api/v1/privacy/requests"


def _link(message: EmailMessage, settings: Settings) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    # The e-mail links to the page of the journalist's desk; the API answers its token too.
    found = re.search(r"https?://\S+/(fi|sv|en)/desk/privacy/(\S+)", str(part.get_content()))
    assert found is not None
    assert found.group(0).startswith(settings.public_url)
    return f"/api/v1/privacy/{found.group(2)}"


async def _ask(
    client: httpx.AsyncClient, email: str, kind: str, lang: str = "fi"
) -> dict[str, str]:
    response = await client.post(REQUESTS, json={"email": email, "kind": kind, "lang": lang})
    assert response.status_code == 202, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, str] = response.json()
    return body


async def test_a_person_downloads_everything_held_about_them_once(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor = await staff("editor")
    contact = await add_contact(
        client, editor, "Riikka Rautio", "riikka@lehti.example", notes="Met at the briefing",
        phones=["+358 40 1234567"],
    )  # fmt: skip
    await _ask(client, "Riikka@Lehti.example", "access", "sv")
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to("riikka@lehti.example")
    assert mail["Content-Language"] == "sv"
    assert mail["Subject"] == "Dina uppgifter i vårt register"
    link = _link(mail, settings)
    page = await client.get(link)
    assert page.status_code == 200
    assert 'lang="sv"' in page.text
    assert '<form method="post">' in page.text
    assert (await client.get(link)).status_code == 200  # looking changes nothing
    download = await client.post(link)
    assert download.status_code == 200
    assert download.headers["cache-control"] == "no-store"
    assert "attachment" in download.headers["content-disposition"]
    data = download.json()
    assert data["contact"]["id"] == contact["id"]
    assert data["contact"]["notes"] == "Met at the briefing"
    assert [r["kind"] for r in data["privacy_requests"]] == ["access"]
    assert (await client.post(link)).status_code == 404  # a spent link
    audit = await conn.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'contact.export.self' AND entity_id = $1",
        contact["id"],
    )
    assert audit == 1


async def test_a_person_erases_their_data_and_gets_nothing_more(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    contact = await subscriber(client, editor, "Eero Esimerkki", "eero@media.example")
    await _ask(client, "eero@media.example", "erasure")
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to("eero@media.example")
    assert mail["Subject"] == "Tietojesi poistaminen rekisteristämme"
    link = _link(mail, settings)
    erased = await client.post(link)
    assert erased.status_code == 200
    assert "Tiedot poistettu" in erased.text
    admin = await staff("admin")
    assert (await client.get(f"{CONTACTS}/{contact['id']}", headers=admin)).status_code == 404
    row = await conn.fetchrow("SELECT * FROM contacts WHERE id = $1", contact["id"])
    assert row["status"] == "erased"
    assert "eero" not in str(dict(row)).lower()
    smtp.received.clear()
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    assert smtp.to("eero@media.example") == []
    # The address is suppressed: staff cannot add it back, nor can a new request reach it.
    again = await client.post(
        CONTACTS + "/", json={"name": "Eero", "email": "eero@media.example"}, headers=editor
    )
    assert again.status_code in (409, 422)
    await _ask(client, "eero@media.example", "access")
    await deliver(conn, settings, smtp.url)
    assert smtp.to("eero@media.example") == []
    assert (await client.get(link)).status_code == 404


async def test_requests_tell_no_one_who_is_registered_and_flood_no_one(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor = await staff("editor")
    await add_contact(client, editor, "Known", "known@x.example")
    known = await client.post(REQUESTS, json={"email": "known@x.example", "kind": "access"})
    unknown = await client.post(REQUESTS, json={"email": "nobody@x.example", "kind": "access"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    for _ in range(5):
        await _ask(client, "known@x.example", "access")
    await deliver(conn, settings, smtp.url)
    assert len(smtp.to("known@x.example")) == 1
    assert smtp.to("nobody@x.example") == []


async def test_forged_or_foreign_links_do_nothing(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor = await staff("editor")
    mine = await add_contact(client, editor, "Mine", "mine@x.example")
    other = await add_contact(client, editor, "Other", "other@x.example")
    await _ask(client, "mine@x.example", "erasure")
    await deliver(conn, settings, smtp.url)
    link = _link(smtp.to("mine@x.example")[0], settings)
    token = link.rsplit("/", 1)[1]
    mine_hex, nonce, mac = token.split(".")
    other_hex = other["id"].replace("-", "")
    for forged in (f"{other_hex}.{nonce}.{mac}", f"{mine_hex}.{nonce}.{mac[:-2]}AA", "x", "a.b.c"):
        assert (await client.post(f"/api/v1/privacy/{forged}")).status_code == 404
    admin = await staff("admin")
    for contact in (mine, other):
        shown = (await client.get(f"{CONTACTS}/{contact['id']}", headers=admin)).json()
        assert shown["status"] != "erased"
    bad = await client.post(REQUESTS, json={"email": "mine@x.example", "kind": "everything"})
    assert bad.status_code == 422
    assert "kind" in bad.text
