"""Staff hear of the workflow: approvers are e-mailed when a release waits for them, the
author when it is sent back (with the comment) or approved, each in their own language and
through the outbox and the readers' mail queue; the dashboard shows the same news and how the
latest send-outs to journalists stand."""

from __future__ import annotations

from email.message import EmailMessage

import asyncpg
import httpx

from press.delivery.queue import expand_pending_events
from press.delivery.workflow_mail import expand_workflow_events
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.conftest import smtp as smtp  # the fixture, for this module
from tests.delivery.helpers import deliver as deliver_all
from tests.delivery.helpers import subscriber
from tests.web.console import draft, page_token, person, sign_in


async def deliver(conn: asyncpg.Connection, settings: Settings, smtp_url: str) -> int:
    """The workflow's mail queued, then everything due sent (as the mail workers do)."""
    await expand_workflow_events(conn)
    return await deliver_all(conn, settings, smtp_url)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


async def move(client: httpx.AsyncClient, release_id: str, action: str, reason: str = "") -> None:
    moved = await client.post(
        f"/console/releases/{release_id}/move",
        data={"csrf": await page_token(client), "action": action, "reason": reason},
    )
    assert moved.status_code == 303, moved.text


async def test_approvers_are_emailed_in_their_language_when_a_release_waits_for_them(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    author, headers = await person(staff, "editor")
    finnish, _ = await person(staff, "approver")
    swedish, _ = await person(staff, "admin")
    await conn.execute("UPDATE staff_users SET lang = 'sv' WHERE email = $1", swedish)
    other_editor, _ = await person(staff, "editor")
    await sign_in(client, author)
    release_id = await draft(client, headers)
    await move(client, release_id, "submit")
    event = await conn.fetchrow(
        "SELECT event_type FROM outbox WHERE aggregate_id = $1 AND event_type LIKE '%submitted'",
        release_id,
    )
    assert event is not None  # written in the move's own transaction
    await deliver(conn, settings, smtp.url)
    to_fi, to_sv = smtp.to(finnish), smtp.to(swedish)
    assert len(to_fi) == len(to_sv) == 1
    assert to_fi[0]["Subject"] == "Odottaa hyväksyntääsi: Budjetti"
    assert to_fi[0]["Content-Language"] == "fi"
    assert f"/console/releases/{release_id}" in text_of(to_fi[0])
    assert to_sv[0]["Subject"] == "Väntar på ditt godkännande: Budjetti"
    assert "skickade pressmeddelandet för godkännande" in text_of(to_sv[0])
    assert smtp.to(author) == []
    assert smtp.to(other_editor) == []
    # Not a public event: no webhook subscription hears of it.
    assert not await conn.fetchval("SELECT webhook_event_is_public('release.submitted')")


async def test_the_author_is_emailed_the_comment_when_sent_back_and_sees_it_on_the_dashboard(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    author, headers = await person(staff, "editor")
    approver, _ = await person(staff, "approver")
    release_id = await draft(client, headers)
    submitted = await client.post(f"/api/v1/manage/releases/{release_id}/submit", headers=headers)
    assert submitted.status_code == 200
    await sign_in(client, approver)
    await move(client, release_id, "return", "Lisää lähde ja päivämäärä.")
    await deliver(conn, settings, smtp.url)
    mail = smtp.to(author)
    assert len(mail) == 1  # the submission went to the approvers only
    returned = mail
    assert returned[0]["Subject"] == "Palautettu luonnokseksi: Budjetti"
    assert "Lisää lähde ja päivämäärä." in text_of(returned[0])
    client.cookies.clear()
    await sign_in(client, author)
    dashboard = await client.get("/console/")
    news = dashboard.text.split('id="news-heading"', 1)[1].split("</section>", 1)[0]
    assert "Palautettu luonnokseksi" in news
    assert "Lisää lähde ja päivämäärä." in news
    assert f"/console/releases/{release_id}" in news


async def test_the_author_is_emailed_when_approved_and_mail_speaks_the_language_chosen(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    author, headers = await person(staff, "editor")
    approver, _ = await person(staff, "approver")
    await sign_in(client, author)
    chosen = await client.get("/console/language/en", params={"next": "/console/"})
    assert chosen.status_code == 303
    assert await conn.fetchval("SELECT lang FROM staff_users WHERE email = $1", author) == "en"
    release_id = await draft(client, headers)
    await move(client, release_id, "submit")
    client.cookies.clear()
    await sign_in(client, approver)
    await move(client, release_id, "approve")
    await deliver(conn, settings, smtp.url)
    approved = [m for m in smtp.to(author) if "Approved" in m["Subject"]]
    assert len(approved) == 1
    assert approved[0]["Subject"] == "Approved: Budjetti"
    assert approved[0]["Content-Language"] == "en"
    # The approver acted: the news of the submission is stale, and is not sent any more.
    assert smtp.to(approver) == []
    listed = await client.get("/api/v1/manage/deliveries/", headers=headers)
    staff_mail = {d["email"]: d["state"] for d in listed.json()["items"] if d["kind"] == "staff"}
    assert staff_mail == {author: "sent", approver: "cancelled"}


async def test_the_dashboard_shows_how_the_latest_send_out_to_journalists_stands(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor_email, editor = await person(staff, "editor")
    _, approver = await person(staff, "approver")
    await subscriber(client, editor, "Aino", "aino@lehti.example", {"languages": ["fi"]})
    await subscriber(client, editor, "Bertil", "bertil@tidning.example", {"languages": ["sv"]})
    smtp.refuse["bertil@tidning.example"] = ["550 no such user"]
    release_id = await draft(client, editor)
    for action, who in (("submit", editor), ("approve", approver), ("publish", editor)):
        moved = await client.post(
            f"/api/v1/manage/releases/{release_id}/{action}", json={}, headers=who
        )
        assert moved.status_code == 200, moved.text
    await sign_in(client, editor_email)
    await expand_pending_events(conn)
    queued = await client.get("/console/")
    mail = queued.text.split('id="mail-heading"', 1)[1].split("</section>", 1)[0]
    assert f"/console/releases/{release_id}" in mail
    assert "0/2 lähetetty · 2 odottaa · 0 epäonnistui" in mail
    await deliver(conn, settings, smtp.url)
    sent = await client.get("/console/")
    mail = sent.text.split('id="mail-heading"', 1)[1].split("</section>", 1)[0]
    assert "1/2 lähetetty · 0 odottaa · <strong>1 epäonnistui</strong>" in mail
