"""One message that cannot be built fails alone: the rest of the round goes out. Old rows
may hold a line break the API refuses today, so these rows are written by SQL."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from uuid import UUID

import asyncpg
import httpx
from aiosmtpd.smtp import SMTP as SMTPServer

from press.ops.metrics import Metrics
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import FAST, deliver, subscriber
from tests.releases.helpers import published

HEADER_INJECTION = "Eve\r\nBcc: everyone@example.org"


async def _deliveries(conn: asyncpg.Connection) -> dict[str, tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT c.email, d.state, d.last_error FROM mail_deliveries d "
        "JOIN contacts c ON c.id = d.contact_id"
    )
    return {r["email"]: (r["state"], r["last_error"]) for r in rows}


async def test_a_name_with_a_line_break_fails_its_own_mail_and_the_rest_go_out(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Aino", "aino@x.example")
    eve = await subscriber(client, editor, "Eve", "eve@x.example")
    await subscriber(client, editor, "Pekka", "pekka@x.example")
    await conn.execute(
        "UPDATE contacts SET name = $2 WHERE id = $1", UUID(eve["id"]), HEADER_INJECTION
    )
    await published(client, editor, approver)
    metrics = Metrics()
    assert await deliver(conn, settings, smtp.url, metrics=metrics) == 3
    counted = metrics.exposition().decode()
    assert 'press_mail_attempts_total{outcome="sent"} 2.0' in counted
    assert 'press_mail_attempts_total{outcome="failed"} 1.0' in counted
    assert sorted(r[0] for r, _ in smtp.received) == ["aino@x.example", "pekka@x.example"]
    state, reason = (await _deliveries(conn))["eve@x.example"]
    assert state == "failed"
    assert reason.startswith("the message cannot be built")
    assert "linefeed or carriage return" in reason
    assert all("everyone@example.org" not in str(m) for _, m in smtp.received)
    # The failure is final: the next round neither retries it nor stalls on it.
    assert await deliver(conn, settings, smtp.url) == 0


async def test_a_title_with_a_line_break_fails_its_releases_mail_and_not_the_others(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Aino", "aino@x.example", {"languages": ["fi"]})
    broken = await published(client, editor, approver)
    await conn.execute(
        "UPDATE release_translations SET title = 'Talousarvio\nBcc: x@y.example' "
        "WHERE release_id = $1",
        UUID(broken["id"]),
    )
    fine = await published(client, editor, approver)
    assert await deliver(conn, settings, smtp.url) == 2
    [(_, message)] = smtp.received
    assert message["Message-ID"].startswith(f"<release.{fine['id']}.")
    states = dict(
        await conn.fetch("SELECT release_id::text, state FROM mail_deliveries ORDER BY id")
    )
    assert states == {broken["id"]: "failed", fine["id"]: "sent"}


async def test_a_confirmation_to_a_name_with_a_line_break_fails_alone(
    client: httpx.AsyncClient, conn: asyncpg.Connection, settings: Settings, smtp: Inbox
) -> None:
    for email in ("eve@x.example", "aino@x.example"):
        body = {"email": email, "consent_text_version": "v1", "name": email[:4]}
        assert (await client.post("/api/v1/subscriptions/", json=body)).status_code == 202
    await conn.execute(
        "UPDATE contacts SET name = $1 WHERE email = 'eve@x.example'", HEADER_INJECTION
    )
    assert await deliver(conn, settings, smtp.url) == 2
    assert [r for r, _ in smtp.received] == [["aino@x.example"]]
    assert (await _deliveries(conn))["eve@x.example"][0] == "failed"


class SilentAtQuit(SMTPServer):
    """Takes every message, then never answers QUIT (a server busy or gone half-way)."""

    async def smtp_QUIT(self, arg: str) -> None:
        await asyncio.Event().wait()


async def test_a_server_that_never_answers_quit_does_not_hold_the_round(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    inbox = Inbox()
    server = await asyncio.get_running_loop().create_server(
        lambda: SilentAtQuit(inbox, hostname="mail.test"), "127.0.0.1", 0
    )
    inbox.port = server.sockets[0].getsockname()[1]
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Aino", "aino@x.example")
    await subscriber(client, editor, "Pekka", "pekka@x.example")
    await published(client, editor, approver)
    # The SMTP timeout is a minute; a shutdown waiting for this round waits no longer than
    # the goodbye's own short bound.
    config = dataclasses.replace(FAST, smtp_timeout=60.0, quit_timeout=0.5)
    started = time.monotonic()
    try:
        assert await deliver(conn, settings, inbox.url, config) == 2
    finally:
        server.close()
    assert time.monotonic() - started < 30
    assert sorted(r[0] for r, _ in inbox.received) == ["aino@x.example", "pekka@x.example"]
    assert set(await _deliveries(conn)) == {"aino@x.example", "pekka@x.example"}
    assert {state for state, _ in (await _deliveries(conn)).values()} == {"sent"}
