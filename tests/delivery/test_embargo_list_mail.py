"""Embargoed e-mail follows the release's embargo list (real SMTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import httpx

from press.delivery.queue import expand_pending_events
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.embargo.test_embargo_lists import set_list
from tests.embargo.test_journalists import contact
from tests.releases.helpers import act, approved


async def test_embargoed_mail_goes_to_the_list_and_to_those_it_adds_later(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    readers = {
        name: await subscriber(
            client, editor, name.title(), f"{name}@news.example", {"embargoed": True},
            embargo_access=True,
        )
        for name in ("anna", "bertil")
    }  # fmt: skip
    release = await approved(client, editor, approver)
    assert (await set_list(client, editor, release["id"], [readers["anna"]["id"]])).is_success
    lift = datetime.now(UTC) + timedelta(hours=2)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    await deliver(conn, settings, smtp.url)
    assert len(smtp.to("anna@news.example")) == 1
    assert smtp.to("bertil@news.example") == []
    both = [readers["anna"]["id"], readers["bertil"]["id"]]
    assert (await set_list(client, editor, release["id"], both)).is_success
    await deliver(conn, settings, smtp.url)
    assert len(smtp.to("anna@news.example")) == 1  # not mailed twice
    assert len(smtp.to("bertil@news.example")) == 1
    assert "EMBARGO" in smtp.to("bertil@news.example")[0]["Subject"]


async def test_a_queued_embargoed_mail_is_not_sent_to_someone_taken_off_the_list(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    anna = await subscriber(
        client, editor, "Anna", "anna@news.example", {"embargoed": True}, embargo_access=True
    )
    release = await approved(client, editor, approver)
    lift = datetime.now(UTC) + timedelta(hours=2)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    await expand_pending_events(conn)  # queued for everyone accredited
    other = await contact(conn)
    assert (await set_list(client, editor, release["id"], [other])).is_success
    await deliver(conn, settings, smtp.url)
    assert smtp.to("anna@news.example") == []
    state = await conn.fetchval(
        "SELECT state FROM mail_deliveries WHERE contact_id = $1", UUID(anna["id"])
    )
    assert state == "cancelled"


async def test_a_list_change_in_the_schedules_transaction_mails_each_reader_once(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    anna = await subscriber(
        client, editor, "Anna", "anna@news.example", {"embargoed": True}, embargo_access=True
    )
    release = await approved(client, editor, approver)
    lift = datetime.now(UTC) + timedelta(hours=2)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    assert (await set_list(client, editor, release["id"], [anna["id"]])).is_success
    # Both events share created_at (one transaction here); the list change's gets the
    # smallest id, so an order by id would expand it before the schedule's.
    await conn.execute(
        "UPDATE outbox SET id = '00000000-0000-4000-8000-000000000000' "
        "WHERE payload ? 'embargo_list_changed'"
    )
    await deliver(conn, settings, smtp.url)
    assert [rcpts for rcpts, _ in smtp.received] == [["anna@news.example"]]
