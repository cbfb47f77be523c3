"""The journalist registry in the console: search that forgives ä and å, editing, the
accreditation's actions, merging with a confirmation, the CSV import's report and the
export, a person's data downloaded and erased; roles and form tokens as the API's."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.contacts.helpers import add_contact, add_outlet
from tests.web.console import page_token, person, sign_in


async def signed_in_as(client: httpx.AsyncClient, staff: StaffFactory, role: str) -> dict[str, str]:
    email, headers = await person(staff, role)
    await sign_in(client, email)
    return headers


def edit_fields(page: str, **changes: Any) -> dict[str, Any]:
    """The edit form as the browser would send it, with `changes`."""
    fields: dict[str, Any] = {}
    for name in ("csrf", "etag"):
        fields[name] = page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]
    fields["etag"] = fields["etag"].replace("&#34;", '"').replace("&quot;", '"')
    for name in ("name", "email", "country", "languages", "tags"):
        fields[name] = (
            page.split(f'id="{name}" name="{name}"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        )
    fields["status"] = "active"
    return {**fields, **changes}


async def test_the_search_forgives_missing_accents_and_pages_on(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    await add_contact(client, headers, "Olli Äijälä", "olli@yle.example")
    await add_contact(client, headers, "Åsa Ström", "asa@hbl.example")
    found = await client.get("/console/contacts", params={"q": "aijala"})
    assert found.status_code == 200, found.text
    assert "Olli Äijälä" in found.text
    assert "Åsa Ström" not in found.text
    swedish = await client.get("/console/contacts", params={"q": "asa strom"})
    assert "Åsa Ström" in swedish.text
    for number in range(27):
        await add_contact(client, headers, f"Pagina Testi {number:02d}", f"p{number}@x.example")
    first = await client.get("/console/contacts", params={"q": "pagina"})
    assert first.text.count("Pagina Testi") == 25
    more = first.text.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    second = await client.get(more.replace("&amp;", "&"))
    assert second.status_code == 200
    assert second.text.count("Pagina Testi") == 2
    assert "Pagina Testi 26" in second.text


async def test_an_editor_edits_a_journalist_and_a_bad_address_is_refused_in_finnish(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    contact = await add_contact(client, headers, "Liisa Ström", "liisa@hbl.example")
    path = f"/console/contacts/{contact['id']}/edit"
    form = await client.get(path, headers={"accept-language": "fi"})
    assert form.status_code == 200
    fields = edit_fields(form.text, name="Liisa Strömberg", phones="+358 40 111\n+358 9 222",
                         beats=["economy"], notes="Soittaa aamuisin.")  # fmt: skip
    saved = await client.post(path, data=fields)
    assert saved.status_code == 303, saved.text
    row = await conn.fetchrow("SELECT name, phones, beats FROM contacts WHERE id = $1",
                              contact["id"])  # fmt: skip
    assert (row["name"], row["phones"], row["beats"]) == (
        "Liisa Strömberg",
        ["+358 40 111", "+358 9 222"],
        ["economy"],
    )
    page = await client.get(f"/console/contacts/{contact['id']}")
    assert "Soittaa aamuisin." in page.text
    # The form of the old version again: someone else saved since.
    stale = await client.post(path, data={**fields, "name": "Liisa S."})
    assert stale.status_code == 409
    assert "<dd>Liisa Strömberg</dd>" in stale.text  # what is saved now
    assert 'value="Liisa S."' in stale.text  # what the user typed, kept
    assert await conn.fetchval("SELECT name FROM contacts WHERE id = $1", contact["id"]) == (
        "Liisa Strömberg"
    )
    fresh = await client.get(path, headers={"accept-language": "fi"})
    bad = await client.post(path, data=edit_fields(fresh.text, email="ei-osoite"))
    assert bad.status_code == 422
    assert "Sähköpostiosoite" in bad.text
    assert 'role="alert"' in bad.text
    taken = await add_contact(client, headers, "Toinen", "toinen@x.example")
    clash = await client.post(path, data=edit_fields(fresh.text, email=taken["email"]))
    assert clash.status_code == 409
    assert "Toisella yhteystiedolla on tämä sähköpostiosoite" in clash.text


async def test_an_editor_links_a_journalist_to_outlets_by_their_names(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    old = await add_outlet(client, headers, "Kauppalehti")
    await add_outlet(client, headers, "Helsingin Sanomat")
    contact = await add_contact(client, headers, "Outi Outlet", "outi@x.example",
                                outlets=[{"id": old["id"], "role": "toimittaja"}])  # fmt: skip
    path = f"/console/contacts/{contact['id']}/edit"
    form = await client.get(path)
    assert 'value="Kauppalehti"' in form.text
    assert '<option value="Helsingin Sanomat">' in form.text
    rows = {"outlet_rows": "1", "outlet_name": ["", "helsingin sanomat"],
            "outlet_role": ["", "uutispäällikkö"]}  # fmt: skip
    saved = await client.post(path, data=edit_fields(form.text, **rows))
    assert saved.status_code == 303, saved.text
    links = await conn.fetch(
        "SELECT o.name, co.role FROM contact_outlets co JOIN outlets o ON o.id = co.outlet_id "
        "WHERE co.contact_id = $1",
        contact["id"],
    )
    assert [(r["name"], r["role"]) for r in links] == [("Helsingin Sanomat", "uutispäällikkö")]
    form = await client.get(path)
    unknown = {"outlet_rows": "1", "outlet_name": ["Nowhere Gazette"], "outlet_role": [""]}
    refused = await client.post(path, data=edit_fields(form.text, **unknown))
    assert refused.status_code == 422
    assert "Nowhere Gazette" in refused.text


async def test_accreditation_is_granted_suspended_and_reinstated_by_an_approver_only(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    contact = await add_contact(client, headers, "Pekka Press", "pekka@x.example")
    path = f"/console/contacts/{contact['id']}/accreditation"
    token = await page_token(client)
    today: date = await conn.fetchval("SELECT current_date")
    granted = await client.post(path, data={
        "csrf": token, "action": "grant", "evidence": "Press card 123",
        "verified_on": today.isoformat(), "valid_until": (today + timedelta(days=365)).isoformat(),
    })  # fmt: skip
    assert granted.status_code == 303, granted.text
    backwards = await client.post(path, data={
        "csrf": token, "action": "grant", "evidence": "x",
        "verified_on": "2026-02-01", "valid_until": "2026-01-01",
    })  # fmt: skip
    assert backwards.status_code == 422
    suspended = await client.post(
        path, data={"csrf": token, "action": "suspend", "reason": "Broke an embargo"}
    )
    assert suspended.status_code == 303
    refused = await client.post(
        path, data={"csrf": token, "action": "reinstate", "reason": "Apologised"}
    )
    assert refused.status_code == 403
    row = await conn.fetchrow(
        "SELECT embargo_access, suspended_at FROM contacts WHERE id = $1", contact["id"]
    )
    assert row["embargo_access"] is False
    assert row["suspended_at"] is not None
    page = await client.get(f"/console/contacts/{contact['id']}")
    assert "Broke an embargo" in page.text
    assert 'value="reinstate"' not in page.text


async def test_an_editor_subscribes_a_journalist_and_embargoed_mail_needs_accreditation(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    contact = await add_contact(client, headers, "Sanna Subscriber", "sanna@x.example")
    path = f"/console/contacts/{contact['id']}/subscription"
    token = await page_token(client)
    chosen = {"csrf": token, "sources": ["city-board"], "languages": ["sv"]}
    refused = await client.post(
        path, data={**chosen, "embargoed": "on"}, headers={"accept-language": "sv"}
    )
    assert refused.status_code == 409
    assert "Endast ackrediterade journalister" in refused.text
    assert not await conn.fetchval(
        "SELECT count(*) FROM subscriptions WHERE contact_id = $1", contact["id"]
    )
    saved = await client.post(path, data=chosen)
    assert saved.status_code == 303
    row = await conn.fetchrow(
        "SELECT sources, languages, embargoed, state FROM subscriptions WHERE contact_id = $1",
        contact["id"],
    )
    assert dict(row) == {
        "sources": ["city-board"], "languages": ["sv"], "embargoed": False, "state": "confirmed"
    }  # fmt: skip
    page = await client.get(f"/console/contacts/{contact['id']}")
    assert 'name="sources" value="city-board" checked' in page.text


async def test_two_records_are_merged_after_a_confirmation_page(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    first = await add_contact(client, headers, "Maija Meikäläinen", "maija@hs.example",
                              phones=["+358 40 1"])  # fmt: skip
    second = await add_contact(client, headers, "Maija Meikalainen", "maija@home.example",
                               phones=["+358 50 2"])  # fmt: skip
    choose = await client.get(f"/console/contacts/{first['id']}/merge")
    assert choose.status_code == 200
    assert second["id"] in choose.text  # found as a near-duplicate
    token = await page_token(client)
    data = {"csrf": token, "other": second["id"], "keep": "other"}
    confirm = await client.post(
        f"/console/contacts/{first['id']}/merge", data={**data, "intent": "confirm"}
    )
    assert confirm.status_code == 200
    assert "maija@hs.example" in confirm.text
    assert 'value="merge"' in confirm.text
    assert await conn.fetchval("SELECT count(*) FROM contacts WHERE id = $1", first["id"]) == 1
    merged = await client.post(
        f"/console/contacts/{first['id']}/merge", data={**data, "intent": "merge"}
    )
    assert merged.status_code == 303
    assert merged.headers["location"] == f"/console/contacts/{second['id']}"
    row = await conn.fetchrow(
        "SELECT email, other_emails, phones FROM contacts WHERE id = $1", second["id"]
    )
    assert row["email"] == "maija@home.example"
    assert row["other_emails"] == ["maija@hs.example"]
    assert sorted(row["phones"]) == ["+358 40 1", "+358 50 2"]
    assert await conn.fetchval("SELECT count(*) FROM contacts WHERE id = $1", first["id"]) == 0
    itself = await client.post(
        f"/console/contacts/{second['id']}/merge",
        data={"csrf": token, "other": second["id"], "intent": "merge"},
    )
    assert itself.status_code == 422


SPREADSHEET = (
    "\ufeffNimi;Sähköposti;Tiedotusväline;Aiheet\r\n"
    "Liisa Ström;liisa.import@hbl.example;Hufvudstadsbladet;economy\r\n"
    ";nobody@x.example;;\r\n"
    "Broken Mail;not-an-address;;\r\n"
    "Bad Topic;bad@x.example;;astrology\r\n"
)


async def test_an_import_reports_each_bad_row_and_a_check_saves_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    token = await page_token(client, "/console/contacts/import")
    upload = {"file": ("contacts.csv", SPREADSHEET.encode(), "text/csv")}
    checked = await client.post(
        "/console/contacts/import", data={"csrf": token, "dry_run": "on"}, files=upload
    )
    assert checked.status_code == 200, checked.text
    assert '<dd id="created">1</dd>' in checked.text
    count = "SELECT count(*) FROM contacts WHERE email = 'liisa.import@hbl.example'"
    assert await conn.fetchval(count) == 0
    imported = await client.post("/console/contacts/import", data={"csrf": token}, files=upload)
    assert imported.status_code == 200
    assert '<dd id="rejected">3</dd>' in imported.text
    assert '<th scope="row">3</th><td lang="en">name is empty</td>' in imported.text
    assert "unknown topic &#39;astrology&#39;" in imported.text
    assert await conn.fetchval(count) == 1
    again = await client.post("/console/contacts/import", data={"csrf": token}, files=upload)
    assert '<dd id="unchanged">1</dd>' in again.text
    empty = await client.post(
        "/console/contacts/import", data={"csrf": token},
        files={"file": ("x.csv", b"", "text/csv")},
    )  # fmt: skip
    assert empty.status_code == 422
    assert "Tiedosto on tyhjä" in empty.text or "The file is empty" in empty.text


async def test_the_export_downloads_the_contacts_of_the_search(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    outlet = await add_outlet(client, headers, "Vasabladet")
    await add_contact(client, headers, "Östen Export", "osten@vbl.example",
                      outlets=[{"id": outlet["id"], "role": "redaktör"}])  # fmt: skip
    await add_contact(client, headers, "Other Person", "other@x.example")
    export = await client.get("/console/contacts/export.csv", params={"q": "osten"})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert export.headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Östen Export"]
    assert rows[1][4:6] == ["Vasabladet", "redaktör"]
    audited = await conn.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'contact.export_registry' "
        "AND changes->>'format' = 'csv'"
    )
    assert audited >= 1


async def test_an_admin_downloads_a_persons_data_and_erases_it_after_typing_the_name(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "admin")
    contact = await add_contact(client, headers, "Åke Öberg", "ake@x.example",
                                phones=["+358 40 9"])  # fmt: skip
    other = await add_contact(client, headers, "Someone Else", "else@x.example")
    data = await client.get(f"/console/contacts/{contact['id']}/export.json")
    assert data.status_code == 200
    assert "attachment" in data.headers["content-disposition"]
    held = json.loads(data.content)
    assert held["contact"]["phones"] == ["+358 40 9"]
    assert other["email"] not in data.text
    path = f"/console/contacts/{contact['id']}/erase"
    confirm = await client.get(path)
    assert confirm.status_code == 200
    assert "confirm_name" in confirm.text
    token = await page_token(client)
    wrong = await client.post(path, data={"csrf": token, "confirm_name": "Ake Oberg"})
    assert wrong.status_code == 422
    assert await conn.fetchval("SELECT status FROM contacts WHERE id = $1", contact["id"]) == (
        "active"
    )
    erased = await client.post(path, data={"csrf": token, "confirm_name": "  åke öberg "})
    assert erased.status_code == 303
    row = await conn.fetchrow("SELECT name, email, status FROM contacts WHERE id = $1",
                              contact["id"])  # fmt: skip
    assert (row["name"], row["email"], row["status"]) == ("", "", "erased")
    actions = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", contact["id"]
    )
    assert [a["action"] for a in actions][-1] == "contact.erase"
    assert {"contact.export"} <= {a["action"] for a in actions}
    gone = await client.get(f"/console/contacts/{contact['id']}")
    assert gone.status_code == 404


async def test_a_viewer_reads_the_registry_but_is_refused_every_change(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    _, editor = await person(staff, "editor")
    contact = await add_contact(client, editor, "Vera Viewed", "vera@x.example")
    await signed_in_as(client, staff, "viewer")
    listed = await client.get("/console/contacts", params={"q": "vera"})
    assert listed.status_code == 200
    assert "Vera Viewed" in listed.text
    assert "export.csv" not in listed.text
    page = await client.get(f"/console/contacts/{contact['id']}")
    assert page.status_code == 200
    assert "/erase" not in page.text
    assert 'value="grant"' not in page.text
    token = await page_token(client)
    cid = contact["id"]
    for path, data in (
        (f"/console/contacts/{cid}/edit", {"name": "Changed", "email": "vera@x.example",
                                          "status": "active"}),
        (f"/console/contacts/{cid}/accreditation", {"action": "suspend", "reason": "x"}),
        (f"/console/contacts/{cid}/erase", {"confirm_name": "Vera Viewed"}),
        ("/console/outlets/new", {"name": "Viewer Weekly"}),
    ):  # fmt: skip
        refused = await client.post(path, data={"csrf": token, **data})
        assert refused.status_code == 403, (path, refused.status_code)
    assert (await client.get(f"/console/contacts/{cid}/export.json")).status_code == 403
    assert (await client.get("/console/contacts/export.csv")).status_code == 403
    row = await conn.fetchrow("SELECT name, status FROM contacts WHERE id = $1", cid)
    assert (row["name"], row["status"]) == ("Vera Viewed", "active")
    assert not await conn.fetchval("SELECT count(*) FROM outlets WHERE name = 'Viewer Weekly'")


async def test_a_form_without_this_sessions_token_changes_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "admin")
    contact = await add_contact(client, headers, "Csrf Target", "csrf@x.example")
    cid = contact["id"]
    for path, data in (
        (f"/console/contacts/{cid}/erase", {"confirm_name": "Csrf Target"}),
        (f"/console/contacts/{cid}/accreditation", {"action": "suspend", "reason": "x"}),
        ("/console/outlets/new", {"name": "Forged Times"}),
    ):
        for token in ({}, {"csrf": "forged"}):
            refused = await client.post(path, data={**data, **token})
            assert refused.status_code == 403, path
    forged_upload = await client.post(
        "/console/contacts/import",
        data={"csrf": "forged"},
        files={"file": ("c.csv", SPREADSHEET.encode(), "text/csv")},
    )
    assert forged_upload.status_code == 403
    assert await conn.fetchval("SELECT status FROM contacts WHERE id = $1", cid) == "active"
    assert not await conn.fetchval("SELECT count(*) FROM outlets WHERE name = 'Forged Times'")


async def test_outlets_are_listed_created_and_renamed(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    token = await page_token(client, "/console/outlets/new")
    made = await client.post("/console/outlets/new", data={
        "csrf": token, "name": "Åbo Underrättelser", "kind": "newspaper", "country": "fi",
        "languages": "sv", "website": "https://abounderrattelser.example",
    })  # fmt: skip
    assert made.status_code == 303, made.text
    outlet_id = await conn.fetchval("SELECT id FROM outlets WHERE name = 'Åbo Underrättelser'")
    listed = await client.get("/console/outlets", params={"q": "abo"})
    assert "Åbo Underrättelser" in listed.text
    twice = await client.post(
        "/console/outlets/new", data={"csrf": token, "name": "åbo underrättelser"}
    )
    assert twice.status_code == 409
    form = await client.get(f"/console/outlets/{outlet_id}")
    etag = form.text.split('name="etag" value="', 1)[1].split('"', 1)[0].replace("&#34;", '"')
    renamed = await client.post(f"/console/outlets/{outlet_id}", data={
        "csrf": token, "etag": etag, "name": "ÅU", "kind": "newspaper", "country": "FI",
        "languages": "sv", "website": "",
    })  # fmt: skip
    assert renamed.status_code == 303
    assert await conn.fetchval("SELECT name FROM outlets WHERE id = $1", outlet_id) == "ÅU"
    bad = await client.post(
        "/console/outlets/new", data={"csrf": token, "name": "X", "website": "javascript:alert(1)"}
    )
    assert bad.status_code == 422


async def test_a_name_with_markup_is_shown_as_text_on_every_registry_page(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    headers = await signed_in_as(client, staff, "admin")
    hostile = '<img src=x onerror="alert(1)">Hostile'
    outlet = await add_outlet(client, headers, '<script>alert("o")</script>Daily')
    contact = await add_contact(client, headers, hostile, "hostile@x.example",
                                outlets=[{"id": outlet["id"], "role": "<b>role</b>"}])  # fmt: skip
    await add_contact(client, headers, hostile, "hostile2@x.example",
                      outlets=[{"id": outlet["id"]}])  # fmt: skip
    cid = contact["id"]
    for path in (
        "/console/contacts?q=hostile",
        f"/console/contacts/{cid}",
        f"/console/contacts/{cid}/edit",
        f"/console/contacts/{cid}/merge",
        f"/console/contacts/{cid}/erase",
        "/console/outlets?q=daily",
        f"/console/outlets/{outlet['id']}",
    ):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "<img src=x" not in page.text, path
        assert "<script>alert" not in page.text, path
        assert "<b>role" not in page.text, path
    listed = await client.get("/console/contacts?q=hostile")
    assert "&lt;img src=x" in listed.text
