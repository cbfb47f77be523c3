"""Corrections and pending changes from the console, the embargo list chosen when scheduling,
and the editor's pick lists: every rule is the domain's (four eyes, the embargo promise,
roles), shown on the page it came from."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from uuid import UUID

import asyncpg
import httpx

from tests.conftest import StaffFactory
from tests.web.console import RELEASE, page_token, person, sign_in
from tests.web.test_console_releases import helsinki_field, in_state

MANAGE = "/api/v1/manage/releases"


async def published(client: httpx.AsyncClient, staff: StaffFactory) -> str:
    """A release written by an editor, approved by an approver, published now: through the
    API, by people other than whoever then signs in to the console."""
    _, writer = await person(staff, "editor")
    _, approver = await person(staff, "approver")
    return await in_state(
        client, writer, ("submit", writer), ("approve", approver), ("publish", writer)
    )


def correction(token: str, note: str = "Päivämäärä korjattu.") -> dict[str, str]:
    return {
        "csrf": token,
        "intent": "save",
        "source": "city-board",
        "topics": "economy",
        "title_fi": "Budjetti",
        "lead_fi": "Ingressi",
        "body_fi": "Teksti on nyt oikein.",
        "note": note,
    }


async def pending_changes(conn: asyncpg.Connection, release_id: str) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM release_pending_changes WHERE release_id = $1", release_id
    )
    return count


async def journalist(conn: asyncpg.Connection, name: str) -> UUID:
    contact_id: UUID = await conn.fetchval(
        "INSERT INTO contacts (name, email, embargo_access) VALUES ($1, $2, true) RETURNING id",
        name,
        f"{secrets.token_hex(4)}@news.example",
    )
    return contact_id


async def test_a_correction_waits_for_another_approver_who_takes_it_to_the_public_page(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    author, _ = await person(staff, "approver")
    await sign_in(client, author)
    page = await client.get(f"/console/releases/{release_id}")
    assert f"/console/releases/{release_id}/correct" in page.text
    form = await client.get(f"/console/releases/{release_id}/correct")
    assert form.status_code == 200
    assert 'name="note"' in form.text
    held = await client.post(
        f"/console/releases/{release_id}/correct", data=correction(await page_token(client))
    )
    assert held.status_code == 303, held.text
    pending = await conn.fetchrow(
        "SELECT note, changes FROM release_pending_changes WHERE release_id = $1", release_id
    )
    assert pending["note"] == "Päivämäärä korjattu."
    public = await client.get(f"/api/v1/releases/{release_id}")
    assert "oikein" not in public.text  # the public reads the approved text until then

    waiting = await client.get(f"/console/releases/{release_id}")
    shown = waiting.text.split('id="pending-heading"', 1)[1]
    assert "Päivämäärä korjattu." in shown
    assert re.search(r"<del>.*?Teksti\..*?</del>", shown) is None  # "Teksti" stays
    assert re.search(r"<ins>.*?on nyt oikein.*?</ins>", shown)
    assert "/approve-change" not in shown  # not offered to its author
    assert "/reject-change" in shown
    token = await page_token(client)
    own = await client.post(f"/console/releases/{release_id}/approve-change", data={"csrf": token})
    assert own.status_code == 403
    assert "sen hyväksyy toinen hyväksyjä" in own.text  # the domain's refusal, in Finnish
    assert await pending_changes(conn, release_id)

    other, _ = await person(staff, "approver")
    await sign_in(client, other)
    dashboard = await client.get("/console/")
    waiting = dashboard.text.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]
    assert f"/console/releases/{release_id}" in waiting
    assert "Hyväksyntää odottava muutos" in waiting
    offered = await client.get(f"/console/releases/{release_id}")
    assert "/approve-change" in offered.text
    approved = await client.post(
        f"/console/releases/{release_id}/approve-change", data={"csrf": await page_token(client)}
    )
    assert approved.status_code == 303, approved.text
    public_page = await client.get(f"/releases/{release_id}", params={"lang": "fi"})
    assert public_page.status_code == 200
    assert "Teksti on nyt oikein." in public_page.text
    assert "Päivämäärä korjattu." in public_page.text
    history = await client.get(f"/console/releases/{release_id}/history/")
    assert "Päivämäärä korjattu." in history.text
    assert "Korjattu" in history.text  # the kind of change that followed the first version


async def test_an_approver_rejects_a_pending_change_and_the_published_text_stays(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    writer, _ = await person(staff, "editor")
    await sign_in(client, writer)
    held = await client.post(
        f"/console/releases/{release_id}/correct", data=correction(await page_token(client))
    )
    assert held.status_code == 303, held.text
    approver, _ = await person(staff, "approver")
    await sign_in(client, approver)
    rejected = await client.post(
        f"/console/releases/{release_id}/reject-change",
        data={"csrf": await page_token(client), "reason": "Lähde puuttuu."},
    )
    assert rejected.status_code == 303, rejected.text
    assert not await pending_changes(conn, release_id)
    reason = await conn.fetchval(
        "SELECT changes->>'reason' FROM audit_log WHERE entity_id = $1 "
        "AND action = 'release.reject_change'",
        release_id,
    )
    assert reason == "Lähde puuttuu."
    body = "SELECT body FROM release_translations WHERE release_id = $1 AND lang = 'fi'"
    assert await conn.fetchval(body, release_id) == RELEASE["translations"]["fi"]["body"]
    again = await client.post(
        f"/console/releases/{release_id}/reject-change", data={"csrf": await page_token(client)}
    )
    assert again.status_code == 409  # nothing waits any more: the domain says so


async def test_a_correction_without_a_note_is_refused_and_the_text_is_kept(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    writer, _ = await person(staff, "editor")
    await sign_in(client, writer)
    refused = await client.post(
        f"/console/releases/{release_id}/correct",
        data=correction(await page_token(client), note="  "),
    )
    assert refused.status_code == 422
    assert "Kerro, mitä korjattiin" in refused.text
    assert "Teksti on nyt oikein." in refused.text
    assert not await pending_changes(conn, release_id)


async def test_a_viewer_can_neither_correct_nor_approve_nor_reject(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    viewer, _ = await person(staff, "viewer")
    await sign_in(client, viewer)
    page = await client.get(f"/console/releases/{release_id}")
    assert "/correct" not in page.text
    token = await page_token(client)
    corrected = await client.post(f"/console/releases/{release_id}/correct", data=correction(token))
    assert corrected.status_code == 403
    for action in ("approve-change", "reject-change"):
        refused = await client.post(
            f"/console/releases/{release_id}/{action}", data={"csrf": token}
        )
        assert refused.status_code in (403, 409), action
    assert not await pending_changes(conn, release_id)


async def test_correcting_and_approving_from_another_site_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    approver, _ = await person(staff, "approver")
    await sign_in(client, approver)
    for token in ("", "forged"):
        forged = await client.post(
            f"/console/releases/{release_id}/correct", data=correction(token)
        )
        assert forged.status_code == 403
        for action in ("approve-change", "reject-change"):
            refused = await client.post(
                f"/console/releases/{release_id}/{action}", data={"csrf": token}
            )
            assert refused.status_code == 403, action
    assert not await pending_changes(conn, release_id)


async def schedule_form(
    client: httpx.AsyncClient, conn: asyncpg.Connection, hours: int, **fields: str | list[str]
) -> dict[str, str | list[str]]:
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    at = helsinki_field(now + timedelta(hours=hours))
    return {"csrf": await page_token(client), "at": at, "intent": "schedule", **fields}


async def test_an_embargo_for_chosen_journalists_saves_the_embargo_list(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, _ = await person(staff, "approver")
    await sign_in(client, email)
    _, writer = await person(staff, "editor")
    _, other = await person(staff, "approver")
    release_id = await in_state(client, writer, ("submit", writer), ("approve", other))
    chosen = await journalist(conn, "Aino Aamulehti")
    not_chosen = await journalist(conn, "Bertil Bladet")
    page = await client.get(f"/console/releases/{release_id}")
    assert "Aino Aamulehti" in page.text
    assert "Bertil Bladet" in page.text
    assert 'name="embargo_to"' in page.text
    nobody = await schedule_form(client, conn, 2, embargo="on", embargo_to="chosen")
    refused = await client.post(f"/console/releases/{release_id}/schedule", data=nobody)
    assert refused.status_code == 422
    assert "Valitse vähintään yksi toimittaja" in refused.text
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == (
        "approved"
    )
    form = await schedule_form(
        client, conn, 2, embargo="on", embargo_to="chosen", journalists=[str(chosen)]
    )
    scheduled = await client.post(f"/console/releases/{release_id}/schedule", data=form)
    assert scheduled.status_code == 303, scheduled.text
    listed = await conn.fetch(
        "SELECT contact_id FROM release_embargo_recipients WHERE release_id = $1", release_id
    )
    assert [r["contact_id"] for r in listed] == [chosen]
    assert not_chosen not in [r["contact_id"] for r in listed]
    shown = await client.get(f"/console/releases/{release_id}")
    assert "Embargolista: Aino Aamulehti" in shown.text
    assert re.search(rf'value="{chosen}" checked', shown.text)
    audited = "SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = $2"
    assert await conn.fetchval(audited, release_id, "release.embargo_list") == 1
    same = await client.post(f"/console/releases/{release_id}/schedule", data=form)
    assert same.status_code == 303, same.text
    assert await conn.fetchval(audited, release_id, "release.embargo_list") == 1
    everyone = await schedule_form(client, conn, 2, embargo="on", embargo_to="all")
    widened = await client.post(f"/console/releases/{release_id}/schedule", data=everyone)
    assert widened.status_code == 303, widened.text
    assert not await conn.fetchval(
        "SELECT count(*) FROM release_embargo_recipients WHERE release_id = $1", release_id
    )


async def test_an_editor_moving_an_embargo_earlier_gets_the_domains_refusal(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, writer = await person(staff, "editor")
    await sign_in(client, email)
    _, approver = await person(staff, "approver")
    release_id = await in_state(client, writer, ("submit", writer), ("approve", approver))
    first = await schedule_form(client, conn, 3, embargo="on")
    assert (await client.post(f"/console/releases/{release_id}/schedule", data=first)).status_code
    page = await client.get(f"/console/releases/{release_id}")
    assert 'id="schedule-reason"' in page.text  # promised: the reason field is there now
    earlier = await schedule_form(client, conn, 1, embargo="on", reason="Kiire.")
    refused = await client.post(f"/console/releases/{release_id}/schedule", data=earlier)
    assert refused.status_code == 403
    assert "vaatii hyväksyjän" in refused.text  # the domain's refusal, in Finnish
    promised = await conn.fetchval(
        "SELECT publish_at - statement_timestamp() FROM releases WHERE id = $1", release_id
    )
    assert promised > timedelta(hours=2)


async def test_the_editor_picks_media_contacts_and_names_the_decision(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    email, editor = await person(staff, "editor")
    await sign_in(client, email)
    created = await client.post(
        "/api/v1/manage/media-contacts/",
        json={
            "name": "Tiina Tiedottaja",
            "title": {"fi": "Viestintäpäällikkö", "sv": "Kommunikationschef"},
            "phone": "+358 9 1",
            "email": "tiina@city.example",
        },
        headers=editor,
    )
    assert created.status_code == 201, created.text
    contact_id = created.json()["id"]
    form = await client.get("/console/releases/new")
    assert "Tiina Tiedottaja" in form.text
    assert "Viestintäpäällikkö" in form.text
    assert f'value="{contact_id}"' in form.text
    fields = {
        "csrf": await page_token(client),
        "intent": "save",
        "source": "city-board",
        "title_fi": "Päätös",
        "contacts": contact_id,
        "decision_id": "HEL 2025-001234",
        "decision_url": "https://paatokset.city.example/hel-2025-001234",
        "embargo_terms": "Ei julkaista ennen tiedotustilaisuutta.",
    }
    saved = await client.post("/console/releases/new", data=fields)
    assert saved.status_code == 303, saved.text
    release_id = saved.headers["location"].rsplit("/", 1)[1]
    row = await conn.fetchrow(
        "SELECT decision_id, decision_url, embargo_terms FROM releases WHERE id = $1", release_id
    )
    assert tuple(row) == (
        "HEL 2025-001234",
        "https://paatokset.city.example/hel-2025-001234",
        "Ei julkaista ennen tiedotustilaisuutta.",
    )
    linked = await conn.fetchval(
        "SELECT array_agg(media_contact_id) FROM release_media_contacts WHERE release_id = $1",
        release_id,
    )
    assert [str(c) for c in linked] == [contact_id]
    editor_page = await client.get(f"/console/releases/{release_id}/edit")
    assert re.search(rf'value="{contact_id}" checked', editor_page.text)
    assert 'value="HEL 2025-001234"' in editor_page.text
    bad = await client.post(
        "/console/releases/new",
        data={**fields, "decision_url": "javascript:alert(1)", "contacts": "not-an-id"},
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text


async def test_a_withdrawal_keeps_its_reason_with_the_staff_and_shows_the_public_note(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await published(client, staff)
    writer, _ = await person(staff, "editor")
    await sign_in(client, writer)
    page = await client.get(f"/console/releases/{release_id}")
    assert 'name="public_note"' in page.text
    withdrawn = await client.post(
        f"/console/releases/{release_id}/withdraw",
        data={
            "csrf": await page_token(client),
            "reason": "Lähteen pyyntö, sisäinen.",
            "public_note": "Tiedote poistettiin virheellisenä.",
        },
    )
    assert withdrawn.status_code == 303, withdrawn.text
    tombstone = await client.get(f"/api/v1/releases/{release_id}")
    assert tombstone.status_code == 410
    assert tombstone.json()["tombstone"]["reason"] == "Tiedote poistettiin virheellisenä."
    assert "sisäinen" not in tombstone.text
    row = await conn.fetchrow(
        "SELECT withdrawal_reason, withdrawal_note FROM releases WHERE id = $1", release_id
    )
    assert tuple(row) == ("Lähteen pyyntö, sisäinen.", "Tiedote poistettiin virheellisenä.")
