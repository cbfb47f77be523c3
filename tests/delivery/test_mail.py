"""Release e-mail through a real SMTP server: content per language, headers, embargo
marking, unsubscribe links, and who must not get mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import UUID

import asyncpg
import httpx

from press.contacts.links import unsubscribe_token
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS
from tests.delivery.conftest import Inbox
from tests.delivery.helpers import deliver, subscriber
from tests.releases.helpers import act, approved, published


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


async def test_each_subscriber_gets_the_release_in_their_language(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Aino Fi", "aino@fi.example", {"languages": ["fi"]})
    await subscriber(client, editor, "Britt Sv", "britt@sv.example", {"languages": ["sv"]})
    await subscriber(
        client, editor, "Carl De", "carl@de.example", {"languages": ["de"]}, country="DE"
    )
    release = await published(client, editor, approver)
    assert await deliver(conn, settings, smtp.url) == 3
    fi, sv, de = smtp.to("aino@fi.example"), smtp.to("britt@sv.example"), smtp.to("carl@de.example")
    assert len(fi) == len(sv) == len(de) == 1
    assert fi[0]["Subject"] == "Kaupunginhallitus päätti talousarviosta"
    assert fi[0]["Content-Language"] == "fi"
    assert "hyväksyi" in _html(fi[0])
    assert sv[0]["Subject"] == "Stadsstyrelsen beslöt om budgeten"
    assert "Budgeten godkändes." in _text(sv[0])
    # a foreign reader without a language the release has gets English
    assert de[0]["Content-Language"] == "en"
    assert de[0]["Subject"] == "City Board decided on the budget"
    progress = await client.get(
        "/api/v1/manage/deliveries/", params={"release": release["id"]}, headers=editor
    )
    assert progress.json()["counts"] == {"sent": 3}


async def test_headers_are_individual_and_carry_one_click_unsubscribe(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    one = await subscriber(client, editor, "Aino Fi", "aino@fi.example")
    await subscriber(client, editor, "Eino Fi", "eino@fi.example")
    release = await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    assert all(len(rcpts) == 1 for rcpts, _ in smtp.received)
    message = smtp.to("aino@fi.example")[0]
    assert message["To"] == "Aino Fi <aino@fi.example>"
    assert "eino" not in str(message)
    assert message["Message-ID"] == f"<release.{release['id']}.{one['id']}@example.org>"
    assert message["Date"] is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"])
    assert unsubscribe is not None
    assert unsubscribe.group(1) in _text(message)
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the URL
    path = unsubscribe.group(1).removeprefix(settings.public_url)
    page = await client.get(path)
    assert page.status_code == 200  # a page with a button; a GET changes nothing
    clicked = await client.post(
        path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 200
    subscription = await client.get(f"{CONTACTS}/{one['id']}/subscription", headers=editor)
    assert subscription.json()["state"] == "unsubscribed"
    # a forged token for another person is refused
    forged = path[:-4] + "AAAA"
    assert (await client.post(forged)).status_code == 404


async def test_embargoed_release_goes_only_to_accredited_opted_in_readers_with_the_lift_time(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(
        client, editor, "Anna Accredited", "anna@hs.example", {"embargoed": True},
        embargo_access=True,
    )  # fmt: skip
    await subscriber(client, editor, "Pekka Public", "pekka@x.example")
    refused = await client.put(
        f"{CONTACTS}/{(await subscriber(client, editor, 'N', 'n@x.example'))['id']}/subscription",
        json={"embargoed": True},
        headers=editor,
    )
    assert refused.status_code == 409
    release = await approved(client, editor, approver)
    # 10:00 in Helsinki on a summer day: UTC+03:00
    year = (await conn.fetchval("SELECT now()")).year + 1
    lift = datetime(year, 6, 15, 7, 0, tzinfo=UTC)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    await deliver(conn, settings, smtp.url)
    assert [rcpts for rcpts, _ in smtp.received] == [["anna@hs.example"]]
    message = smtp.received[0][1]
    assert message["Subject"].startswith(f"EMBARGO 15.6.{year} 10.00 UTC+03:00: ")
    assert f"15.6.{year} klo 10.00 (Europe/Helsinki, UTC+03:00)" in _text(message)
    assert "EMBARGO" in _html(message)


async def test_winter_lift_time_is_stated_with_utc_plus_two() -> None:
    from press.delivery.message import embargo_line

    lift = datetime(2026, 1, 10, 8, 30, tzinfo=UTC)
    assert embargo_line(lift, "en") == (
        "EMBARGO: not for publication before 10 January 2026 at 10:30 (Europe/Helsinki, UTC+02:00)"
    )
    assert embargo_line(lift + timedelta(days=180), "sv").endswith("(Europe/Helsinki, UTC+03:00)")


async def test_no_mail_to_unconfirmed_unsubscribed_bounced_or_erased_contacts(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver, admin = await staff("editor"), await staff("approver"), await staff("admin")
    await subscriber(client, editor, "Active", "active@x.example")
    unsub = await subscriber(client, editor, "Unsub", "unsub@x.example")
    bounced = await subscriber(client, editor, "Bounced", "bounced@x.example")
    erased = await subscriber(client, editor, "Erased", "erased@x.example")
    withdrawn = await subscriber(
        client, editor, "Consent", "consent@x.example", lawful_basis="consent",
        consent={"text_version": "v1", "channel": "email"},
    )  # fmt: skip
    await client.post(
        "/api/v1/subscriptions/",
        json={"email": "pending@x.example", "consent_text_version": "v1"},
    )
    token = unsubscribe_token(settings.secret_key, UUID(unsub["id"]))
    await client.post(f"/api/v1/subscriptions/unsubscribe/{token}")
    etag = (await client.get(f"{CONTACTS}/{bounced['id']}", headers=editor)).headers["etag"]
    await client.patch(
        f"{CONTACTS}/{bounced['id']}",
        json={"status": "bounced"},
        headers={**editor, "If-Match": etag},
    )
    await client.post(f"{CONTACTS}/{erased['id']}/erase", headers=admin)
    consents = (await client.get(f"{CONTACTS}/{withdrawn['id']}/consents", headers=editor)).json()[
        "items"
    ]
    await client.post(
        f"{CONTACTS}/{withdrawn['id']}/consents/{consents[0]['id']}/withdraw", headers=editor
    )
    smtp.received.clear()  # the confirmation mail of the pending request is not a release
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    release_mail = [rcpts for rcpts, m in smtp.received if "Confirm" not in m["Subject"]
                    and "Vahvista" not in m["Subject"]]  # fmt: skip
    assert release_mail == [["active@x.example"]]


async def test_temporary_failure_is_retried_and_permanent_one_bounces_the_contact(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Later", "later@x.example")
    gone = await subscriber(client, editor, "Gone", "gone@x.example")
    await subscriber(client, editor, "Fine", "fine@x.example")
    smtp.refuse["later@x.example"] = ["451 4.7.1 Try again later"]
    smtp.refuse["gone@x.example"] = ["550 5.1.1 No such user"]
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    states = dict(await conn.fetch("SELECT state, count(*) FROM mail_deliveries GROUP BY state"))
    assert states == {"retry": 1, "bounced": 1, "sent": 1}
    assert len(smtp.to("fine@x.example")) == 1
    contact = await client.get(f"{CONTACTS}/{gone['id']}", headers=editor)
    assert contact.json()["status"] == "bounced"
    await conn.execute("UPDATE mail_deliveries SET next_attempt_at = now() WHERE state = 'retry'")
    await deliver(conn, settings, smtp.url)
    assert len(smtp.to("later@x.example")) == 1
    assert smtp.to("gone@x.example") == []


async def test_self_service_subscription_sends_nothing_until_confirmed(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    body = {"email": "new@paper.example", "consent_text_version": "2026-01", "languages": ["sv"],
            "sources": ["city-board"]}  # fmt: skip
    answer = await client.post("/api/v1/subscriptions/", json=body)
    assert answer.status_code == 202
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    [confirmation] = smtp.to("new@paper.example")
    assert confirmation["Content-Language"] == "sv"
    link = re.search(r"https?://\S+/confirm/\S+", _text(confirmation))
    assert link is not None
    path = link.group(0).removeprefix(settings.public_url)
    assert (await client.post(path)).status_code == 200
    assert (await client.post(path)).status_code == 404  # a spent link
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    mails = smtp.to("new@paper.example")
    assert len(mails) == 2
    assert mails[1]["Subject"] == "Stadsstyrelsen beslöt om budgeten"
    consent = await conn.fetchrow(
        "SELECT k.* FROM consents k JOIN contacts c ON c.id = k.contact_id "
        "WHERE c.email = 'new@paper.example'"
    )
    assert consent["text_version"] == "2026-01"
    assert consent["channel"] == "web-form"


async def test_subscribe_answers_the_same_for_known_and_unknown_addresses(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    await subscriber(client, editor, "Known", "known@x.example")
    known = await client.post(
        "/api/v1/subscriptions/", json={"email": "known@x.example", "consent_text_version": "v1"}
    )
    unknown = await client.post(
        "/api/v1/subscriptions/", json={"email": "unknown@x.example", "consent_text_version": "v1"}
    )
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


async def test_withdrawing_consent_stops_mail_already_queued(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    from press.delivery.queue import expand_pending_events

    editor, approver = await staff("editor"), await staff("approver")
    contact = await subscriber(
        client, editor, "Consent", "consent@x.example", lawful_basis="consent",
        consent={"text_version": "v1", "channel": "email"},
    )  # fmt: skip
    await published(client, editor, approver)
    await expand_pending_events(conn)
    assert await conn.fetchval("SELECT state FROM mail_deliveries") == "queued"
    consents = (await client.get(f"{CONTACTS}/{contact['id']}/consents", headers=editor)).json()[
        "items"
    ]
    await client.post(
        f"{CONTACTS}/{contact['id']}/consents/{consents[0]['id']}/withdraw", headers=editor
    )
    await deliver(conn, settings, smtp.url)
    assert smtp.received == []
    assert await conn.fetchval("SELECT state FROM mail_deliveries") == "cancelled"


async def test_reader_of_the_embargoed_copy_is_not_mailed_again_at_the_lift(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    import asyncio

    from press.outbox import add_event, publication_key

    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(
        client, editor, "Anna", "anna@hs.example", {"embargoed": True}, embargo_access=True
    )
    await subscriber(client, editor, "Pekka", "pekka@x.example")
    release = await approved(client, editor, approver)
    lift = await conn.fetchval("SELECT statement_timestamp() + interval '1 second'")
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    await deliver(conn, settings, smtp.url)
    assert [r for r, _ in smtp.received] == [["anna@hs.example"]]
    await asyncio.sleep(1.1)
    # What the lift loop does at the lift: the state becomes published, the event is written.
    await conn.execute("UPDATE releases SET state = 'published' WHERE id = $1", UUID(release["id"]))
    await add_event(
        conn, "release.published", UUID(release["id"]),
        publication_key(UUID(release["id"]), lift), {"id": release["id"]},
    )  # fmt: skip
    await deliver(conn, settings, smtp.url)
    assert [r for r, _ in smtp.received] == [["anna@hs.example"], ["pekka@x.example"]]
    assert not smtp.received[1][1]["Subject"].startswith("EMBARGO")


async def test_mail_of_a_release_withdrawn_mid_send_out_is_not_sent(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    settings: Settings,
    smtp: Inbox,
) -> None:
    from press.delivery.queue import expand_pending_events

    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Reader", "reader@x.example")
    release = await published(client, editor, approver)
    await expand_pending_events(conn)
    await act(client, approver, release["id"], "withdraw", {"reason": "Wrong figures"})
    await deliver(conn, settings, smtp.url)
    assert smtp.received == []
    assert await conn.fetchval("SELECT state FROM mail_deliveries") == "cancelled"


async def test_repeated_subscribe_requests_do_not_flood_the_mailbox(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    body = {"email": "target@x.example", "consent_text_version": "v1"}
    for _ in range(3):
        assert (await client.post("/api/v1/subscriptions/", json=body)).status_code == 202
    queued = await conn.fetchval("SELECT count(*) FROM mail_deliveries WHERE kind = 'confirmation'")
    assert queued == 1
