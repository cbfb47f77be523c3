"""Who is using the console: sign-in, sign-out, the language switch, and the check every
other console request starts with."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath, QueryParameter

from press.db import Conn
from press.errors import NotAuthenticated, PressError, TooManyRequests
from press.settings import Settings
from press.staff.auth import authenticate
from press.staff.repository import set_staff_language
from press.staff.schemas import Role
from press.staff.second_factor import has_second_factor
from press.web import i18n
from press.web.console.layout import Session, console_language, redirect, render_console
from press.web.console.refusals import refusal_text
from press.web.console.sessions import (
    HOME,
    LANG_COOKIE,
    PENDING_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    check_form_token,
    cookie,
    create_pending_session,
    create_session,
    csrf_token,
    end_session,
    safe_next,
    session_id_of,
    session_user,
)

SIGN_IN = "/console/sign-in"
SET_UP = "/console/second-factor"
NextPage = Annotated[str | None, QueryParameter(name="next")]
YEAR = 365 * 24 * 3600


class SignInNeeded(Exception):
    """No live console session came with the request."""


class SecondFactorNeeded(SignInNeeded):
    """PRESS_CONSOLE_TOTP_REQUIRED, and this approver or admin has no second factor yet."""


async def signed_in(
    request: Request[Any, Any, Any], conn: Conn, *, setting_up: bool = False
) -> Session:
    """The console user of this request (through `session_user`), or SignInNeeded. Where
    the second factor is required of approvers and admins, one without it is led to set it
    up before anything else (`setting_up`: the pages that lets them, and signing out)."""
    session_id = session_id_of(request)
    user = await session_user(conn, session_id)
    if user is None or session_id is None:
        raise SignInNeeded()
    settings: Settings = request.app.state.settings
    if (
        settings.console_totp_required
        and not setting_up
        and user.rank >= Role.approver
        and not await has_second_factor(conn, user.id)
    ):
        raise SecondFactorNeeded()
    return Session(user, session_id, csrf_token(session_id))


async def posted_form(request: Request[Any, Any, Any], session: Session) -> FormMultiDict:
    """The form sent, refused unless it carries this session's form token."""
    form = await request.form()
    check_form_token(form.get("csrf"), session.form_token)
    return form


def sign_in_needed(request: Request[Any, Any, Any], _: SignInNeeded) -> Response[bytes]:
    """To the sign-in page, which brings the user back to the page they asked for (or to
    setting up the second factor, when that comes first)."""
    if isinstance(_, SecondFactorNeeded):
        return redirect(SET_UP)
    back = request.scope["path"] if request.method == "GET" else HOME
    query = request.scope["query_string"].decode()
    if request.method == "GET" and query:
        back += "?" + query
    return redirect(f"{SIGN_IN}?{urlencode({'next': back})}")


def console_error(request: Request[Any, Any, Any], error: PressError) -> Response[bytes]:
    """A refusal of the domain as a console page: what was refused, and why."""
    lang = console_language(request)
    zone = request.app.state.settings.zone
    response = render_console(
        request,
        "error.html",
        lang,
        None,
        status=error.status,
        detail=refusal_text(error, lang, zone),
    )
    response.headers.update(error.headers)
    return response


def sign_in_page(
    request: Request[Any, Any, Any], next_page: str, *, status: int = 200, error: str = ""
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    return render_console(
        request,
        "sign_in.html",
        console_language(request),
        None,
        status=status,
        next_page=next_page,
        form_token=token,
        error=error,
        cookies=[cookie(settings, SIGN_IN_COOKIE, token, None)],
    )


class ConsoleAccessController(Controller):
    path = "/console"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/sign-in")
    async def sign_in_form(
        self, request: Request[Any, Any, Any], next_page: NextPage = None
    ) -> Response[bytes]:
        return sign_in_page(request, safe_next(next_page))

    @post("/sign-in")
    async def sign_in(self, request: Request[Any, Any, Any], state: State) -> Response[bytes]:
        settings: Settings = state.settings
        form = await request.form()
        check_form_token(form.get("csrf"), request.cookies.get(SIGN_IN_COOKIE))
        next_page = safe_next(form.get("next"))
        email, password = str(form.get("email") or ""), str(form.get("password") or "")
        lang = console_language(request)
        # Not the request's transaction: an attempt is counted although the answer is an
        # error, and no connection is held while the password is hashed (press.staff.auth).
        try:
            user_id = await authenticate(
                state.db, state.password_checks, email[:254], password[:1024], code_follows=True
            )
            if user_id is None:
                raise NotAuthenticated()
            async with state.db.acquire() as conn, conn.transaction():
                await set_staff_language(conn, user_id, lang)
                if await has_second_factor(conn, user_id):
                    waiting = await create_pending_session(conn, user_id)
                    return redirect(
                        f"{SIGN_IN}/code?{urlencode({'next': next_page})}",
                        [
                            cookie(settings, PENDING_COOKIE, waiting, 600),
                            cookie(settings, SIGN_IN_COOKIE, "", 0),
                        ],
                    )
                session_id, _ = await create_session(conn, user_id, settings.console_session_hours)
        except (NotAuthenticated, TooManyRequests) as refused:
            with i18n.speaking(lang, i18n.CONSOLE_DOMAIN):
                error = (
                    i18n.gettext("Too many failed sign-ins for this address; try again later.")
                    if isinstance(refused, TooManyRequests)
                    else i18n.gettext("The e-mail address or password is wrong.")
                )
            response = sign_in_page(request, next_page, status=refused.status, error=error)
            response.headers.update(refused.headers)
            return response
        hours = settings.console_session_hours * 3600
        return redirect(
            next_page,
            [
                cookie(settings, SESSION_COOKIE, session_id, hours),
                cookie(settings, SIGN_IN_COOKIE, "", 0),
            ],
        )

    @post("/sign-out")
    async def sign_out(
        self, request: Request[Any, Any, Any], conn: Conn, state: State
    ) -> Response[bytes]:
        session = await signed_in(request, conn, setting_up=True)
        await posted_form(request, session)
        await end_session(conn, session.session_id)
        return redirect(SIGN_IN, [cookie(state.settings, SESSION_COOKIE, "", 0)])

    @get("/language/{lang:str}")
    async def choose_language(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        state: State,
        lang: FromPath[str],
        next_page: NextPage = None,
    ) -> Response[bytes]:
        """Remember the user's language in this browser (a year), and go back; a signed-in
        user's workflow mail speaks it from now on."""
        chosen = lang if lang in i18n.LANGS else i18n.LANGS[0]
        user = await session_user(conn, session_id_of(request))
        if user is not None:
            await set_staff_language(conn, user.id, chosen)
        return redirect(safe_next(next_page), [cookie(state.settings, LANG_COOKIE, chosen, YEAR)])
