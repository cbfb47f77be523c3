"""The registry through its HTTP API: create, read, change with If-Match, search, order,
duplicates, merge, accreditation and the audit of every read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, OUTLETS, add_contact, add_outlet, names


async def test_contact_is_created_with_the_design_contract_fields(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    contact = await add_contact(
        client, editor, "Liisa Virtanen", "liisa@lehti.example", embargo_access=True
    )
    assert contact["embargo_access"] is True
    assert contact["accredited"] is True
    assert contact["status"] == "active"
    response = await client.get(f"{CONTACTS}/{contact['id']}", headers=editor)
    assert response.status_code == 200
    assert response.json()["email"] == "liisa@lehti.example"
    assert response.headers["cache-control"] == "private, no-store"


async def test_unknown_field_in_a_contact_is_a_422(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    body = {"name": "A", "email": "a@x.example", "status": "erased"}
    response = await client.post(CONTACTS + "/", json=body, headers=editor)
    assert response.status_code == 422


async def test_viewer_cannot_add_contacts(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    viewer = await staff("viewer")
    body = {"name": "A", "email": "a@x.example"}
    response = await client.post(CONTACTS + "/", json=body, headers=viewer)
    assert response.status_code == 403


async def test_the_registry_needs_a_staff_token(client: httpx.AsyncClient) -> None:
    assert (await client.get(CONTACTS + "/")).status_code == 401


async def test_same_email_in_any_letter_case_is_a_409(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    first = await add_contact(client, editor, "Matti Meikäläinen", "matti@yle.example")
    body = {"name": "M. Meikäläinen", "email": "MATTI@yle.example"}
    response = await client.post(CONTACTS + "/", json=body, headers=editor)
    assert response.status_code == 409
    assert response.json()["contact_id"] == first["id"]


async def test_patch_needs_the_current_etag(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor = await staff("editor")
    contact = await add_contact(client, editor, "Anna Berg", "anna@hbl.example")
    url = f"{CONTACTS}/{contact['id']}"
    assert (await client.patch(url, json={"notes": "x"}, headers=editor)).status_code == 428
    etag = (await client.get(url, headers=editor)).headers["etag"]
    ok = await client.patch(
        url, json={"notes": "Culture desk"}, headers={**editor, "If-Match": etag}
    )
    assert ok.status_code == 200
    assert ok.json()["notes"] == "Culture desk"
    stale = await client.patch(url, json={"notes": "y"}, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412


async def test_names_sort_with_a_umlaut_and_o_umlaut_after_z(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    for name in ["Östman Eva", "Åberg Nils", "Zetterberg Pia", "Ärling Timo", "Aalto Aino"]:
        await add_contact(client, editor, name, f"{name.split()[0].lower()}@x.example")
    assert await names(client, editor) == [
        "Aalto Aino", "Zetterberg Pia", "Åberg Nils", "Ärling Timo", "Östman Eva",
    ]  # fmt: skip


async def test_search_forgives_missing_umlauts_and_typos(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    await add_contact(client, editor, "Pekka Mäkelä", "pekka@ilta.example")
    await add_contact(client, editor, "Sofia Öhman", "sofia@svd.example")
    assert await names(client, editor, q="makela") == ["Pekka Mäkelä"]
    assert await names(client, editor, q="ohman") == ["Sofia Öhman"]
    assert await names(client, editor, q="Mäkkelä") == ["Pekka Mäkelä"]
    assert await names(client, editor, q="svd.example") == ["Sofia Öhman"]


async def test_search_finds_contacts_by_outlet_name(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    outlet = await add_outlet(client, editor, "Hufvudstadsbladet", kind="newspaper", country="FI")
    await add_contact(
        client, editor, "Karin Lund", "karin@hbl.example", outlets=[{"id": outlet["id"]}]
    )
    await add_contact(client, editor, "Olli Niemi", "olli@mtv.example")
    assert await names(client, editor, q="hufvudstadsblad") == ["Karin Lund"]
    assert await names(client, editor, outlet=outlet["id"]) == ["Karin Lund"]


async def test_filters_narrow_the_list(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor = await staff("editor")
    await add_contact(
        client, editor, "Beat One", "one@x.example", beats=["economy"], languages=["sv"],
        country="SE", embargo_access=True,
    )  # fmt: skip
    await add_contact(client, editor, "Beat Two", "two@x.example", beats=["transport"])
    assert await names(client, editor, beat="economy") == ["Beat One"]
    assert await names(client, editor, language="sv") == ["Beat One"]
    assert await names(client, editor, country="SE") == ["Beat One"]
    assert await names(client, editor, accredited="true") == ["Beat One"]
    assert await names(client, editor, accredited="false") == ["Beat Two"]


async def test_cursor_pagination_walks_every_contact_once(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    for i in range(7):
        await add_contact(client, editor, f"Person {i}", f"p{i}@x.example")
    seen: list[str] = []
    url: str | None = CONTACTS + "/?limit=3"
    while url:
        page = (await client.get(url, headers=editor)).json()
        seen += [item["name"] for item in page["items"]]
        url = page["next"]
    assert seen == [f"Person {i}" for i in range(7)]


async def test_near_duplicates_with_same_name_and_outlet_are_reported(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    outlet = await add_outlet(client, editor, "Yle")
    first = await add_contact(
        client, editor, "Jussi Järvinen", "jussi@yle.example", outlets=[{"id": outlet["id"]}]
    )
    second = await add_contact(
        client, editor, "Jussi Jarvinen", "j.jarvinen@yle.example", outlets=[{"id": outlet["id"]}]
    )
    assert [d["id"] for d in second["near_duplicates"]] == [first["id"]]


async def test_merge_keeps_both_addresses_and_the_history(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    keep = await add_contact(client, editor, "Jussi Järvinen", "jussi@yle.example", tags=["tv"])
    gone = await add_contact(
        client, editor, "Jussi Jarvinen", "jj@yle.example", tags=["radio"], embargo_access=True
    )
    response = await client.post(
        f"{CONTACTS}/{keep['id']}/merge", json={"source": gone["id"]}, headers=editor
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["other_emails"] == ["jj@yle.example"]
    assert merged["tags"] == ["tv", "radio"]
    assert merged["embargo_access"] is True
    history = await client.get(f"{CONTACTS}/{keep['id']}/accreditation", headers=editor)
    assert [e["kind"] for e in history.json()["items"]] == ["granted"]
    assert (await client.get(f"{CONTACTS}/{gone['id']}", headers=editor)).status_code == 404
    actions = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", gone["id"]
    )
    assert [r["action"] for r in actions][-1] == "contact.merged_into"


async def test_suspension_stops_embargo_access_and_keeps_history(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    contact = await add_contact(client, editor, "Eero Salo", "eero@hs.example")
    url = f"{CONTACTS}/{contact['id']}/accreditation"
    grant = {
        "evidence": "Press card 1234",
        "verified_on": "2026-01-05",
        "valid_until": (datetime.now(UTC).date() + timedelta(days=365)).isoformat(),
    }
    assert (await client.post(url, json=grant, headers=editor)).json()["accredited"] is True
    suspended = await client.post(
        url + "/suspend", json={"reason": "Broke the embargo of 12 May"}, headers=editor
    )
    assert suspended.json()["accredited"] is False
    assert suspended.json()["suspension_reason"] == "Broke the embargo of 12 May"
    refused = await client.post(url + "/reinstate", json={"reason": "ok"}, headers=editor)
    assert refused.status_code == 403
    back = await client.post(url + "/reinstate", json={"reason": "Apologised"}, headers=approver)
    assert back.json()["accredited"] is True
    history = (await client.get(url, headers=editor)).json()["items"]
    assert [e["kind"] for e in history] == ["granted", "suspended", "reinstated"]
    assert history[0]["evidence"] == "Press card 1234"


async def test_every_staff_read_of_a_contact_is_audited(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, viewer = await staff("editor"), await staff("viewer")
    contact = await add_contact(client, editor, "Aino Koski", "aino@x.example")
    await client.get(f"{CONTACTS}/{contact['id']}", headers=viewer)
    await client.get(CONTACTS + "/", headers=viewer)
    rows = await conn.fetch(
        "SELECT action, entity_id, changes FROM audit_log WHERE actor_id = $1 ORDER BY id",
        viewer.id,
    )
    assert [r["action"] for r in rows] == ["contact.read", "contact.list"]
    assert rows[0]["entity_id"] == contact["id"]
    assert contact["id"] in rows[1]["changes"]["ids"]


async def test_outlet_crud_with_if_match(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor = await staff("editor")
    outlet = await add_outlet(client, editor, "Svenska Yle", kind="tv", languages=["sv"])
    url = f"{OUTLETS}/{outlet['id']}"
    etag = (await client.get(url, headers=editor)).headers["etag"]
    changed = await client.patch(url, json={"kind": "radio"}, headers={**editor, "If-Match": etag})
    assert changed.json()["kind"] == "radio"
    assert (
        await client.post(OUTLETS + "/", json={"name": "svenska yle"}, headers=editor)
    ).status_code == 409
    await add_outlet(client, editor, "Åbo Underrättelser")
    await add_outlet(client, editor, "Aamulehti")
    listed = (await client.get(OUTLETS + "/", headers=editor)).json()["items"]
    assert [o["name"] for o in listed] == ["Aamulehti", "Svenska Yle", "Åbo Underrättelser"]
    assert (await client.delete(url, headers=editor)).status_code == 204
    assert (await client.get(url, headers=editor)).status_code == 404


async def test_media_contacts_managed_by_staff_show_on_the_public_page(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    body = {
        "name": "Tiina Press",
        "title": {"fi": "Viestintäpäällikkö"},
        "phone": "+358 9 123",
        "email": "tiina@city.example",
        "topics": ["economy"],
        "languages": ["fi", "sv"],
    }
    created = await client.post("/api/v1/manage/media-contacts/", json=body, headers=editor)
    assert created.status_code == 201, created.text
    url = f"/api/v1/manage/media-contacts/{created.json()['id']}"
    etag = created.headers["etag"]
    changed = await client.patch(
        url, json={"phone": "+358 9 456"}, headers={**editor, "If-Match": etag}
    )
    assert changed.status_code == 200
    public = (await client.get("/api/v1/media-contacts")).json()["items"]
    mine = [m for m in public if m["name"] == "Tiina Press"]
    assert mine[0]["phone"] == "+358 9 456"
    assert set(mine[0]) == {"id", "name", "title", "phone", "email", "topics", "languages"}
