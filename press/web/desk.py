"""The journalist's desk: subscribing, confirming, one's own preferences and unsubscribing,
as pages in the reader's language that work without JavaScript.

Pages reached from an e-mail speak the e-mail's language (its links carry it) and answer a
used, expired or forged link with a page that says so and offers a new one, never JSON.
Every desk page is private to its reader: `Cache-Control: private, no-store`, and no
Referer, since a signed link's secret is in its address. The actions are the contacts
domain's own functions; this module only reads forms and shows pages.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromPath

from press.contacts import links, subscriptions
from press.contacts import own_subscription as own
from press.contacts.limits import client_address
from press.contacts.schemas import PublicSubscribe
from press.db import Conn
from press.errors import TooManyRequests
from press.releases import repository as releases
from press.web import i18n
from press.web.forms import Form, form_token
from press.web.layout import page_headers, render

# The consent a subscriber gives, shown with its version; a new wording gets a new version
# (the consent record keeps the version the person saw).
CONSENT_VERSION = "desk-2026-12"
CONSENT_TEXT = i18n.gettext_noop(
    "I agree that the city's communications keep my e-mail address, name and choices to send "
    "me press releases. I can change my choices, pause or unsubscribe from the link in every "
    "e-mail, and ask for my data or its erasure at any time."
)


def each_language(path: str) -> list[str]:
    """A desk page's addresses, one under each language (`/fi/desk/…`)."""
    return [f"/{lang}{path}" for lang in i18n.LANGS]


def page_lang(request: Request[Any, Any, Any]) -> str:
    """The page language: the first segment of the address it was routed by."""
    lang: str = request.scope["path"][1:3]
    return lang


def desk_page(
    request: Request[Any, Any, Any],
    template: str,
    lang: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response[bytes]:
    """A desk page on the layout: never kept by any cache, never named in a Referer."""
    body = render(request, template, lang, **context)
    return Response(
        body,
        status_code=status,
        media_type="text/html",
        headers={
            **page_headers(request.app.state.settings),
            "Cache-Control": "private, no-store",
            "Content-Language": lang,
            "Referrer-Policy": "no-referrer",
            **(headers or {}),
        },
    )


def message_page(
    request: Request[Any, Any, Any],
    lang: str,
    heading: str,
    text: str,
    *,
    status: int = 200,
    section: str = "/desk/subscribe",
    offer: tuple[str, str] | None = None,
    button: str | None = None,
    confirm: str | None = None,
) -> Response[bytes]:
    """A short page: what happened, and what one can do next (`offer`: href, label), or a
    button that POSTs to this address (with a box to tick first: `confirm`)."""
    return desk_page(
        request, "desk_message.html", lang, status=status, section=section,
        heading=heading, text=text, offer=offer, button=button, confirm=confirm,
    )  # fmt: skip


def used_link_page(
    request: Request[Any, Any, Any], lang: str, state: str, offer: tuple[str, str]
) -> Response[bytes]:
    """A link that cannot act any more (`used`: followed already, replaced or expired) or
    never could (`invalid`), with the way to a new one."""
    with i18n.speaking(lang):
        if state == "used":
            heading = i18n.gettext("This link has already been used")
            text = i18n.gettext(
                "The link has been used already, a newer one has replaced it, or it has "
                "expired. You can ask for a new link."
            )
        else:
            heading = i18n.gettext("This link is not valid")
            text = i18n.gettext(
                "The link is incomplete or not one we sent. Copy the whole link from the "
                "e-mail, or ask for a new one."
            )
        offer = (offer[0], i18n.gettext(offer[1]))
    return message_page(request, lang, heading, text, status=404, offer=offer)


def too_many_page(request: Request[Any, Any, Any], lang: str) -> Response[bytes]:
    with i18n.speaking(lang):
        heading = i18n.gettext("Too many requests")
        text = i18n.gettext("Please wait a moment and try again.")
    return message_page(request, lang, heading, text, status=429)


def stale_form_page(request: Request[Any, Any, Any], lang: str) -> Response[bytes]:
    """A form older than two hours, or not shown by press: nothing was done."""
    with i18n.speaking(lang):
        heading = i18n.gettext("The form has expired")
        text = i18n.gettext("Nothing was sent. Please fill in the form again.")
        offer = (request.scope["path"], i18n.gettext("Back to the form"))
    return message_page(request, lang, heading, text, status=400, offer=offer)


async def choices(conn: asyncpg.Connection, lang: str) -> dict[str, Any]:
    """The sources and topics one may choose, named in `lang`."""
    sources, topics, _ = await releases.public_lookups(conn)
    return {
        "sources": [(slug, row[f"name_{lang}"]) for slug, row in sources.items()],
        "topics": sorted(
            ((slug, row[f"name_{lang}"]) for slug, row in topics.items()), key=lambda t: t[1]
        ),
    }


# Subscribing ------------------------------------------------------------------------------

SUBSCRIBE = each_language("/desk/subscribe")
# The messages a subscribe form answers with, by field.
_FIELD_ERRORS = (
    i18n.gettext_noop("Enter an e-mail address, like name@example.fi."),
    i18n.gettext_noop("Tick the box to agree, or we cannot send you releases."),
)


async def _subscribe_form(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    lang: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: Form | None = None,
) -> Response[bytes]:
    path = f"/{lang}/desk/subscribe"
    with i18n.speaking(lang):
        shown_errors = {k: i18n.gettext(v) for k, v in (errors or {}).items()}
    return desk_page(
        request, "desk_subscribe.html", lang, status=status, section="/desk/subscribe",
        form_token=form_token(request.app.state.settings.secret_key, path),
        consent_text=CONSENT_TEXT, consent_version=CONSENT_VERSION, errors=shown_errors,
        email=form.one("email") if form else "", name=form.one("name") if form else "",
        chosen=set(form.every("source") + form.every("topic") + form.every("language"))
        if form else {lang}, language_names=LANGUAGE_CHOICES, **await choices(conn, lang),
    )  # fmt: skip


LANGUAGE_CHOICES = {"fi": "suomi", "sv": "svenska", "en": "English"}


@get(SUBSCRIBE, include_in_schema=False)
async def subscribe_page(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    return await _subscribe_form(request, conn, page_lang(request))


@post(SUBSCRIBE, include_in_schema=False, status_code=200)
async def subscribe(request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
    """Ask for releases by e-mail: the same answer whoever the address belongs to."""
    lang = page_lang(request)
    form = await Form.read(request)
    if not form.signed(request):
        return stale_form_page(request, lang)
    errors = {}
    if form.one("consent") != "yes":
        errors["consent"] = _FIELD_ERRORS[1]
    languages = sorted(set(form.every("language")) & set(i18n.LANGS), key=lambda c: c != lang)
    try:
        data = msgspec.convert(
            {"email": form.one("email"), "name": form.one("name")[:200],
             "sources": form.every("source"), "topics": form.every("topic"),
             "languages": languages or [lang], "consent_text_version": CONSENT_VERSION},
            PublicSubscribe,
        )  # fmt: skip
    except msgspec.ValidationError:
        errors["email"] = _FIELD_ERRORS[0]
    if errors:
        return await _subscribe_form(request, conn, lang, status=422, errors=errors, form=form)
    try:
        await subscriptions.request_subscription(
            conn, data, request.app.state.settings.secret_key, client_address(request)
        )
    except TooManyRequests:
        return too_many_page(request, lang)
    with i18n.speaking(lang):
        heading = i18n.gettext("Check your e-mail")
        text = i18n.gettext(
            "If the address can be subscribed, a message with a confirmation link is on its "
            "way. Nothing is sent to you before you follow it."
        )
    return message_page(request, lang, heading, text)


CONFIRM = each_language("/desk/confirm/{token:str}")
NEW_SUBSCRIPTION = i18n.gettext_noop("Subscribe again")


@get(CONFIRM, include_in_schema=False)
async def confirm_page(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    """The page of the link in a confirmation e-mail: a button, so link scanners in mail
    filters confirm nothing."""
    lang = page_lang(request)
    secret_key = request.app.state.settings.secret_key
    state = await own.confirmation_state(conn, token, secret_key)
    if state != "open":
        return used_link_page(request, lang, state, (f"/{lang}/desk/subscribe", NEW_SUBSCRIPTION))
    with i18n.speaking(lang):
        heading = i18n.gettext("Confirm your subscription")
        text = i18n.gettext("Press the button to start receiving press releases by e-mail.")
        button = i18n.gettext("Confirm")
    return message_page(request, lang, heading, text, button=button)


@post(CONFIRM, include_in_schema=False, status_code=200)
async def confirm_subscription(
    request: Request[Any, Any, Any], conn: Conn, token: FromPath[str]
) -> Response[bytes]:
    lang = page_lang(request)
    secret_key = request.app.state.settings.secret_key
    state = await own.confirmation_state(conn, token, secret_key)
    if state != "open":
        return used_link_page(request, lang, state, (f"/{lang}/desk/subscribe", NEW_SUBSCRIPTION))
    await subscriptions.confirm(conn, token, secret_key)
    found = links.read_confirm_token(secret_key, token)
    assert found is not None, "confirmation_state read it"
    preferences = f"/{lang}/desk/preferences/{links.unsubscribe_token(secret_key, found[0])}"
    with i18n.speaking(lang):
        heading = i18n.gettext("Subscription confirmed")
        text = i18n.gettext(
            "You will receive press releases by e-mail. Every message has a link to your "
            "preferences, where you can change or pause the subscription."
        )
        offer = (preferences, i18n.gettext("Your preferences"))
    return message_page(request, lang, heading, text, offer=offer)
