"""Privacy self-service as pages: ask for one's data or its erasure (a link is e-mailed, in
the language of the page), then follow the link to download everything held, or to confirm
the erasure by ticking a box and pressing a button."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromPath

from press.contacts.limits import client_address
from press.contacts.own_privacy import act_on_privacy_request, open_request, privacy_link_state
from press.contacts.schemas import PrivacyRequestIn
from press.contacts.self_service import request_privacy
from press.db import Conn
from press.errors import NotFound, TooManyRequests
from press.web import i18n
from press.web.desk import (
    desk_page,
    each_language,
    message_page,
    page_lang,
    stale_form_page,
    too_many_page,
    used_link_page,
)
from press.web.forms import Form, form_token

PRIVACY = each_language("/desk/privacy")
PRIVACY_LINK = each_language("/desk/privacy/{token:str}")
NEW_REQUEST = i18n.gettext_noop("Ask for a new link")
EMAIL_ERROR = i18n.gettext_noop("Enter an e-mail address, like name@example.fi.")


def _request_form(
    request: Request[Any, Any, Any], lang: str, *, status: int = 200, error: str = "",
    email: str = "", kind: str = "access",
) -> Response[bytes]:  # fmt: skip
    secret_key = request.app.state.settings.secret_key
    return desk_page(
        request, "desk_privacy.html", lang, status=status, section="/desk/privacy",
        form_token=form_token(secret_key, f"/{lang}/desk/privacy"), error=error,
        email=email, kind=kind,
    )  # fmt: skip


@get(PRIVACY, include_in_schema=False)
async def privacy_page(request: Request[Any, Any, Any]) -> Response[bytes]:
    return _request_form(request, page_lang(request))


@post(PRIVACY, include_in_schema=False, status_code=200)
async def ask_privacy(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    """The same answer whether the address is registered or not."""
    lang = page_lang(request)
    form = await Form.read(request)
    if not form.signed(request):
        return stale_form_page(request, lang)
    kind = "erasure" if form.one("kind") == "erasure" else "access"
    try:
        data = msgspec.convert(
            {"email": form.one("email"), "kind": kind, "lang": lang}, PrivacyRequestIn
        )
    except msgspec.ValidationError:
        with i18n.speaking(lang):
            error = i18n.gettext(EMAIL_ERROR)
        return _request_form(
            request, lang, status=422, error=error, email=form.one("email"), kind=kind
        )
    try:
        await request_privacy(
            conn, data, request.app.state.settings.secret_key, client_address(request)
        )
    except TooManyRequests:
        return too_many_page(request, lang)
    with i18n.speaking(lang):
        heading = i18n.gettext("Check your e-mail")
        text = i18n.gettext(
            "If the address is in our registry, a message with a link to complete the "
            "request is on its way. The link works once, for 24 hours."
        )
    return message_page(request, lang, heading, text, section="/desk/privacy")


def _link_page(
    request: Request[Any, Any, Any], lang: str, kind: str, *, unconfirmed: bool = False
) -> Response[bytes]:
    with i18n.speaking(lang):
        if kind == "access":
            heading = i18n.gettext("Your data")
            text = i18n.gettext(
                "Download everything we hold about you as a file (JSON): your contact "
                "details, subscription, consents and the log of e-mails sent to you."
            )
            button, confirm = i18n.gettext("Download my data"), None
        else:
            heading = i18n.gettext("Erase your data")
            text = i18n.gettext(
                "Erase everything we hold about you. You will receive no more releases, and "
                "the address cannot be added to our registry again. This cannot be undone."
            )
            if unconfirmed:
                text = i18n.gettext("Tick the box first: nothing was erased.") + " " + text
            button = i18n.gettext("Erase my data")
            confirm = i18n.gettext("I understand that my data will be erased for good.")
    return message_page(
        request, lang, heading, text, section="/desk/privacy", button=button, confirm=confirm,
        status=422 if unconfirmed else 200,
    )  # fmt: skip


@get(PRIVACY_LINK, include_in_schema=False)
async def privacy_link_page(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """Looking changes nothing: the download, or the erasure, is the button's POST."""
    lang = page_lang(request)
    secret_key = request.app.state.settings.secret_key
    try:
        row = await open_request(conn, token, secret_key)
    except NotFound:
        state = privacy_link_state(token, secret_key)
        return used_link_page(request, lang, state, (f"/{lang}/desk/privacy", NEW_REQUEST))
    return _link_page(request, lang, row["kind"])


@post(PRIVACY_LINK, include_in_schema=False, status_code=200)
async def act_on_privacy_link(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[Any]:
    lang = page_lang(request)
    secret_key = request.app.state.settings.secret_key
    confirmed = (await Form.read(request)).one("confirm") == "yes"
    try:
        if not confirmed and (await open_request(conn, token, secret_key))["kind"] == "erasure":
            # The confirmation step: an erasure needs the box ticked as well as the button.
            return _link_page(request, lang, "erasure", unconfirmed=True)
        done = await act_on_privacy_request(conn, token, secret_key)
    except NotFound:
        state = privacy_link_state(token, secret_key)
        return used_link_page(request, lang, state, (f"/{lang}/desk/privacy", NEW_REQUEST))
    if done.data is not None:
        return Response(
            msgspec.json.encode(done.data),
            media_type="application/json",
            headers={
                "Cache-Control": "no-store",
                "Content-Disposition": 'attachment; filename="my-data.json"',
                "Referrer-Policy": "no-referrer",
            },
        )
    with i18n.speaking(lang):
        heading = i18n.gettext("Data erased")
        text = i18n.gettext("Everything we held about you has been erased.")
    return message_page(request, lang, heading, text, section="/desk/privacy")
