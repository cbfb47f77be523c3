"""The embargo reading room: accredited journalists sign in by a magic link e-mailed to them
(one use, 15 minutes) and read what is under embargo for them, with the time each lifts.

Who may be in the room is asked of the database at every request, by `room_journalist`
alone: the session (an HttpOnly, SameSite=Lax cookie holding a random token whose hash is
kept) and the person's state now — active, with embargo access, not suspended, accredited
today. Suspending someone ends their session at their next request. What each journalist
sees is the embargo domain's own query, as the journalist API reads it, and every read is
logged the same way. Every room page is `Cache-Control: private, no-store`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from babel.dates import format_timedelta
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath
from markupsafe import Markup

from press.contacts import links
from press.db import Conn, load_queries
from press.delivery.message import utc_offset
from press.embargo import repository as embargo
from press.releases.public import FALLBACK_ORDER
from press.settings import Settings
from press.web import i18n
from press.web.desk import (
    desk_page,
    each_language,
    message_page,
    page_lang,
    stale_form_page,
    used_link_page,
)
from press.web.forms import Form, form_token
from press.web.layout import page_headers

Q = load_queries(str(Path(__file__).with_name("room.sql")))
COOKIE = "press_room"
SESSION_HOURS = 12
SIGN_IN = each_language("/desk/room/sign-in")
NEW_LINK = i18n.gettext_noop("Ask for a new sign-in link")


class RoomJournalist(msgspec.Struct, frozen=True):
    id: UUID
    name: str
    email: str


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def room_journalist(
    conn: asyncpg.Connection, request: Request[Any, Any, Any]
) -> RoomJournalist | None:
    """The journalist whose session this request carries, if they may be in the room now."""
    token = request.cookies.get(COOKIE)
    row = await conn.fetchrow(Q["room_journalist"], _digest(token)) if token else None
    return RoomJournalist(**dict(row)) if row else None


def _room_headers(settings: Settings) -> dict[str, str]:
    """The layout's policy, and the countdown's small script from press itself (a file:
    nothing inline runs)."""
    policy = page_headers(settings)["Content-Security-Policy"]
    scripts = "default-src 'none'; script-src 'self';"
    return {"Content-Security-Policy": policy.replace("default-src 'none';", scripts)}


def _session_cookie(settings: Settings, value: str, *, ended: bool = False) -> Cookie:
    return Cookie(
        key=COOKIE,
        value=value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.public_url.startswith("https://"),
        max_age=0 if ended else None,
    )


def _sign_in_form(
    request: Request[Any, Any, Any], lang: str, *, status: int = 200, notice: str = ""
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    cookies = [_session_cookie(settings, "", ended=True)] if COOKIE in request.cookies else []
    response = desk_page(
        request, "room_sign_in.html", lang, status=status, section="/desk/room/sign-in",
        form_token=form_token(settings.secret_key, f"/{lang}/desk/room/sign-in"), notice=notice,
    )  # fmt: skip
    for cookie in cookies:
        response.set_cookie(cookie)
    return response


@get(SIGN_IN, include_in_schema=False)
async def sign_in_page(request: Request[Any, Any, Any]) -> Response[bytes]:
    return _sign_in_form(request, page_lang(request))


async def request_room_link(conn: asyncpg.Connection, email: str, lang: str) -> None:
    """Queue a magic link for the accredited journalist with this address, if there is
    one and no unused link went out in the last minute; otherwise do nothing."""
    contact_id = await conn.fetchval(Q["room_contact_by_email"], email)
    if contact_id is None or await conn.fetchval(Q["recent_sign_in"], contact_id):
        return
    nonce = uuid.uuid4()
    await conn.execute(Q["insert_sign_in"], nonce, contact_id, lang)
    await conn.execute(Q["queue_sign_in_mail"], nonce, contact_id, lang)


@post(SIGN_IN, include_in_schema=False, status_code=200)
async def ask_sign_in_link(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    """The same answer for every address: the form tells no one who is accredited."""
    lang = page_lang(request)
    form = await Form.read(request)
    if not form.signed(request):
        return stale_form_page(request, lang)
    email = form.one("email")
    if "@" in email and len(email) <= 320:
        await request_room_link(conn, email, lang)
    with i18n.speaking(lang):
        heading = i18n.gettext("Check your e-mail")
        text = i18n.gettext(
            "If the address belongs to an accredited journalist, a sign-in link is on its "
            "way. It works once, for 15 minutes."
        )
    return message_page(request, lang, heading, text, section="/desk/room/sign-in")


MAGIC_LINK = each_language("/desk/room/sign-in/{token:str}")


async def _sign_in_state(
    conn: asyncpg.Connection, token: str, secret_key: str
) -> tuple[str, tuple[UUID, UUID] | None]:
    found = links.read_sign_in_token(secret_key, token)
    state = await conn.fetchval(Q["sign_in_state"], *found) if found else None
    return state or "invalid", found


def _link_problem(request: Request[Any, Any, Any], lang: str, state: str) -> Response[bytes]:
    return used_link_page(
        request, lang, "invalid" if state == "invalid" else "used",
        (f"/{lang}/desk/room/sign-in", NEW_LINK),
    )  # fmt: skip


@get(MAGIC_LINK, include_in_schema=False)
async def magic_link_page(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """A button: a link scanner in a mail filter must not spend the link."""
    lang = page_lang(request)
    state, _ = await _sign_in_state(conn, token, request.app.state.settings.secret_key)
    if state != "open":
        return _link_problem(request, lang, state)
    with i18n.speaking(lang):
        heading = i18n.gettext("Sign in to the reading room")
        text = i18n.gettext("Press the button to enter the embargo reading room.")
        button = i18n.gettext("Sign in")
    return message_page(request, lang, heading, text, section="/desk/room/sign-in", button=button)


@post(MAGIC_LINK, include_in_schema=False, status_code=303)
async def sign_in(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """Spend the link and start a session; the room is the next page."""
    lang = page_lang(request)
    settings: Settings = request.app.state.settings
    state, found = await _sign_in_state(conn, token, settings.secret_key)
    if state != "open" or found is None:
        return _link_problem(request, lang, state)
    contact_id, nonce = found
    await conn.fetchval(Q["use_sign_in"], contact_id, nonce)
    session = secrets.token_urlsafe(32)
    await conn.execute(Q["start_session"], _digest(session), contact_id, nonce, SESSION_HOURS)
    return Response(
        b"",
        status_code=303,
        headers={"Location": f"/{lang}/desk/room", "Cache-Control": "private, no-store"},
        cookies=[_session_cookie(settings, session)],
    )


def _text_in(translations: dict[str, Any], lang: str) -> tuple[str, dict[str, Any]]:
    """The release's text in the reader's language, else the next one press falls back to."""
    for code in (lang, *FALLBACK_ORDER):
        if code in translations:
            return code, translations[code]
    code = next(iter(translations))
    return code, translations[code]


def _lift(publish_at: datetime, now: datetime, lang: str, settings: Settings) -> dict[str, Any]:
    """When an embargo lifts: in the city's time with its zone and UTC offset, and how long
    until then by the database's clock."""
    local = publish_at.astimezone(settings.zone)
    when = i18n.local_datetime(publish_at, lang, settings.zone)
    return {
        "at": publish_at,
        "when": f"{when} ({settings.timezone}, {utc_offset(local)})",
        "countdown": format_timedelta(
            publish_at - now, threshold=1.5, add_direction=True, locale=i18n.BABEL_LOCALES[lang]
        ),
    }


def _ended(request: Request[Any, Any, Any], lang: str) -> Response[bytes]:
    with i18n.speaking(lang):
        notice = i18n.gettext("Sign in to read embargoed releases. A session ends when the "
                              "accreditation is suspended or has expired.")  # fmt: skip
    return _sign_in_form(request, lang, status=401, notice=notice)


ROOM = each_language("/desk/room")


@get(ROOM, include_in_schema=False)
async def room_page(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    """What is under embargo for this journalist, soonest lift first."""
    lang = page_lang(request)
    journalist = await room_journalist(conn, request)
    if journalist is None:
        return _ended(request, lang)
    settings: Settings = request.app.state.settings
    rows = await embargo.list_embargoed_releases(conn, journalist.id)
    await embargo.record_embargo_reads(conn, journalist.id, None, [r["id"] for r in rows])
    now: datetime = await conn.fetchval(Q["database_now"])
    items = []
    for row in rows:
        text_lang, text = _text_in(row["translations"], lang)
        lift = _lift(row["publish_at"], now, lang, settings)
        items.append({"id": row["id"], "lang": text_lang, "title": text["title"],
                      "lead": text["lead"], "lift": lift})  # fmt: skip
    return desk_page(
        request, "room.html", lang, section="/desk/room", journalist=journalist,
        items=items, headers=_room_headers(settings),
        sign_out_token=form_token(settings.secret_key, f"/{lang}/desk/room/sign-out"),
    )  # fmt: skip


@get(each_language("/desk/room/releases/{release_id:str}"), include_in_schema=False)
async def room_release_page(
    request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[str]
) -> Response[bytes]:
    """One release under embargo; anything this journalist may not read is the same 404."""
    lang = page_lang(request)
    journalist = await room_journalist(conn, request)
    if journalist is None:
        return _ended(request, lang)
    settings: Settings = request.app.state.settings
    try:
        row = await embargo.fetch_embargoed_release(conn, UUID(release_id), journalist.id)
    except ValueError:
        row = None
    if row is None:
        with i18n.speaking(lang):
            heading = i18n.gettext("Not in the reading room")
            text = i18n.gettext("This release is not under embargo for you: it may have been "
                                "published already, or it is not on your list.")  # fmt: skip
            offer = (f"/{lang}/desk/room", i18n.gettext("Back to the reading room"))
        return message_page(request, lang, heading, text, status=404, section="/desk/room",
                            offer=offer)  # fmt: skip
    await embargo.record_embargo_reads(conn, journalist.id, None, [row["id"]])
    now: datetime = await conn.fetchval(Q["database_now"])
    text_lang, shown = _text_in(row["translations"], lang)
    return desk_page(
        request, "room_release.html", lang, section="/desk/room", journalist=journalist,
        text_lang=text_lang, title=shown["title"], lead=shown["lead"],
        body_html=Markup(shown["body_html"]),  # noqa: S704 - sanitised by the release renderer
        terms=row["embargo_terms"], lift=_lift(row["publish_at"], now, lang, settings),
        headers=_room_headers(settings),
        sign_out_token=form_token(settings.secret_key, f"/{lang}/desk/room/sign-out"),
    )  # fmt: skip


@post(each_language("/desk/room/sign-out"), include_in_schema=False, status_code=200)
async def sign_out(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    lang = page_lang(request)
    form = await Form.read(request)
    if not form.signed(request):
        return stale_form_page(request, lang)
    token = request.cookies.get(COOKIE)
    if token:
        await conn.execute(Q["end_session"], _digest(token))
    with i18n.speaking(lang):
        heading = i18n.gettext("Signed out")
        text = i18n.gettext("You have left the reading room.")
        offer = (f"/{lang}/desk/room/sign-in", i18n.gettext("Sign in again"))
    response = message_page(request, lang, heading, text, section="/desk/room", offer=offer)
    response.set_cookie(_session_cookie(request.app.state.settings, "", ended=True))
    return response
