"""A subscriber's own page, from the link in every e-mail: what press holds about them, and
their subscription to change, pause, resume or end (one source or topic at a time by
unticking it, or everything at once). The signed link is the key; no password."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import FromPath

from press.contacts import own_subscription as own
from press.contacts import subscriptions
from press.db import Conn
from press.errors import Conflict, NotFound
from press.settings import Settings
from press.web import i18n
from press.web.desk import (
    LANGUAGE_CHOICES,
    choices,
    desk_page,
    each_language,
    message_page,
    page_lang,
    used_link_page,
)
from press.web.forms import Form

PREFERENCES = each_language("/desk/preferences/{token:str}")
UNSUBSCRIBE = each_language("/desk/unsubscribe/{token:str}")
NEW_SUBSCRIPTION = i18n.gettext_noop("Subscribe again")
# What a change from the page says once done, by the button pressed.
DONE = {
    "save": i18n.gettext_noop("Your choices are saved."),
    "pause": i18n.gettext_noop("Your subscription is paused: nothing is sent until you resume."),
    "resume": i18n.gettext_noop("Your subscription is on again."),
}


def _subscribe_again(lang: str) -> tuple[str, str]:
    return (f"/{lang}/desk/subscribe", NEW_SUBSCRIPTION)


async def _preferences(
    request: Request[Any, Any, Any], conn: Conn, lang: str, token: str, *, done: str = ""
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    try:
        contact_id = own.read_preferences_token(settings.secret_key, token)
        record = await own.own_record(conn, contact_id)
    except NotFound:
        return used_link_page(request, lang, "invalid", _subscribe_again(lang))
    subscription = record.subscription
    chosen = set()
    if subscription is not None:
        chosen = {*subscription.sources, *subscription.topics, *subscription.languages}
    with i18n.speaking(lang):
        done_text = i18n.gettext(DONE[done]) if done else ""
    return desk_page(
        request, "desk_preferences.html", lang, section=f"/desk/preferences/{token}",
        record=record, subscription=subscription, chosen=chosen, done=done_text,
        language_names=LANGUAGE_CHOICES, zone=settings.zone, **await choices(conn, lang),
        unsubscribe_href=f"/{lang}/desk/unsubscribe/{token}",
        privacy_href=f"/{lang}/desk/privacy", local_datetime=i18n.local_datetime,
    )  # fmt: skip


@get(PREFERENCES, include_in_schema=False)
async def preferences_page(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    return await _preferences(request, conn, page_lang(request), token)


@post(PREFERENCES, include_in_schema=False, status_code=200)
async def change_preferences(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """Save the choices, pause or resume: the button pressed says which."""
    lang = page_lang(request)
    settings: Settings = request.app.state.settings
    form = await Form.read(request)
    action = form.one("action")
    try:
        contact_id: UUID = own.read_preferences_token(settings.secret_key, token)
        if action == "pause":
            await own.pause_own_subscription(conn, contact_id)
        elif action == "resume":
            await own.resume_own_subscription(conn, contact_id)
        else:
            action = "save"
            await own.change_own_subscription(
                conn, contact_id, form.every("source"), form.every("topic"),
                form.every("language"),
            )  # fmt: skip
    except NotFound:
        return used_link_page(request, lang, "invalid", _subscribe_again(lang))
    except Conflict:
        return used_link_page(request, lang, "used", _subscribe_again(lang))
    return await _preferences(request, conn, lang, token, done=action)


@get(UNSUBSCRIBE, include_in_schema=False)
async def unsubscribe_page(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """A button, so link scanners unsubscribe no one; the preferences are a link away."""
    lang = page_lang(request)
    try:
        own.read_preferences_token(request.app.state.settings.secret_key, token)
    except NotFound:
        return used_link_page(request, lang, "invalid", _subscribe_again(lang))
    with i18n.speaking(lang):
        heading = i18n.gettext("Unsubscribe")
        text = i18n.gettext(
            "Press the button to stop all e-mail from us. To receive fewer releases "
            "instead, change your preferences."
        )
        button = i18n.gettext("Unsubscribe from everything")
        offer = (f"/{lang}/desk/preferences/{token}", i18n.gettext("Your preferences"))
    return message_page(request, lang, heading, text, button=button, offer=offer)


@post(UNSUBSCRIBE, include_in_schema=False, status_code=200)
async def unsubscribe(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """The button, the preferences page's "everything", or RFC 8058 one-click from a mail
    client (which POSTs `List-Unsubscribe=One-Click` here)."""
    lang = page_lang(request)
    try:
        await subscriptions.unsubscribe(conn, token, request.app.state.settings.secret_key)
    except NotFound:
        return used_link_page(request, lang, "invalid", _subscribe_again(lang))
    with i18n.speaking(lang):
        heading = i18n.gettext("Unsubscribed")
        text = i18n.gettext("You will receive no more e-mail from us.")
        offer = (f"/{lang}/desk/subscribe", i18n.gettext("Subscribe again"))
    return message_page(request, lang, heading, text, offer=offer)
