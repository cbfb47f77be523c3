"""Webhook delivery: signed, matched by pattern, retried with backoff, at least once with a
stable id, and never twice from two instances."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
import uuid
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.cdn import CdnPurger
from press.db import PoolDatabase, SingleConnectionDatabase
from press.embargo.signing import new_webhook_secret
from press.embargo.webhook_targets import IPAddress
from press.embargo.webhooks import WebhookSender, backoff_seconds
from press.ops.metrics import Metrics
from press.settings import Settings
from tests.conftest import StaffFactory, clone_database, drop_database
from tests.embargo.outbox import emit
from tests.embargo.receiver import Receiver, signature_is_valid
from tests.embargo.waiting import eventually, running

HOOKS = "/api/v1/manage/webhooks"


LOOPBACK = ("127.0.0.0/8",)  # where the tests' receivers listen


def sender(db: PoolDatabase, url: str, **options: Any) -> WebhookSender:
    settings: dict[str, Any] = {
        "timeout_seconds": 2,
        "max_attempts": 5,
        "backoff_base": 1,
        "allow_networks": LOOPBACK,
    }
    return WebhookSender(db, url, **{**settings, **options})


async def subscribe(conn: asyncpg.Connection, url: str, *patterns: str) -> tuple[uuid.UUID, str]:
    secret = new_webhook_secret()
    webhook_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO webhooks (url, event_types, secret) VALUES ($1, $2, $3) RETURNING id",
        url,
        list(patterns),
        secret,
    )
    return webhook_id, secret


async def delivered(conn: asyncpg.Connection) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'"
    )
    return count


async def test_delivery_is_signed_in_the_standard_webhooks_scheme(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    _, secret = await subscribe(fresh_conn, receiver.url, "release.*")
    await emit(fresh_conn, "release.published", id="r1", state="published")
    async with running(sender(fresh_db, fresh_database_url).run()):
        await eventually(lambda: receiver.requests)
    request = receiver.requests[0]
    assert signature_is_valid(secret, request)
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["content-type"] == "application/json"
    assert request.json()["type"] == "release.published"
    assert request.json()["data"] == {"id": "r1", "state": "published"}
    request.body += b" "
    assert not signature_is_valid(secret, request)


async def test_subscriptions_match_exact_family_and_wildcard_but_never_internal_events(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    family, _ = await subscribe(fresh_conn, receiver.url, "release.*")
    exact, _ = await subscribe(fresh_conn, receiver.url, "release.withdrawn")
    everything, _ = await subscribe(fresh_conn, receiver.url, "*")
    for event_type in ("release.published", "release.withdrawn", "release.embargoed"):
        await emit(fresh_conn, event_type)
    async with running(sender(fresh_db, fresh_database_url).run()):
        await eventually(lambda: len(receiver.requests) >= 5)
        await asyncio.sleep(0.3)
    rows = await fresh_conn.fetch("SELECT webhook_id, event_type FROM webhook_deliveries")
    got = {(r["webhook_id"], r["event_type"]) for r in rows}
    assert got == {
        (family, "release.published"),
        (family, "release.withdrawn"),
        (exact, "release.withdrawn"),
        (everything, "release.published"),
        (everything, "release.withdrawn"),
    }
    assert len(receiver.requests) == 5


async def test_receiver_down_then_up_gets_everything_later(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    await subscribe(fresh_conn, receiver.url, "release.*")
    await receiver.stop()
    for n in range(5):
        await emit(fresh_conn, "release.published", n=n)
    async with running(sender(fresh_db, fresh_database_url).run()):
        await eventually(
            lambda: fresh_conn.fetchval(
                "SELECT bool_and(attempts >= 1 AND last_error IS NOT NULL) AND count(*) = 5"
                " FROM webhook_deliveries"
            )
        )
        await receiver.start()  # back on the same port
        await eventually(lambda: _all_delivered(fresh_conn, 5), within=8)
    assert sorted(r.json()["data"]["n"] for r in receiver.requests) == list(range(5))
    ids = await fresh_conn.fetch(
        "SELECT 'msg_' || replace(id::text, '-', '') AS id FROM webhook_deliveries"
    )
    assert sorted(receiver.ids()) == sorted(r["id"] for r in ids)


async def _all_delivered(conn: asyncpg.Connection, n: int) -> bool:
    return await delivered(conn) == n


async def test_failing_receiver_is_retried_with_backoff_then_marked_failed_and_retriable(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    fresh_client: httpx.AsyncClient,
    fresh_staff: StaffFactory,
    receiver: Receiver,
) -> None:
    receiver.status = 500
    webhook_id, _ = await subscribe(fresh_conn, receiver.url, "release.published")
    await emit(fresh_conn, "release.published")
    async with running(sender(fresh_db, fresh_database_url, max_attempts=3).run()):
        await eventually(
            lambda: fresh_conn.fetchval("SELECT state = 'failed' FROM webhook_deliveries"),
            within=8,
        )
        times = [r.at for r in receiver.requests]
        assert len(times) == 3
        assert len(set(receiver.ids())) == 1  # the same webhook-id on every attempt
        assert times[1] - times[0] >= 0.45  # attempt 1 waits 0.5 to 1 s, attempt 2 1 to 2 s
        assert times[2] - times[1] >= 0.95

        approver = await fresh_staff("approver")
        listed = await fresh_client.get(f"{HOOKS}/{webhook_id}/deliveries", headers=approver)
        assert listed.status_code == 200
        [delivery] = listed.json()["items"]
        assert delivery["state"] == "failed"
        assert [a["status"] for a in delivery["attempt_log"]] == [500, 500, 500]

        receiver.status = 204
        retry = await fresh_client.post(
            f"{HOOKS}/{webhook_id}/deliveries/{delivery['id']}/retry", headers=approver
        )
        assert retry.status_code == 202
        await eventually(lambda: _all_delivered(fresh_conn, 1))
    assert len(receiver.requests) == 4
    assert len(set(receiver.ids())) == 1


async def test_two_instances_deliver_each_event_exactly_once(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    await subscribe(fresh_conn, receiver.url, "release.*")
    first, second = sender(fresh_db, fresh_database_url), sender(fresh_db, fresh_database_url)
    async with running(first.run()), running(second.run()):
        for n in range(60):
            await emit(fresh_conn, "release.published", n=n)
        await eventually(lambda: _all_delivered(fresh_conn, 60), within=10)
        await asyncio.sleep(0.3)
    assert len(receiver.requests) == 60
    assert len(set(receiver.ids())) == 60


async def test_an_event_committed_after_a_later_one_is_not_skipped(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # The slow transaction writes its event first but commits last: a position by time or
    # sequence alone would pass over it.
    await subscribe(fresh_conn, receiver.url, "release.*")
    async with fresh_db.acquire() as slow:
        transaction = slow.transaction()
        await transaction.start()
        await emit(slow, "release.updated", order="first-written")
        async with running(sender(fresh_db, fresh_database_url).run()):
            await emit(fresh_conn, "release.published", order="first-committed")
            await asyncio.sleep(1.2)
            await transaction.commit()
            await eventually(lambda: _all_delivered(fresh_conn, 2))
    assert {r.json()["data"]["order"] for r in receiver.requests} == {
        "first-written",
        "first-committed",
    }


async def test_a_long_transaction_of_another_database_does_not_hold_up_delivery(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # Another application's database on the same server, in the middle of a long write: its
    # transaction ids are the server's, but it can never add a row to press's outbox.
    await subscribe(fresh_conn, receiver.url, "release.*")
    other_url = await clone_database("o" + secrets.token_hex(4))
    other = await asyncpg.connect(other_url)
    try:
        async with other.transaction():
            await other.execute("CREATE TABLE batch_job (n int)")
            async with running(sender(fresh_db, fresh_database_url).run()):
                await emit(fresh_conn, "release.published", n=1)
                await eventually(lambda: _all_delivered(fresh_conn, 1), within=5)
            assert await other.fetchval("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
    finally:
        await other.close()
        await drop_database(other_url)
    assert [r.json()["data"]["n"] for r in receiver.requests] == [1]


async def test_a_hung_receiver_does_not_hold_up_the_others(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    hung = Receiver(delay=60)
    await hung.start()
    await subscribe(fresh_conn, hung.url, "release.*")
    await subscribe(fresh_conn, receiver.url, "release.*")
    async with running(sender(fresh_db, fresh_database_url, timeout_seconds=30).run()):
        await emit(fresh_conn, "release.published", n=1)
        await eventually(lambda: hung.requests)
        await emit(fresh_conn, "release.published", n=2)
        # Long before the hung request could time out (30 s):
        await eventually(lambda: len(receiver.requests) == 2, within=15)
    await hung.stop()


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    for attempt, low, high in [(1, 5, 10), (2, 10, 20), (3, 20, 40), (30, 1800, 3600)]:
        delays = [backoff_seconds(attempt, 10) for _ in range(50)]
        assert all(low <= d <= high for d in delays)
        assert len(set(delays)) > 1


async def test_webhooks_are_managed_by_approvers_and_the_secret_is_shown_once(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    approver, editor = await staff("approver"), await staff("editor")
    body = {"url": "https://www.city.example/hooks", "event_types": ["release.*"]}
    assert (await client.post(HOOKS, json=body, headers=editor)).status_code == 403
    created = await client.post(HOOKS, json=body, headers=approver)
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_")
    assert created.headers["cache-control"] == "private, no-store"
    read = (await client.get(f"{HOOKS}/{hook['id']}", headers=approver)).json()
    assert read["secret"] is None
    listed = (await client.get(HOOKS, headers=approver)).json()["items"]
    assert [h["id"] for h in listed] == [hook["id"]]

    changed = await client.patch(
        f"{HOOKS}/{hook['id']}", json={"active": False, "event_types": ["*"]}, headers=approver
    )
    assert changed.json()["active"] is False
    assert changed.json()["event_types"] == ["*"]
    assert changed.json()["secret"] is None
    given = "whsec_" + "A" * 44
    rotated = await client.patch(f"{HOOKS}/{hook['id']}", json={"secret": given}, headers=approver)
    assert rotated.json()["secret"] == given

    audit = (
        await client.get("/api/v1/manage/audit", params={"entity": "webhook"}, headers=approver)
    ).json()
    assert {e["action"] for e in audit["items"]} == {"webhook.create", "webhook.update"}
    assert given not in str(audit)
    assert hook["secret"] not in str(audit)

    assert (await client.delete(f"{HOOKS}/{hook['id']}", headers=approver)).status_code == 204
    assert (await client.get(f"{HOOKS}/{hook['id']}", headers=approver)).status_code == 404


async def test_webhook_input_is_validated(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    approver = await staff("approver")
    bad = [
        {"url": "ftp://x.example/", "event_types": ["release.*"]},
        {"url": "https://x.example/", "event_types": []},
        {"url": "https://x.example/", "event_types": ["release published"]},
        {"url": "https://x.example/", "event_types": ["*"], "secret": "whsec_short"},
        {"url": "https://x.example/", "event_types": ["*"], "secret": "whsec_" + "A" * 43},
        {"url": "https://x.example/", "event_types": ["*"], "owner": "me"},
    ]
    for body in bad:
        response = await client.post(HOOKS, json=body, headers=approver)
        assert response.status_code == 422, body


async def test_a_position_from_another_cluster_starts_over_without_resending(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    await subscribe(fresh_conn, receiver.url, "release.*")
    await emit(fresh_conn, "release.published", n=1)
    async with running(sender(fresh_db, fresh_database_url).run()):
        await eventually(lambda: _all_delivered(fresh_conn, 1))
        # As after restoring a dump into a new cluster: the position is "in the future".
        await fresh_conn.execute(
            "UPDATE outbox_consumers SET last_txid = (pg_current_xact_id()::text::bigint"
            " + 1000000)::text::xid8"
        )
        await emit(fresh_conn, "release.published", n=2)
        await eventually(lambda: _all_delivered(fresh_conn, 2))
        await asyncio.sleep(0.3)
    assert sorted(r.json()["data"]["n"] for r in receiver.requests) == [1, 2]


# Addresses a webhook must not reach. They are only ever refused values here: nothing in
# these tests connects to them (the refusal comes before any socket is opened).
REFUSED_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/",
    "http://10.0.0.1/hooks",
    "http://172.16.5.4:8080/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://127.0.0.1:9/",
    "http://[::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a00:1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://0.0.0.0:8000/",
    "http://localhost:9/",
    "http://2130706433/",
]


async def test_webhooks_to_private_loopback_link_local_or_metadata_addresses_are_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    approver = await staff("approver")
    public = {"url": "https://www.city.example/hooks", "event_types": ["*"]}
    hook = (await client.post(HOOKS, json=public, headers=approver)).json()
    for url in REFUSED_URLS:
        body = {"url": url, "event_types": ["*"]}
        created = await client.post(HOOKS, json=body, headers=approver)
        assert created.status_code == 422, url
        assert created.json()["errors"] == [{"key": "url", "message": "address not allowed"}]
        changed = await client.patch(f"{HOOKS}/{hook['id']}", json={"url": url}, headers=approver)
        assert changed.status_code == 422, url
    assert await conn.fetchval("SELECT array_agg(url) FROM webhooks") == [public["url"]]


async def test_an_allowed_network_admits_its_addresses_but_never_the_metadata_service(
    conn: asyncpg.Connection, settings: Settings, staff: StaffFactory
) -> None:
    allowing = msgspec.structs.replace(
        settings, webhook_allow_networks=("10.0.0.0/8", "169.254.0.0/16")
    )
    app = create_app(allowing, database=SingleConnectionDatabase(conn))
    approver = await staff("approver")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://press.test"
    ) as client:
        for url, status in [
            ("http://10.0.0.1/hooks", 201),
            ("http://169.254.10.10/", 201),
            ("http://169.254.169.254/latest/meta-data/", 422),
            ("http://192.168.1.1/", 422),
        ]:
            body = {"url": url, "event_types": ["*"]}
            assert (await client.post(HOOKS, json=body, headers=approver)).status_code == status


async def test_a_delivery_to_a_refused_address_opens_no_connection(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # Stored before the check existed, or by hand: the delivery checks again. `localhost`
    # resolves to 127.0.0.1, where the receiver listens; with no network allowed it must
    # never hear from press.
    await subscribe(fresh_conn, f"http://localhost:{receiver.port}/hooks", "release.*")
    await subscribe(fresh_conn, "http://169.254.169.254/latest/meta-data/", "release.*")
    await subscribe(fresh_conn, "http://10.0.0.1/hooks", "release.*")
    await emit(fresh_conn, "release.published")
    async with running(sender(fresh_db, fresh_database_url, allow_networks=()).run()):
        await eventually(lambda: _attempted(fresh_conn, 3))
    attempts = await fresh_conn.fetch("SELECT error, duration_ms FROM webhook_attempts")
    for attempt in attempts:
        assert attempt["error"] == "refused: the address is not one webhooks are sent to"
        # A connection attempt to 10.0.0.1 or the metadata address would wait for its
        # timeout (2 s); the refusal comes before any socket.
        assert attempt["duration_ms"] < 500
    assert receiver.requests == []


async def _attempted(conn: asyncpg.Connection, deliveries: int) -> bool:
    """Each of `deliveries` has the result of an attempt recorded."""
    count = await conn.fetchval("SELECT count(DISTINCT delivery_id) FROM webhook_attempts")
    return bool(count == deliveries)


async def test_a_delivery_connects_to_the_address_it_checked(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # hooks.city.example exists in no DNS: the request reaches the receiver only if the
    # connection goes to the one address the check saw, with the name kept in Host.
    answers: list[str] = []

    async def resolver(host: str, port: int) -> list[IPAddress]:
        answers.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    await subscribe(fresh_conn, f"http://hooks.city.example:{receiver.port}/h", "release.*")
    await emit(fresh_conn, "release.published")
    async with running(sender(fresh_db, fresh_database_url, resolver=resolver).run()):
        await eventually(lambda: _all_delivered(fresh_conn, 1))
    assert answers == ["hooks.city.example"]
    assert receiver.requests[0].headers["host"] == f"hooks.city.example:{receiver.port}"


async def test_a_name_with_any_refused_address_is_refused(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    async def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("169.254.169.254")]

    await subscribe(fresh_conn, f"http://hooks.city.example:{receiver.port}/h", "release.*")
    await emit(fresh_conn, "release.published")
    async with running(sender(fresh_db, fresh_database_url, resolver=resolver).run()):
        await eventually(lambda: _attempted(fresh_conn, 1))
    assert await fresh_conn.fetchval("SELECT error FROM webhook_attempts") == (
        "refused: the address is not one webhooks are sent to"
    )
    assert receiver.requests == []


async def test_the_delivery_log_names_failures_in_fixed_words(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # Neither the network's error text (refused, unreachable, reset) nor the receiver's
    # answer goes into the log: it must not tell a closed port from an open one.
    closed = Receiver()
    await closed.start()
    await closed.stop()
    receiver.status = 500
    await subscribe(fresh_conn, closed.url, "release.*")
    await subscribe(fresh_conn, receiver.url, "release.*")
    await emit(fresh_conn, "release.published")
    async with running(sender(fresh_db, fresh_database_url).run()):
        await eventually(lambda: _attempted(fresh_conn, 2))
    errors = {r["error"] for r in await fresh_conn.fetch("TABLE webhook_attempts")}
    assert errors == {"could not connect", "HTTP 500"}


@pytest.mark.parametrize("host", ["www.city.example", "hooks.invalid", "press.test", "example"])
async def test_special_use_names_are_never_asked_of_a_dns_server(host: str) -> None:
    from press.embargo.webhook_targets import resolve

    with pytest.raises(OSError, match="special-use name"):
        await resolve(host, 443)


async def test_attempts_are_counted_and_logged_by_outcome(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver.status = 500
    await subscribe(fresh_conn, receiver.url, "release.published")
    await emit(fresh_conn, "release.published")
    webhooks = sender(fresh_db, fresh_database_url, max_attempts=2)
    webhooks.metrics = Metrics()
    caplog.set_level(logging.INFO, logger="press.embargo.webhooks")
    async with running(webhooks.run()):
        await eventually(
            lambda: fresh_conn.fetchval("SELECT state = 'failed' FROM webhook_deliveries"),
            within=8,
        )
    text = webhooks.metrics.exposition().decode()
    assert 'press_webhook_attempts_total{outcome="retry"} 1.0' in text
    assert 'press_webhook_attempts_total{outcome="failed"} 1.0' in text
    assert 'press_webhook_attempts_total{outcome="delivered"} 0.0' in text
    attempts = [r for r in caplog.records if getattr(r, "event", None) == "webhook_attempt"]
    assert [(r.attempt, r.outcome, r.status) for r in attempts] == [  # type: ignore[attr-defined]
        (1, "retry", 500),
        (2, "failed", 500),
    ]
    assert all(r.request_id.startswith("webhook-") for r in attempts)  # type: ignore[attr-defined]


async def test_a_hung_cdn_endpoint_does_not_hold_up_the_webhooks(
    fresh_database_url: str,
    fresh_db: PoolDatabase,
    fresh_conn: asyncpg.Connection,
    receiver: Receiver,
) -> None:
    # The purger waits on its endpoint inside its transaction; that transaction must not hold
    # back the outbox's horizon, which every other consumer reads by.
    hung = Receiver(delay=8)
    await hung.start()
    await subscribe(fresh_conn, receiver.url, "release.*")
    cdn = CdnPurger(fresh_db, fresh_database_url, hung.url, "http://press.test", timeout_seconds=30)
    try:
        async with running(cdn.run()), running(sender(fresh_db, fresh_database_url).run()):
            await emit(fresh_conn, "release.published", n=1)
            await eventually(lambda: hung.requests)  # the purge of the first change hangs
            await emit(fresh_conn, "release.published", n=2)
            await eventually(lambda: _all_delivered(fresh_conn, 2), within=5)
            assert len(hung.requests) == 1  # still waiting for its answer
    finally:
        await hung.stop()
    assert sorted(r.json()["data"]["n"] for r in receiver.requests) == [1, 2]
