"""Builders for the distribution tests: subscribers and a send-out run to completion."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import msgspec

from press.db import SingleConnectionDatabase
from press.delivery.queue import expand_pending_events
from press.delivery.sender import MailSender, SenderConfig
from press.ops.metrics import Metrics
from press.settings import Settings
from tests.contacts.helpers import CONTACTS, add_contact

FAST = SenderConfig(rate=10_000, batch=100, connections=1, retry_base_seconds=0.5)


async def subscriber(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    name: str,
    email: str,
    subscription: dict[str, Any] | None = None,
    **contact: Any,
) -> dict[str, Any]:
    created = await add_contact(client, headers, name, email, **contact)
    response = await client.put(
        f"{CONTACTS}/{created['id']}/subscription", json=subscription or {}, headers=headers
    )
    assert response.status_code == 200, response.text
    return created


async def deliver(
    conn: asyncpg.Connection,
    settings: Settings,
    smtp_url: str,
    config: SenderConfig = FAST,
    metrics: Metrics | None = None,
) -> int:
    """Expand pending events and send everything due now; return how many sends were tried."""
    await expand_pending_events(conn)
    mail_settings = msgspec.structs.replace(settings, smtp_url=smtp_url)
    sender = MailSender(SingleConnectionDatabase(conn), mail_settings, config)
    sender.metrics = metrics
    total = 0
    while tried := await sender.send_due():
        total += tried
    return total
