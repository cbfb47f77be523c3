"""The console's pages: who is signed in, in which language, and the headers every console
page is sent with (private, never stored, never framed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import Cookie

from press.settings import Settings
from press.staff.schemas import Role, StaffUser
from press.web import i18n
from press.web.console.sessions import LANG_COOKIE
from press.web.layout import LANGUAGE_NAMES, Link

CONSOLE = i18n.CONSOLE_DOMAIN
HEADERS = {
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": (
        # connect-src: the upload script posts the media form to the console itself.
        "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Vary": "Cookie, Accept-Language",
}
ROLE_NAMES = {
    "viewer": i18n.gettext_noop("Viewer"),
    "editor": i18n.gettext_noop("Editor"),
    "approver": i18n.gettext_noop("Approver"),
    "admin": i18n.gettext_noop("Administrator"),
}


@dataclass(frozen=True)
class Session:
    """A signed-in console user: who, their session's form token, and their language."""

    user: StaffUser
    session_id: str
    form_token: str


def may_write(user: StaffUser) -> bool:
    """Whether to offer writing and editing at all. Only a hint for the page: the domain's
    actions check the role again and refuse (see press.releases.actions)."""
    return user.rank >= Role.editor


def console_language(request: Request[Any, Any, Any]) -> str:
    """The language the user chose in the console (a cookie), else their browser's."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGS:
        return str(chosen)
    return i18n.reader_language(request.headers.get("accept-language"))


def when(moment: datetime | None, lang: str, settings: Settings) -> str:
    """A moment on the city's clocks, as the user's language writes it."""
    return i18n.local_datetime(moment, lang, settings.zone) if moment else ""


def render_console(
    request: Request[Any, Any, Any],
    template: str,
    lang: str,
    session: Session | None,
    *,
    status: int = 200,
    cookies: list[Cookie] | None = None,
    **context: Any,
) -> Response[bytes]:
    """The console page `template` in `lang`, with the console's headers."""
    here = request.scope["path"] + (
        "?" + request.scope["query_string"].decode() if request.scope["query_string"] else ""
    )
    with i18n.speaking(lang, CONSOLE):
        languages = [
            Link(
                "/console/language/" + code + "?" + urlencode({"next": here}),
                LANGUAGE_NAMES[code],
                lang=code,
                current=code == lang,
            )
            for code in i18n.LANGS
        ]
        engine = request.app.template_engine
        assert engine is not None, "create_app configures the template engine"
        text: str = engine.get_template(f"console/{template}").render(
            lang=lang,
            languages=languages,
            session=session,
            role_name=i18n.gettext(ROLE_NAMES[session.user.role]) if session else "",
            may_write=may_write(session.user) if session else False,
            **context,
        )
    return Response(
        text.encode(),
        status_code=status,
        media_type="text/html",
        headers={**HEADERS, "Content-Language": lang},
        cookies=cookies or [],
    )


def redirect(location: str, cookies: list[Cookie] | None = None) -> Response[bytes]:
    """See `location` (after a form: the browser GETs it, and a reload posts nothing)."""
    return Response(
        b"",
        status_code=303,
        media_type="text/plain",
        headers={"Location": location, "Cache-Control": "private, no-store"},
        cookies=cookies or [],
    )
