"""Embargoed e-mail when the lift moves (real SMTP): the journalists are told the new time
in a message of its own, and no mail states the old time once the move has committed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import msgspec
import pytest
from aiosmtpd.smtp import SMTP as SMTPServer

from press.db import PoolDatabase
from press.delivery.message import embargo_line, embargo_subject_prefix
from press.delivery.queue import expand_pending_events
from press.delivery.sender import SenderConfig
from press.delivery.worker import run_mail_workers
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.delivery.test_crash import wait_for
from tests.embargo.test_embargo_lists import set_list
from tests.releases.helpers import act, approved

ANNA = "anna@news.example"


def _lifts() -> tuple[datetime, datetime]:
    """A lift two hours on and a later one, on another day and minute."""
    first = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    return first, first + timedelta(hours=26, minutes=30)


def states(message: EmailMessage, lift: datetime) -> bool:
    """Whether the message names `lift` as its embargo time, in its subject or its text."""
    part = message.get_body(("plain",))
    assert part is not None
    line = embargo_line(lift, message["Content-Language"])
    return message["Subject"].startswith(embargo_subject_prefix(lift)) or line in str(
        part.get_content()
    )


async def _embargoed(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], lift: datetime
) -> dict[str, Any]:
    """A release under embargo until `lift`, listed for Anna; Bertil is accredited but not
    on the list."""
    anna, _ = [
        await subscriber(
            client, editor, name.title(), f"{name}@news.example", {"embargoed": True},
            embargo_access=True,
        )
        for name in ("anna", "bertil")
    ]  # fmt: skip
    release = await approved(client, editor, approver)
    assert (await set_list(client, editor, release["id"], [anna["id"]])).is_success
    await schedule(client, editor, release["id"], lift)
    return release


async def schedule(
    client: httpx.AsyncClient, editor: dict[str, str], release_id: str, lift: datetime
) -> None:
    await act(client, editor, release_id, "publish", {"at": lift.isoformat(), "embargo": True})


async def test_a_lift_moved_before_the_mail_went_out_is_mailed_once_with_the_new_time(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    old, new = _lifts()
    release = await _embargoed(client, editor, approver, old)
    await expand_pending_events(conn)  # Anna's mail stating the old time waits in the queue
    await schedule(client, editor, release["id"], new)
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to(ANNA)
    assert states(mail, new)
    assert not states(mail, old)
    assert smtp.to("bertil@news.example") == []
    rows = await conn.fetch(
        "SELECT d.state, o.payload->>'publish_at' AS lift, d.last_error FROM mail_deliveries d"
        " JOIN outbox o ON o.id = d.event_id WHERE d.release_id = $1 ORDER BY d.id",
        UUID(release["id"]),
    )
    assert [(r["state"], datetime.fromisoformat(r["lift"])) for r in rows] == [
        ("cancelled", old),
        ("sent", new),
    ]
    # The staff who read the delivery log see why the first was not sent.
    assert rows[0]["last_error"] == "the embargo's time changed: a newer notice states it"

    # A send repeated (staff resend one whose outcome was unknown) is the same message.
    sent = await conn.fetchval(
        "UPDATE mail_deliveries SET state = 'unknown' WHERE release_id = $1 AND state = 'sent'"
        " RETURNING id",
        UUID(release["id"]),
    )
    response = await client.post(f"/api/v1/manage/deliveries/{sent}/resend", headers=editor)
    assert response.status_code == 200, response.text
    await deliver(conn, settings, smtp.url)
    first, again = smtp.to(ANNA)
    assert again["Message-ID"] == first["Message-ID"]
    assert again["Subject"] == first["Subject"]


async def test_a_lift_moved_after_the_mail_went_out_is_told_in_a_new_message(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    old, new = _lifts()
    release = await _embargoed(client, editor, approver, old)
    await deliver(conn, settings, smtp.url)
    [first] = smtp.to(ANNA)
    assert states(first, old)
    await schedule(client, editor, release["id"], new)
    await deliver(conn, settings, smtp.url)
    assert await deliver(conn, settings, smtp.url) == 0  # nothing more, nothing retried
    told = smtp.to(ANNA)
    assert len(told) == 2
    assert states(told[1], new)
    assert not states(told[1], old)
    # A reader that drops a Message-ID it has seen must not drop the correction.
    assert told[1]["Message-ID"] != first["Message-ID"]
    assert str(release["id"]) in told[1]["Message-ID"]
    assert smtp.to("bertil@news.example") == []


class HeldInbox(Inbox):
    """An SMTP server that holds its first message's DATA until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.holding.is_set():
            self.holding.set()
            await self.release.wait()
        return await super().handle_DATA(server, session, envelope)


async def test_a_lift_moved_during_a_send_out_is_not_stated_as_it_was_by_the_rest_of_it(
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    settings: Settings,
) -> None:
    # The sender makes each release's message once per round; the move commits while the
    # round's first message is at the server, and the rest of the round must not state
    # the lift the round began with.
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    journalists = [f"reader{i}@news.example" for i in range(5)]
    for address in journalists:
        await subscriber(
            fresh_client, editor, "Reader", address, {"embargoed": True}, embargo_access=True
        )
    release = await approved(fresh_client, editor, approver)
    old, new = _lifts()
    await schedule(fresh_client, editor, release["id"], old)
    smtp = HeldInbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTPServer(smtp, hostname="mail.test"), "127.0.0.1", 0
    )
    smtp.port = server.sockets[0].getsockname()[1]
    mail_settings = msgspec.structs.replace(settings, smtp_url=smtp.url)
    config = SenderConfig(rate=10_000, batch=100, connections=1)
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_mail_workers(fresh_db, mail_settings, config, stop, poll_seconds=0.05)
    )
    try:
        await asyncio.wait_for(smtp.holding.wait(), 10)
        await schedule(fresh_client, editor, release["id"], new)
        smtp.release.set()

        async def everyone_told() -> bool:
            return all(any(states(m, new) for m in smtp.to(a)) for a in journalists)

        await wait_for(everyone_told, 10)
        await asyncio.sleep(0.3)  # a few more rounds: nothing else goes out
    finally:
        stop.set()
        await worker
        server.close()
        await server.wait_closed()
    [(held_to, held)] = smtp.received[:1]
    assert states(held, old)  # at the server when the move committed
    for address in journalists:
        told = smtp.to(address)
        assert [states(m, old) for m in told] == ([True, False] if address in held_to else [False])
        assert len({m["Message-ID"] for m in told}) == len(told)
    open_rows = await fresh_conn.fetchval(
        "SELECT count(*) FROM mail_deliveries WHERE state NOT IN ('sent', 'cancelled')"
    )
    assert open_rows == 0


async def move_back(
    client: httpx.AsyncClient, approver: dict[str, str], release_id: str, lift: datetime
) -> None:
    """Move the embargo earlier than promised: an approver's move, with a reason."""
    body = {"at": lift.isoformat(), "embargo": True, "reason": "The meeting was moved back"}
    await act(client, approver, release_id, "publish", body)


@pytest.mark.parametrize("mailed_between", [True, False], ids=["mailed-each-time", "queued"])
async def test_a_lift_moved_back_to_its_first_time_is_told_last_in_a_new_message(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
    mailed_between: bool,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    first, later = _lifts()
    release = await _embargoed(client, editor, approver, first)

    async def before_the_next_move() -> None:
        """Mail what is queued, or only queue it (expand), to be sent at the end."""
        if mailed_between:
            await deliver(conn, settings, smtp.url)
        else:
            await expand_pending_events(conn)

    await before_the_next_move()
    await schedule(client, editor, release["id"], later)
    await before_the_next_move()
    await move_back(client, approver, release["id"], first)
    await deliver(conn, settings, smtp.url)
    assert await deliver(conn, settings, smtp.url) == 0
    told = smtp.to(ANNA)
    if mailed_between:
        assert [states(m, first) for m in told] == [True, False, True]
        assert states(told[1], later)
    else:  # told nothing yet: told once, the time as it is now
        assert len(told) == 1
    # The journalist's last word is the first time again, in a message no reader may drop
    # as a repeat of any earlier one.
    assert states(told[-1], first)
    assert not states(told[-1], later)
    assert len({m["Message-ID"] for m in told}) == len(told)
    assert smtp.to("bertil@news.example") == []


async def test_a_move_submitted_twice_is_mailed_once(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    first, later = _lifts()
    release = await _embargoed(client, editor, approver, first)
    await schedule(client, editor, release["id"], first)  # the form sent again
    await deliver(conn, settings, smtp.url)
    for _ in range(2):
        await schedule(client, editor, release["id"], later)
        await deliver(conn, settings, smtp.url)
    told = smtp.to(ANNA)
    assert [(states(m, first), states(m, later)) for m in told] == [(True, False), (False, True)]
    events = await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE aggregate_id = $1 AND event_type = 'release.embargoed'",
        UUID(release["id"]),
    )
    assert events == 2


async def test_an_embargo_unscheduled_and_scheduled_again_is_told_again(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    lift, _ = _lifts()
    release = await _embargoed(client, editor, approver, lift)
    await deliver(conn, settings, smtp.url)
    await act(client, editor, release["id"], "unschedule")
    await schedule(client, editor, release["id"], lift)
    await deliver(conn, settings, smtp.url)
    told = smtp.to(ANNA)
    assert [states(m, lift) for m in told] == [True, True]
    assert told[1]["Message-ID"] != told[0]["Message-ID"]
