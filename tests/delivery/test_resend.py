"""Staff put an uncertain or failed delivery back in the queue, knowingly."""

from __future__ import annotations

import asyncpg
import httpx

from press.delivery.queue import expand_pending_events
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.releases.helpers import published

DELIVERIES = "/api/v1/manage/deliveries"


async def test_an_unknown_delivery_is_sent_again_only_when_staff_ask(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver, viewer = await staff("editor"), await staff("approver"), await staff("viewer")
    await subscriber(client, editor, "Aino", "aino@x.example")
    release = await published(client, editor, approver)
    await expand_pending_events(conn)
    # What a sender killed between starting and recording a send leaves behind.
    delivery_id = await conn.fetchval(
        "UPDATE mail_deliveries SET state = 'unknown', attempts = 1 WHERE release_id = $1 "
        "RETURNING id",
        release["id"],
    )
    assert await deliver(conn, settings, smtp.url) == 0  # never resent on its own
    assert smtp.to("aino@x.example") == []
    assert (
        await client.post(f"{DELIVERIES}/{delivery_id}/resend", headers=viewer)
    ).status_code == 403
    resent = await client.post(f"{DELIVERIES}/{delivery_id}/resend", headers=editor)
    assert resent.status_code == 200, resent.text
    assert resent.json()["state"] == "queued"
    assert resent.json()["email"] == "aino@x.example"
    await deliver(conn, settings, smtp.url)
    assert len(smtp.to("aino@x.example")) == 1
    again = await client.post(f"{DELIVERIES}/{delivery_id}/resend", headers=editor)
    assert again.status_code == 409
    assert "unknown or failed" in again.json()["detail"]
    assert (await client.post(f"{DELIVERIES}/99999999/resend", headers=editor)).status_code == 404
    audit = await conn.fetchval(
        "SELECT changes FROM audit_log WHERE action = 'delivery.resend' AND entity_id = $1",
        str(delivery_id),
    )
    assert audit == {"was": "unknown"}
