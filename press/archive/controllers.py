"""HTTP for the archive: staff file management, public downloads, press kits, archive counts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Stream

from press.archive import files, repository
from press.archive.download import rendition_of, send_file, stored_file
from press.archive.names import content_disposition
from press.archive.presskit import KitFile, credits_text, press_kit_chunks, release_page
from press.archive.public_files import to_public_file
from press.archive.renditions import RENDITIONS
from press.archive.schemas import (
    ArchiveCounts,
    Attachment,
    File,
    FilePage,
    FileUpdate,
    MonthCount,
    PublicFileList,
)
from press.archive.upload import receive_file
from press.conditional import (
    PRIVATE,
    conditional_response,
    etag_of,
    private_json,
    public_cache_control,
    surrogate_key,
)
from press.db import Conn
from press.embargo.journalists import fetch_journalist
from press.embargo.repository import record_embargo_reads
from press.errors import InvalidInput, NotFound
from press.pagination import (
    Int4,
    PageLimit,
    cursor_position,
    cut_page,
    next_link,
    page_limit,
    time_cursor,
)
from press.problem_responses import JOURNALIST_OPTIONAL, STAFF, FileUpload, problems
from press.releases.public import LangQuery, check_lang, language_preference
from press.releases.repository import list_sources, seconds_to_next_lift
from press.staff.auth import Staff, bearer_token, provide_staff, require
from press.staff.schemas import Role


def _file_response(item: File, status: int = 200) -> Response[bytes]:
    return private_json(item, files.file_etag(item), status)


class ManageFileController(Controller):
    path = "/api/v1/manage/files"
    tags = ["manage: files"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Upload a file (multipart, field `file`); its type is read from its bytes",
        description=(
            "Send `multipart/form-data` with the file in the field `file`. Accepted: JPEG, PNG,"
            " WebP, GIF, PDF, DOCX, XLSX, PPTX and ODT, checked by their content (415 else);"
            " at most PRESS_MAX_UPLOAD_MB (413). The body is streamed to storage."
        ),
        responses={
            201: ResponseSpec(File, description="The stored file"),
            **problems(401, 403, 413, 415, 422),
        },
        # The body is streamed to storage by the handler; Litestar must not buffer or cap it.
        request_max_body_size=None,
        # Signed in by hand, not by the `staff` dependency, and the body read by hand: see below.
        security=STAFF,
        operation_class=FileUpload,
    )
    async def upload_file(self, request: Request[Any, Any, Any], state: State) -> Response[bytes]:
        settings = state.settings
        # Authenticate before reading a byte of the body, in a short transaction: the
        # upload itself may take minutes and must not hold a database connection.
        async with state.db.acquire() as conn, conn.transaction():
            staff = await provide_staff(request, conn)
            require(staff, Role.editor, "upload files")
        storage = files.storage_for(settings)
        received = await receive_file(
            request.stream(),
            request.headers.get("content-type"),
            _content_length(request),
            storage,
            settings.max_upload_mb * 2**20,
        )
        try:
            async with state.db.acquire() as conn, conn.transaction():
                file_id = await files.keep_upload(conn, storage, received, staff)
                item = files.to_file(await files.load_file(conn, file_id), settings)
        finally:
            storage.discard(received.path)
        return _file_response(item, 201)

    @get("/", summary="Files, newest first; by collection or by release")
    async def list_files(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        state: State,
        collection: FromQuery[str | None] = None,
        release_id: FromQuery[UUID | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> FilePage:
        size = page_limit(limit)
        rows = await repository.list_files(
            conn, collection, release_id, time_cursor(cursor), size + 1
        )
        items = [files.to_file(row, state.settings) for row in rows[:size]]
        nxt = None
        if len(rows) > size:
            last = items[-1]
            nxt = next_link(request, last.created_at.isoformat(), str(last.id))
        return FilePage(items=items, next=nxt)

    @get("/{file_id:uuid}", summary="One file's metadata", responses={200: ResponseSpec(File)})
    async def get_file(
        self, conn: Conn, staff: Staff, state: State, file_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _file_response(files.to_file(await files.load_file(conn, file_id), state.settings))

    @patch(
        "/{file_id:uuid}",
        summary="Change a file's metadata; send If-Match with its ETag",
        responses={200: ResponseSpec(File), **problems(412, 428)},
    )
    async def update_file(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        state: State,
        file_id: FromPath[UUID],
        data: JSONBody[FileUpdate],
    ) -> Response[bytes]:
        require(staff, Role.editor, "change files")
        item = await files.update_file(
            conn, state.settings, file_id, data, staff, request.headers.get("if-match")
        )
        return _file_response(item)

    @delete(
        "/{file_id:uuid}",
        status_code=204,
        summary="Delete a file, with its bytes",
        description=(
            "Removes the file's metadata and its attachments at once, and its stored bytes (the"
            " upload, the public copy without metadata, image renditions) right after, unless"
            " another file holds the same bytes. Cannot be undone. A file of a scheduled or"
            " published release, or a public media-bank item, needs an approver."
        ),
    )
    async def delete_file(self, conn: Conn, staff: Staff, file_id: FromPath[UUID]) -> None:
        await files.delete_file(conn, file_id, staff)

    @post(
        "/{file_id:uuid}/releases",
        status_code=200,
        summary="Attach a file to a release",
        responses={200: ResponseSpec(File)},
    )
    async def attach_file(
        self,
        conn: Conn,
        staff: Staff,
        state: State,
        file_id: FromPath[UUID],
        data: JSONBody[Attachment],
    ) -> Response[bytes]:
        require(staff, Role.editor, "attach files")
        await files.attach_file(conn, file_id, data.release_id, data.position, staff)
        return _file_response(files.to_file(await files.load_file(conn, file_id), state.settings))

    @delete(
        "/{file_id:uuid}/releases/{release_id:uuid}",
        status_code=204,
        summary="Detach a file from a release",
    )
    async def detach_file(
        self, conn: Conn, staff: Staff, file_id: FromPath[UUID], release_id: FromPath[UUID]
    ) -> None:
        require(staff, Role.editor, "detach files")
        await files.detach_file(conn, file_id, release_id, staff)


def _content_length(request: Request[Any, Any, Any]) -> int | None:
    raw = request.headers.get("content-length")
    return int(raw) if raw and raw.isdigit() else None


class PublicFileController(Controller):
    path = "/api/v1/files"
    tags = ["public: files"]

    @get(
        "/{file_id:uuid}/{filename:str}",
        summary="Download a file (or an image rendition: ?rendition=thumbnail|web)",
        responses={200: ResponseSpec(None, description="The file's bytes")},
        # Anyone may download a public file; a journalist's token also opens the files of
        # the embargoed releases the journalist may read.
        security=JOURNALIST_OPTIONAL,
    )
    async def download_file(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        state: State,
        file_id: FromPath[UUID],
        filename: FromPath[str],
        rendition: FromQuery[str | None] = None,
    ) -> Response[Any]:
        if rendition is not None and rendition not in RENDITIONS:
            raise InvalidInput(
                "rendition must be one of " + ", ".join(RENDITIONS),
                errors=[{"key": "rendition", "message": "unknown value"}],
            )
        row = await repository.fetch_public_file(conn, file_id)
        if row is not None:
            cache_control = public_cache_control(await seconds_to_next_lift(conn))
        else:
            token = bearer_token(request)
            journalist = await fetch_journalist(conn, token) if token else None
            row = (
                await repository.fetch_embargoed_file(conn, file_id, journalist.id)
                if journalist
                else None
            )
            cache_control = PRIVATE
            if row is not None and journalist is not None:
                # Downloading an embargoed release's file is a read of that release.
                await record_embargo_reads(
                    conn,
                    journalist.id,
                    journalist.token_id,
                    await repository.embargoed_releases_of_file(conn, file_id, journalist.id),
                )
        if row is None:
            # The same answer for unknown, internal and not-yet-public files; never cached.
            raise NotFound()
        storage = files.storage_for(state.settings)
        stored = stored_file(row)
        if rendition is not None:
            if not stored.content_type.startswith("image/"):
                raise NotFound()
            stored = await rendition_of(stored, storage, rendition)
        return send_file(request, stored, storage, cache_control)


@get(
    "/api/v1/releases/{release_id:uuid}/press-kit.zip",
    summary="A public release's press kit: its text in each language and its files, as ZIP",
    tags=["public: releases"],
    responses={200: ResponseSpec(None, description="application/zip")},
)
async def get_press_kit(
    request: Request[Any, Any, Any], conn: Conn, state: State, release_id: FromPath[UUID]
) -> Response[Any]:
    release = await repository.fetch_press_kit_release(conn, release_id)
    if release is None:
        raise NotFound()
    rows = await repository.list_press_kit_files(conn, release_id)
    names = [f"files/{index:02d}-{row['filename']}" for index, row in enumerate(rows, 1)]
    kit_files = [KitFile(n, r["sha256"], r["size"]) for n, r in zip(names, rows, strict=True)]
    sources = {r["slug"]: r for r in await list_sources(conn)}
    published = release["publish_at"]
    pages = [
        (f"{lang}.html", release_page(lang, text, _source_name(sources, release, lang), published))
        for lang, text in sorted(release["translations"].items())
    ]
    if rows:
        pages.append(("credits.txt", credits_text([dict(r) for r in rows], names)))
    # The kit is deterministic: its ETag is a hash of what goes in.
    etag = etag_of(msgspec.json.encode([names, [r["sha256"] for r in rows], pages]))
    headers = {
        "ETag": etag,
        "Cache-Control": public_cache_control(await seconds_to_next_lift(conn)),
        # A CDN purging by key drops the kit with the release it holds (withdrawn, corrected).
        "Surrogate-Key": surrogate_key(request.scope["path"]),
        "Content-Disposition": content_disposition(f"press-kit-{release_id}.zip"),
        "X-Content-Type-Options": "nosniff",
    }
    inm = request.headers.get("if-none-match")
    if inm is not None and etag in [c.strip().removeprefix("W/") for c in inm.split(",")]:
        return Response(b"", status_code=304, headers=headers, media_type="application/zip")
    storage = files.storage_for(state.settings)
    chunks = press_kit_chunks(pages, kit_files, storage, release["publish_at"])
    return Stream(chunks, headers=headers, media_type="application/zip")


def _source_name(sources: dict[str, Any], release: Any, lang: str) -> str:
    source = sources.get(release["source"])
    return str(source[f"name_{lang}"]) if source else str(release["source"])


# Where a file stands in a release's press kit: (position, created_at, id).
KitPosition = cast(
    "type[tuple[int, datetime, UUID]]",
    tuple[Int4, Annotated[datetime, msgspec.Meta(tz=True)], UUID],
)


@get(
    "/api/v1/releases/{release_id:uuid}/files",
    summary="A public release's photos and documents, with their texts in one language",
    tags=["public: releases"],
    responses={200: ResponseSpec(PublicFileList)},
)
async def list_release_files(
    request: Request[Any, Any, Any],
    conn: Conn,
    state: State,
    release_id: FromPath[UUID],
    lang: LangQuery = None,
    cursor: FromQuery[str | None] = None,
    limit: PageLimit = None,
) -> Response[bytes]:
    check_lang(lang)
    size, after = page_limit(limit), cursor_position(cursor, KitPosition)
    if await repository.fetch_press_kit_release(conn, release_id) is None:
        raise NotFound()
    rows = await repository.list_public_release_files(conn, release_id, after=after, limit=size + 1)
    rows, nxt = cut_page(
        request, rows, size, lambda r: (r["position"], r["created_at"].isoformat(), str(r["id"]))
    )
    preference = language_preference(lang, request.headers.get("accept-language"))
    settings = state.settings
    items = [to_public_file(row, preference, settings.public_url) for row in rows]
    body = msgspec.json.encode(PublicFileList(items=items, next=nxt))
    seconds = await seconds_to_next_lift(conn)
    return conditional_response(request, body, cache_control=public_cache_control(seconds))


@get(
    "/api/v1/media-bank",
    summary="The public media bank: logos, portraits and brand material, newest first",
    tags=["public: files"],
    responses={200: ResponseSpec(PublicFileList)},
)
async def list_media_bank(
    request: Request[Any, Any, Any],
    conn: Conn,
    state: State,
    collection: FromQuery[str | None] = None,
    lang: LangQuery = None,
    cursor: FromQuery[str | None] = None,
    limit: PageLimit = None,
) -> Response[bytes]:
    check_lang(lang)
    size = page_limit(limit)
    rows = await repository.list_media_bank(conn, collection, time_cursor(cursor), size + 1)
    preference = language_preference(lang, request.headers.get("accept-language"))
    settings = state.settings
    items = [to_public_file(row, preference, settings.public_url) for row in rows[:size]]
    nxt = None
    if len(rows) > size:
        last = rows[size - 1]
        nxt = next_link(request, last["created_at"].isoformat(), str(last["id"]))
    body = msgspec.json.encode(PublicFileList(items=items, next=nxt))
    seconds = await seconds_to_next_lift(conn)
    return conditional_response(request, body, cache_control=public_cache_control(seconds))


@get(
    "/api/v1/archive",
    summary="How many public releases each month, for browsing the archive",
    tags=["public: releases"],
    responses={200: ResponseSpec(ArchiveCounts)},
)
async def get_archive(
    request: Request[Any, Any, Any],
    conn: Conn,
    state: State,
    source: FromQuery[str | None] = None,
    lang: LangQuery = None,
) -> Response[bytes]:
    check_lang(lang)
    rows = await repository.archive_counts(conn, source, lang, state.settings.timezone)
    items = [MonthCount(year=r["year"], month=r["month"], count=r["count"]) for r in rows]
    body = msgspec.json.encode(ArchiveCounts(items=items, total=sum(i.count for i in items)))
    seconds = await seconds_to_next_lift(conn)
    return conditional_response(request, body, cache_control=public_cache_control(seconds))
