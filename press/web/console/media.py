"""A release's photos and documents in the console: upload (a plain multipart form; the
script adds drag-and-drop and a progress bar), alt texts and credit, reuse of an archive
photo, removal, and thumbnails behind the session.

Every change is the archive's own function (press.archive.files), called in-process with the
signed-in user, each request's change in one transaction and audited there, after the same
role check the staff API makes (`require`, editor and up).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from press.archive import files
from press.archive.download import rendition_of, send_file, stored_file
from press.archive.upload import Received, receive_file
from press.db import Conn
from press.errors import NotFound, PayloadTooLarge, PressError
from press.releases import actions
from press.releases.schemas import Release
from press.settings import Settings
from press.staff.auth import require
from press.staff.schemas import Role, StaffUser
from press.web import i18n
from press.web.console.access import (
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.layout import CONSOLE, Session, console_language, redirect, render_console
from press.web.console.media_views import (
    broken_upload,
    file_update,
    missing_alt,
    parse_file_id,
    photo_texts,
    refusal,
    release_media,
    reusable_photos,
    search_words,
)
from press.web.console.releases import attempt
from press.web.console.sessions import check_form_token
from press.web.console.views import LANGUAGE_LABELS, title_of

MAX_QUERY = 200


async def media_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    release_id: UUID,
    *,
    status: int = 200,
    query: str = "",
    **context: Any,
) -> Response[bytes]:
    """The media page: what the release has, the upload form, the archive search. A
    refusal's field and message come in `errors` (keyed by the file's id, or `upload`,
    `reuse`) and what was typed in `entered`."""
    settings: Settings = request.app.state.settings
    lang = console_language(request)
    with i18n.speaking(lang, CONSOLE):
        release, _ = await actions.load(conn, release_id)
        media = await release_media(conn, settings, release, lang)
        results = None
        if query.strip() and len(query) <= MAX_QUERY:
            results = await reusable_photos(conn, settings, release, search_words(query), lang)
        elif len(query) > MAX_QUERY:
            status = 422
            too_long = i18n.gettext("Search with fewer words (at most 200 characters).")
            context.setdefault("errors", {})["reuse"] = {"form": too_long}
        return render_console(
            request,
            "media.html",
            lang,
            session,
            status=status,
            release=release,
            title=title_of(release, lang),
            media=media,
            results=results,
            query=query,
            langs=[(c, i18n.gettext(LANGUAGE_LABELS[c])) for c in LANGUAGE_LABELS],
            max_mb=settings.max_upload_mb,
            errors=context.pop("errors", {}),
            entered=context.pop("entered", {}),
            **context,
        )


def media_href(release_id: UUID, anchor: str = "") -> str:
    return f"/console/releases/{release_id}/media" + (f"#{anchor}" if anchor else "")


async def keep_and_attach(
    conn: asyncpg.Connection,
    settings: Settings,
    received: Received,
    texts: dict[str, Any],
    user: StaffUser,
    release_id: UUID,
) -> UUID:
    """The upload kept, its texts given, and attached: the API's three calls in one
    transaction, so a refusal (an alt text the release needs) leaves nothing behind."""
    change = file_update(texts)
    storage = files.storage_for(settings)
    file_id = await files.keep_upload(conn, storage, received, user)
    if change.alt or change.credit:
        await files.update_file(conn, settings, file_id, change, user, "*")
    await files.attach_file(conn, file_id, release_id, None, user)
    return file_id


class ConsoleMediaController(Controller):
    path = "/console"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/releases/{release_id:uuid}/media")
    async def show_media(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        release_id: FromPath[UUID],
        q: FromQuery[str] = "",
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        return await media_page(request, conn, session, release_id, query=q)

    @post(
        "/releases/{release_id:uuid}/media",
        # Streamed to storage as the API's upload is (press.archive.upload); not buffered.
        request_max_body_size=None,
    )
    async def upload_media(
        self, request: Request[Any, Any, Any], state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        settings: Settings = state.settings
        # As the API: who it is is settled before a byte of the body is read, and no
        # connection is held while the body arrives.
        async with state.db.acquire() as conn, conn.transaction():
            session = await signed_in(request, conn)
            require(session.user, Role.editor, "upload files")
            release, _ = await actions.load(conn, release_id)
        storage = files.storage_for(settings)
        raw_length = request.headers.get("content-length")
        try:
            received = await receive_file(
                request.stream(),
                request.headers.get("content-type"),
                int(raw_length) if raw_length and raw_length.isdigit() else None,
                storage,
                settings.max_upload_mb * 2**20,
            )
        except PressError as error:
            async with state.db.acquire() as conn, conn.transaction():
                if isinstance(error, PayloadTooLarge):
                    return await self._refused(request, conn, session, release_id, error, {})
                with i18n.speaking(console_language(request), CONSOLE):
                    broken = broken_upload()
                return await media_page(
                    request, conn, session, release_id, status=error.status,
                    errors={"upload": broken},
                )  # fmt: skip
        try:
            check_form_token(received.fields.get("csrf"), session.form_token)
            texts = photo_texts(received.fields)
            async with state.db.acquire() as conn, conn.transaction():
                if received.size == 0 and not received.client_filename:
                    with i18n.speaking(console_language(request), CONSOLE):
                        nothing = {"file": i18n.gettext("Choose a file to upload.")}
                    return await media_page(
                        request, conn, session, release_id, status=422,
                        errors={"upload": nothing}, entered={"upload": texts},
                    )  # fmt: skip
                work = keep_and_attach(conn, settings, received, texts, session.user, release.id)
                refused = await attempt(conn, work)
                if refused is not None:
                    missing = missing_alt(release, texts)
                    return await self._refused(
                        request, conn, session, release_id, refused, texts, missing
                    )
        finally:
            storage.discard(received.path)
        return redirect(media_href(release_id, "photos"))

    @post("/releases/{release_id:uuid}/media/attach")
    async def attach_media(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Reuse a photo of the archive: attach it as it is, with its texts."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        require(session.user, Role.editor, "attach files")
        query = str(form.get("q") or "")
        with i18n.speaking(console_language(request), CONSOLE):
            file_id = parse_file_id(form.get("file_id"))
        release, _ = await actions.load(conn, release_id)
        work = files.attach_file(conn, file_id, release_id, None, session.user)
        error = await attempt(conn, work)
        if error is None:
            return redirect(media_href(release_id, f"file-{file_id}"))
        item = await files.load_file(conn, file_id)
        missing = missing_alt(release, {"alt": dict(item["alt"])})
        return await self._refused(
            request, conn, session, release_id, error, {}, missing, where="reuse", query=query
        )

    @post("/releases/{release_id:uuid}/media/{file_id:uuid}")
    async def update_media(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        release_id: FromPath[UUID],
        file_id: FromPath[UUID],
    ) -> Response[bytes]:
        """Save a photo's alt texts and credit (against the version the form was made from)."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        require(session.user, Role.editor, "change files")
        release = await attached(conn, release_id, file_id)
        texts = photo_texts(form)

        async def save() -> None:
            etag = str(form.get("etag") or "")
            settings = request.app.state.settings
            await files.update_file(conn, settings, file_id, file_update(texts), session.user, etag)

        error = await attempt(conn, save())
        if error is None:
            return redirect(media_href(release_id, f"file-{file_id}"))
        missing = missing_alt(release, texts)
        return await self._refused(
            request, conn, session, release_id, error, texts, missing, where=str(file_id)
        )

    @post("/releases/{release_id:uuid}/media/{file_id:uuid}/remove")
    async def remove_media(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        release_id: FromPath[UUID],
        file_id: FromPath[UUID],
    ) -> Response[bytes]:
        """Take a file off the release; it stays in the archive."""
        session = await signed_in(request, conn)
        await posted_form(request, session)
        require(session.user, Role.editor, "detach files")
        await attached(conn, release_id, file_id)
        await files.detach_file(conn, file_id, release_id, session.user)
        return redirect(media_href(release_id, "photos"))

    @get("/files/{file_id:uuid}/thumbnail")
    async def show_thumbnail(
        self, request: Request[Any, Any, Any], conn: Conn, state: State, file_id: FromPath[UUID]
    ) -> Response[Any]:
        """An image's thumbnail, for staff only: the archive's own rendition, made from the
        upload as the public one is (without its metadata), for drafts too."""
        await signed_in(request, conn)
        row = await files.load_file(conn, file_id)
        if not row["content_type"].startswith("image/"):
            raise NotFound("This file has no thumbnail.")
        storage = files.storage_for(state.settings)
        thumbnail = await rendition_of(stored_file(row), storage, "thumbnail")
        return send_file(request, thumbnail, storage, "private, no-cache")

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        conn: asyncpg.Connection,
        session: Session,
        release_id: UUID,
        error: PressError,
        texts: dict[str, Any],
        missing: list[str] | None = None,
        *,
        where: str = "upload",
        query: str = "",
    ) -> Response[bytes]:
        """The media page again, the refusal beside the field it concerns, the texts kept."""
        with i18n.speaking(console_language(request), CONSOLE):
            told = refusal(error, request.app.state.settings, missing or [])
        return await media_page(
            request, conn, session, release_id, status=error.status, query=query,
            errors={where: told}, entered={where: texts} if texts else {},
        )  # fmt: skip


async def attached(conn: asyncpg.Connection, release_id: UUID, file_id: UUID) -> Release:
    """The release, if the file is one of its files (a file of another release is not changed
    from this one's page)."""
    release, _ = await actions.load(conn, release_id)
    item = await files.load_file(conn, file_id)
    if release_id not in item["releases"]:
        raise NotFound("This file is not attached to that release.")
    return release
