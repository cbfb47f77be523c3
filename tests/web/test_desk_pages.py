"""The journalist's desk over HTTP: forms, signed links, the reading room's session rules,
on the suite's database and a real SMTP server (the browser flows are in test_desk.py)."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from uuid import UUID

import asyncpg
import httpx
import pytest

from press.contacts import links
from press.settings import Settings
from press.web.forms import form_token, form_token_valid
from tests.conftest import StaffFactory
from tests.contacts.helpers import add_contact
from tests.delivery.conftest import Inbox
from tests.delivery.conftest import smtp as smtp  # the fixture, for this module
from tests.delivery.helpers import deliver, subscriber
from tests.releases.helpers import act, approved, published

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def mailed_link(message: EmailMessage, settings: Settings, kind: str) -> str:
    """The desk link of `kind` in a message's text, as a path of this app."""
    part = message.get_body(("plain",))
    assert part is not None
    found = re.search(rf"https?://\S+/desk/{kind}/\S+", str(part.get_content()))
    assert found is not None, part.get_content()
    return found.group(0).removeprefix(settings.public_url)


async def post_form(
    client: httpx.AsyncClient, path: str, fields: dict[str, str | list[str]]
) -> httpx.Response:
    """Fill in the form shown at `path` as a browser would: with its hidden token."""
    shown = await client.get(path)
    token = FORM_TOKEN.search(shown.text)
    assert token is not None, shown.text
    return await client.post(path, data={**fields, "form_token": token.group(1)})


def assert_desk_page(response: httpx.Response, lang: str) -> None:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-language"] == lang
    assert f'<html lang="{lang}">' in response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert "https://" not in response.text  # no third-party host: works on an intranet


def test_a_form_token_is_bound_to_its_form_and_to_two_hours() -> None:
    now = 1_800_000_000
    token = form_token("key", "/fi/desk/subscribe", now)
    assert form_token_valid("key", "/fi/desk/subscribe", token, now + 7000)
    assert not form_token_valid("key", "/fi/desk/subscribe", token, now + 7300)
    assert not form_token_valid("key", "/sv/desk/subscribe", token, now)
    assert not form_token_valid("other key", "/fi/desk/subscribe", token, now)
    assert not form_token_valid("key", "/fi/desk/subscribe", "x" + token, now)


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/fi/desk/subscribe", "fi", "Tilaa tiedotteet"),
        ("/sv/desk/privacy", "sv", "Dina uppgifter"),
        ("/en/desk/room/sign-in", "en", "Embargo reading room"),
    ],
)
async def test_desk_forms_are_private_pages_in_their_language(
    client: httpx.AsyncClient, path: str, lang: str, heading: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert_desk_page(response, lang)
    assert heading in response.text
    assert FORM_TOKEN.search(response.text)


async def test_a_subscribe_form_from_another_site_does_nothing(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    fields = {"email": "forged@x.example", "consent": "yes"}
    for token in ({}, {"form_token": f"{int(time.time())}.forged"}):
        response = await client.post("/fi/desk/subscribe", data={**fields, **token})
        assert response.status_code == 400
        assert_desk_page(response, "fi")
        assert "Lomake on vanhentunut" in response.text
    assert (
        await conn.fetchval("SELECT count(*) FROM contacts WHERE email = 'forged@x.example'") == 0
    )


async def test_subscribing_without_consent_or_address_says_what_to_fix(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    response = await post_form(client, "/sv/desk/subscribe", {"email": "not an address"})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert 'aria-invalid="true" aria-describedby="email-error"' in response.text
    assert "Kryssa i rutan för att godkänna" in response.text
    assert 'value="not an address"' in response.text
    assert await conn.fetchval("SELECT count(*) FROM subscriptions") == 0


async def test_subscribe_form_sends_the_confirmation_in_the_pages_language(
    client: httpx.AsyncClient, conn: asyncpg.Connection, settings: Settings, smtp: Inbox
) -> None:
    fields = {"email": "uusi@lehti.example", "consent": "yes", "language": ["en", "sv"],
              "source": "city-board"}  # fmt: skip
    answer = await post_form(client, "/sv/desk/subscribe", fields)
    assert answer.status_code == 200
    assert "Titta i din e-post" in answer.text
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to("uusi@lehti.example")
    assert mail["Content-Language"] == "sv"
    link = mailed_link(mail, settings, "confirm")
    assert link.startswith("/sv/desk/confirm/")
    pending = await conn.fetchval(
        "SELECT s.pending FROM subscriptions s JOIN contacts c ON c.id = s.contact_id "
        "WHERE c.email = 'uusi@lehti.example'"
    )
    assert pending["languages"] == ["sv", "en"]  # the page's language first, for the mail
    assert pending["consent_text_version"] == "desk-2026-12"
    assert pending["sources"] == ["city-board"]


@pytest.mark.parametrize(
    "path",
    [
        "/fi/desk/confirm/{token}",
        "/fi/desk/preferences/{token}",
        "/fi/desk/unsubscribe/{token}",
        "/fi/desk/privacy/{token}",
        "/fi/desk/room/sign-in/{token}",
    ],
)
@pytest.mark.parametrize("token", ["x", "a.b.c", "0" * 32 + ".AAAAAAAAAAAAAAAAAAAAAAAA"])
async def test_a_forged_link_is_an_html_page_that_offers_a_new_one(
    client: httpx.AsyncClient, path: str, token: str
) -> None:
    for method in ("GET", "POST"):
        response = await client.request(method, path.format(token=token))
        assert response.status_code == 404
        assert_desk_page(response, "fi")
        assert "Linkki ei kelpaa" in response.text
        assert 'href="/fi/desk/' in response.text


async def accredited(
    client: httpx.AsyncClient, staff: StaffFactory, email: str, **extra: object
) -> dict[str, object]:
    editor = await staff("editor")
    return await add_contact(client, editor, "Anna Toimittaja", email, embargo_access=True, **extra)


async def magic_link(
    client: httpx.AsyncClient, conn: asyncpg.Connection, settings: Settings, smtp: Inbox,
    email: str, lang: str = "en",
) -> str:  # fmt: skip
    asked = await post_form(client, f"/{lang}/desk/room/sign-in", {"email": email})
    assert asked.status_code == 200
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to(email)[-1:]
    return mailed_link(mail, settings, "room/sign-in")


async def test_a_magic_link_signs_in_once_with_a_private_cookie(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    await accredited(client, staff, "anna@hs.example")
    link = await magic_link(client, conn, settings, smtp, "anna@hs.example", "sv")
    assert link.startswith("/sv/desk/room/sign-in/")
    [mail] = smtp.to("anna@hs.example")
    assert mail["Subject"] == "Inloggning till embargoläsrummet"
    # Every e-mail links to the person's preferences, which state what press holds.
    assert mailed_link(mail, settings, "preferences").startswith("/sv/desk/preferences/")
    looked = await client.get(link)  # a link scanner: spends nothing
    assert looked.status_code == 200
    assert_desk_page(looked, "sv")
    signed_in = await client.post(link)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/sv/desk/room"
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # http:// here; Secure when PRESS_PUBLIC_URL is https
    room = await client.get("/sv/desk/room")
    assert room.status_code == 200
    assert_desk_page(room, "sv")
    assert "Inloggad som Anna Toimittaja" in room.text
    assert "script-src 'self'" in room.headers["content-security-policy"]
    client.cookies.clear()
    again = await client.post(link)
    assert again.status_code == 404
    assert "Länken har redan använts" in again.text
    assert "set-cookie" not in again.headers


async def test_a_magic_link_older_than_15_minutes_signs_no_one_in(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    await accredited(client, staff, "late@hs.example")
    link = await magic_link(client, conn, settings, smtp, "late@hs.example")
    await conn.execute(
        "UPDATE room_sign_ins SET requested_at = requested_at - interval '16 minutes'"
    )
    response = await client.post(link)
    assert response.status_code == 404
    assert "This link has already been used" in response.text
    assert 'href="/en/desk/room/sign-in"' in response.text


@pytest.mark.parametrize(
    "contact",
    [
        {"embargo_access": False},
        {"accredited_until": "2020-01-01"},
    ],
)
async def test_no_magic_link_for_who_may_not_enter_and_the_same_answer(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox, contact: dict[str, object],
) -> None:  # fmt: skip
    editor = await staff("editor")
    await add_contact(client, editor, "Ei Pääsyä", "no@x.example", **contact)
    known = await post_form(client, "/en/desk/room/sign-in", {"email": "no@x.example"})
    unknown = await post_form(client, "/en/desk/room/sign-in", {"email": "nobody@x.example"})
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text)
    await deliver(conn, settings, smtp.url)
    assert smtp.received == []


async def test_the_room_without_a_session_is_the_sign_in_page(client: httpx.AsyncClient) -> None:
    client.cookies.set("press_room", "made-up")
    for path in ("/fi/desk/room", "/fi/desk/room/releases/" + "0" * 32):
        response = await client.get(path)
        assert response.status_code == 401
        assert_desk_page(response, "fi")
        assert 'action="/fi/desk/room/sign-in"' in response.text
        assert "press_room=" in response.headers["set-cookie"]  # the stale cookie is dropped


async def test_an_erasure_needs_the_box_ticked_as_well_as_the_button(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    editor = await staff("editor")
    contact = await add_contact(client, editor, "Eero Esimerkki", "eero@media.example")
    fields = {"email": "eero@media.example", "kind": "erasure"}
    assert (await post_form(client, "/fi/desk/privacy", fields)).status_code == 200
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to("eero@media.example")
    assert mail["Content-Language"] == "fi"
    link = mailed_link(mail, settings, "privacy")
    assert link.startswith("/fi/desk/privacy/")
    unticked = await client.post(link)
    assert unticked.status_code == 422
    assert_desk_page(unticked, "fi")
    assert "Valitse ensin ruutu: mitään ei poistettu." in unticked.text
    status = "SELECT status FROM contacts WHERE id = $1"
    assert await conn.fetchval(status, contact["id"]) == "active"
    erased = await client.post(link, data={"confirm": "yes"})
    assert erased.status_code == 200
    assert "Tiedot poistettu" in erased.text
    assert await conn.fetchval(status, contact["id"]) == "erased"
    spent = await client.get(link)
    assert spent.status_code == 404
    assert "Linkkiä on jo käytetty" in spent.text


async def test_every_release_mail_links_to_the_preferences_page_in_its_language(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    editor, approver = await staff("editor"), await staff("approver")
    await subscriber(client, editor, "Sven Svensson", "sven@hbl.example", languages=["sv"])
    await published(client, editor, approver)
    await deliver(conn, settings, smtp.url)
    [mail] = smtp.to("sven@hbl.example")
    preferences = mailed_link(mail, settings, "preferences")
    assert preferences.startswith("/sv/desk/preferences/")
    assert mail["List-Unsubscribe"] == f"<{settings.public_url}/sv/desk/unsubscribe/" + (
        preferences.rsplit("/", 1)[1] + ">"
    )
    html = mail.get_body(("html",))
    assert html is not None
    assert 'name="viewport"' in str(html.get_content())
    page = await client.get(preferences)
    assert page.status_code == 200
    assert_desk_page(page, "sv")
    assert "sven@hbl.example" in page.text
    assert "Ändra din prenumeration" in str(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]


async def test_signing_out_ends_the_session_for_the_cookie_too(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    await accredited(client, staff, "ulos@hs.example")
    signed_in = await client.post(await magic_link(client, conn, settings, smtp, "ulos@hs.example"))
    assert signed_in.status_code == 303
    session = client.cookies["press_room"]
    room = await client.get("/en/desk/room")
    token = re.search(r'name="form_token" value="([^"]+)"', room.text)
    assert token is not None
    forged = await client.post("/en/desk/room/sign-out")  # from another site: no token
    assert forged.status_code == 400
    assert (await client.get("/en/desk/room")).status_code == 200
    out = await client.post("/en/desk/room/sign-out", data={"form_token": token.group(1)})
    assert out.status_code == 200
    assert "You have left the reading room." in out.text
    assert "Max-Age=0" in out.headers["set-cookie"]
    client.cookies.set("press_room", session)  # kept by a careless client: let in no more
    assert (await client.get("/en/desk/room")).status_code == 401


def test_the_room_cookie_is_secure_when_press_is_served_over_https() -> None:
    from press.web.reading_room import _session_cookie

    assert _session_cookie(Settings(public_url="https://press.example"), "x").secure
    assert not _session_cookie(Settings(public_url="http://127.0.0.1:8000"), "x").secure


async def test_a_name_on_the_preferences_page_is_text_not_markup(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    editor = await staff("editor")
    contact = await subscriber(client, editor, "<script>alert(1)</script>", "x@xss.example")
    path = links.preferences_url("", settings.secret_key, UUID(contact["id"]), "en")
    page = await client.get(path)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


async def test_the_room_shows_a_release_only_to_those_on_its_embargo_list(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection,
    settings: Settings, smtp: Inbox,
) -> None:  # fmt: skip
    editor, approver = await staff("editor"), await staff("approver")
    await accredited(client, staff, "left@out.example")
    chosen = await accredited(client, staff, "chosen@in.example")
    release = await approved(client, editor, approver)
    lift = await conn.fetchval("SELECT statement_timestamp() + interval '1 hour'")
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    listed = await client.put(
        f"/api/v1/manage/releases/{release['id']}/embargo-list",
        json={"contacts": [chosen["id"]]}, headers=editor,
    )  # fmt: skip
    assert listed.status_code == 200, listed.text
    title = release["translations"]["en"]["title"]
    await client.post(await magic_link(client, conn, settings, smtp, "left@out.example"))
    room = await client.get("/en/desk/room")
    assert room.status_code == 200
    assert title not in room.text
    not_listed = await client.get(f"/en/desk/room/releases/{release['id']}")
    unknown = await client.get("/en/desk/room/releases/00000000-0000-0000-0000-000000000000")
    assert not_listed.status_code == unknown.status_code == 404
    assert not_listed.text == unknown.text
    assert title not in not_listed.text
    client.cookies.clear()
    await client.post(await magic_link(client, conn, settings, smtp, "chosen@in.example"))
    assert title in (await client.get("/en/desk/room")).text
    read = await client.get(f"/en/desk/room/releases/{release['id']}")
    assert read.status_code == 200
    assert title in read.text
    reads = await conn.fetchval(
        "SELECT count(*) FROM embargo_reads WHERE release_id = $1 AND contact_id = $2",
        UUID(release["id"]), UUID(str(chosen["id"])),
    )  # fmt: skip
    assert reads == 2  # the list and the page, as the journalist API logs them
