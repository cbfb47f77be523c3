"""Corrections of a published release in the console, and the pending change they make:
the editor with a public note (the API's `correct`), and another approver's approve-change or
reject-change. The four-eyes rule is the domain's: a correction waits for an approver other
than its author, and this page only offers what `allowed_actions` says."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from press.db import Conn
from press.errors import InvalidInput, PressError
from press.releases import actions
from press.releases.schemas import CorrectRequest, Release
from press.web import i18n
from press.web.console.access import (
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.forms import release_update
from press.web.console.releases import after_move, open_editor, save_or_preview


class ConsoleCorrectionController(Controller):
    path = "/console/releases/{release_id:uuid}"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/correct")
    async def correction_form(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """The editor, from the published text, with the public note a correction needs."""
        action = f"/console/releases/{release_id}/correct"
        return await open_editor(request, conn, release_id, action=action, correcting=True, note="")

    @post("/correct")
    async def correct_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        before, _ = await actions.load(conn, release_id)
        note = str(form.get("note") or "").strip()

        async def correct(fields: dict[str, Any]) -> Release:
            if not note:
                raise InvalidInput(
                    i18n.gettext("Say what was corrected: the note is shown with the release.")
                )
            request_body = CorrectRequest(note=note, changes=release_update(fields, before))
            saved, _held = await actions.correct_release(
                conn, release_id, request_body, session.user, settings=request.app.state.settings
            )
            return saved

        return await save_or_preview(
            request, conn, session, form, before, correct,
            action=f"/console/releases/{release_id}/correct", correcting=True, note=note,
        )  # fmt: skip

    @post("/approve-change")
    async def approve_change(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Another approver takes the pending change live."""
        session = await signed_in(request, conn)
        await posted_form(request, session)
        work = actions.approve_change(
            conn, release_id, session.user, settings=request.app.state.settings
        )
        return await after_move(request, conn, session, release_id, work)

    @post("/reject-change")
    async def reject_change(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Its author takes the pending change back, or an approver refuses it."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        reason = str(form.get("reason") or "").strip() or None
        work = actions.reject_change(conn, release_id, session.user, reason)
        return await after_move(request, conn, session, release_id, work)
