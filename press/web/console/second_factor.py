"""The console's second factor: setting up TOTP (a QR code drawn here, the secret as text,
a first code to confirm; recovery codes shown once) and the code asked after the password.

The rules are press.staff's: `second_factor` keeps the secrets and checks codes (each used
once), `auth.check_second_factor` counts a wrong code in the passwords' throttle.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import asyncpg
import segno
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from markupsafe import Markup

from press.db import Conn
from press.errors import PressError, TooManyRequests
from press.settings import Settings
from press.staff import second_factor
from press.staff.auth import check_second_factor
from press.web import i18n
from press.web.console.access import (
    SIGN_IN,
    NextPage,
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.layout import CONSOLE, console_language, redirect, render_console
from press.web.console.refusals import refusal_text
from press.web.console.sessions import (
    PENDING_COOKIE,
    SESSION_COOKIE,
    check_form_token,
    cookie,
    create_session,
    csrf_token,
    end_session,
    pending_user,
    safe_next,
)


def qr_code(uri: str, label: str) -> Markup:
    """The otpauth address as an inline SVG QR code: drawn here, no image from elsewhere."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, svgclass="qr")
    # segno's own markup of the address; the label is escaped by format().
    drawn = Markup(svg)  # noqa: S704
    return Markup('<div class="qr" role="img" aria-label="{}">{}</div>').format(label, drawn)


def grouped(secret: str) -> str:
    """The secret as it is easiest to type: groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


async def set_up_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    session = await signed_in(request, conn, setting_up=True)
    lang = console_language(request)
    settings: Settings = request.app.state.settings
    on = await second_factor.has_second_factor(conn, session.user.id)
    page: dict[str, Any] = {"on": on, "required": settings.console_totp_required}
    if not on and "recovery_codes" not in context:
        secret = await second_factor.begin_setup(conn, session.user.id)
        with i18n.speaking(lang, CONSOLE):
            label = i18n.gettext("QR code of your second factor's secret")
        uri = second_factor.provisioning_uri(secret, session.user.email)
        page.update(qr=qr_code(uri, label), secret=grouped(secret))
    return render_console(
        request, "second_factor.html", lang, session, status=status, **page, **context
    )


class ConsoleSecondFactorController(Controller):
    path = "/console"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/second-factor")
    async def show_second_factor(
        self, request: Request[Any, Any, Any], conn: Conn
    ) -> Response[bytes]:
        return await set_up_page(request, conn)

    @post("/second-factor")
    async def confirm_second_factor(
        self, request: Request[Any, Any, Any], conn: Conn
    ) -> Response[bytes]:
        """A first code of the new secret turns the second factor on."""
        session = await signed_in(request, conn, setting_up=True)
        form = await posted_form(request, session)
        code = str(form.get("code") or "")
        try:
            async with conn.transaction():
                codes = await second_factor.confirm_setup(conn, session.user, code)
        except PressError as error:
            told = refusal_text(error, console_language(request), request.app.state.settings.zone)
            return await set_up_page(request, conn, status=error.status, error=told)
        return await set_up_page(request, conn, recovery_codes=codes)

    @get("/sign-in/code")
    async def code_form(
        self, request: Request[Any, Any, Any], conn: Conn, next_page: NextPage = None
    ) -> Response[bytes]:
        pending = request.cookies.get(PENDING_COOKIE)
        if await pending_user(conn, pending) is None or pending is None:
            return redirect(f"{SIGN_IN}?{urlencode({'next': safe_next(next_page)})}")
        return code_page(request, pending, safe_next(next_page))

    @post("/sign-in/code")
    async def check_code(self, request: Request[Any, Any, Any], state: State) -> Response[bytes]:
        """The code after the password: a TOTP code or a recovery code, once each. Like the
        password's form, not in the request's transaction: a wrong code is counted (and
        committed) although the answer is an error."""
        settings: Settings = state.settings
        form = await request.form()
        pending = request.cookies.get(PENDING_COOKIE)
        check_form_token(form.get("csrf"), csrf_token(pending) if pending else None)
        next_page = safe_next(form.get("next"))
        async with state.db.acquire() as conn:
            user = await pending_user(conn, pending)
        if user is None:  # the few minutes are over, or the account was disabled meanwhile
            return redirect(f"{SIGN_IN}?{urlencode({'next': next_page})}")
        assert pending is not None
        lang = console_language(request)
        try:
            right = await check_second_factor(state.db, user, str(form.get("code") or ""))
        except TooManyRequests as refused:
            with i18n.speaking(lang, CONSOLE):
                error = i18n.gettext("Too many failed sign-ins for this address; try again later.")
            response = code_page(request, pending, next_page, status=429, error=error)
            response.headers.update(refused.headers)
            return response
        if not right:
            with i18n.speaking(lang, CONSOLE):
                error = i18n.gettext(
                    "The code is wrong or was used already. Give the newest code of your app, "
                    "or one of your recovery codes."
                )
            return code_page(request, pending, next_page, status=401, error=error)
        # A new session id once the second factor is given: the waiting one is dropped.
        async with state.db.acquire() as conn, conn.transaction():
            await end_session(conn, pending)
            session_id, _ = await create_session(conn, user.id, settings.console_session_hours)
        hours = settings.console_session_hours * 3600
        return redirect(
            next_page,
            [
                cookie(settings, SESSION_COOKIE, session_id, hours),
                cookie(settings, PENDING_COOKIE, "", 0),
            ],
        )


def code_page(
    request: Request[Any, Any, Any],
    pending: str,
    next_page: str,
    *,
    status: int = 200,
    error: str = "",
) -> Response[bytes]:
    return render_console(
        request,
        "sign_in_code.html",
        console_language(request),
        None,
        status=status,
        form_token=csrf_token(pending),
        next_page=next_page,
        error=error,
    )
