"""Staff management of the press office's own media contacts (the public list is
`GET /api/v1/media-contacts` in press.reference)."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from press.conditional import private_json, version_etag
from press.contacts import repository
from press.contacts.registry import check_if_match, diff
from press.contacts.schemas import (
    MediaContactIn,
    MediaContactUpdate,
    StaffMediaContact,
    StaffMediaContactPage,
)
from press.db import Conn
from press.errors import NotFound
from press.pagination import Int4, PageLimit, cursor_position, cut_page, page_limit
from press.problem_responses import problems
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role

# Where a media contact stands on the page: (position, name, id).
PagePosition = cast("type[tuple[int, str, UUID]]", tuple[Int4, str, UUID])


def media_contact_etag(contact: StaffMediaContact) -> str:
    return version_etag(contact.id, contact.version)


def _response(contact: StaffMediaContact, status: int = 200) -> Response[bytes]:
    return private_json(contact, media_contact_etag(contact), status)


async def _load(conn: Any, contact_id: UUID) -> StaffMediaContact:
    contact = await repository.fetch_media_contact(conn, contact_id)
    if contact is None:
        raise NotFound("No media contact has this id.")
    return contact


class MediaContactController(Controller):
    path = "/api/v1/manage/media-contacts"
    tags = ["manage: media contacts"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Add a press-office media contact",
        responses={201: ResponseSpec(StaffMediaContact)},
    )
    async def create_media_contact(
        self, conn: Conn, staff: Staff, data: JSONBody[MediaContactIn]
    ) -> Response[bytes]:
        require(staff, Role.editor, "edit the media contacts page")
        created = await repository.create_media_contact(conn, msgspec.structs.asdict(data))
        await record_audit(
            conn, staff, "media_contact.create", "media_contact", created.id,
            {"created": msgspec.to_builtins(created)},
        )  # fmt: skip
        return _response(created, 201)

    @get(
        "/",
        summary="The press office's media contacts, in page order",
        responses={200: ResponseSpec(StaffMediaContactPage)},
    )
    async def list_media_contacts(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        require(staff, Role.viewer, "read media contacts")
        size, after = page_limit(limit), cursor_position(cursor, PagePosition)
        rows = await repository.list_staff_media_contacts(conn, after=after, limit=size + 1)
        items, nxt = cut_page(request, rows, size, lambda c: (c.position, c.name, str(c.id)))
        return private_json(StaffMediaContactPage(items=items, next=nxt))

    @get(
        "/{contact_id:uuid}",
        summary="One media contact",
        responses={200: ResponseSpec(StaffMediaContact)},
    )
    async def get_media_contact(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.viewer, "read media contacts")
        return _response(await _load(conn, contact_id))

    @patch(
        "/{contact_id:uuid}",
        summary="Change a media contact; send If-Match",
        responses={200: ResponseSpec(StaffMediaContact), **problems(412, 428)},
    )
    async def update_media_contact(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[MediaContactUpdate],
    ) -> Response[bytes]:
        require(staff, Role.editor, "edit the media contacts page")
        await repository.lock_media_contact(conn, contact_id)
        before = await _load(conn, contact_id)
        check_if_match(media_contact_etag(before), request.headers.get("if-match"))
        change = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        after = await repository.update_media_contact(
            conn, contact_id, {**msgspec.structs.asdict(before), **change}
        )
        await record_audit(
            conn, staff, "media_contact.update", "media_contact", contact_id, diff(before, after)
        )
        return _response(after)

    @delete("/{contact_id:uuid}", summary="Remove a media contact")
    async def delete_media_contact(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> None:
        require(staff, Role.editor, "edit the media contacts page")
        if not await repository.delete_media_contact(conn, contact_id):
            raise NotFound("No media contact has this id.")
        await record_audit(conn, staff, "media_contact.delete", "media_contact", contact_id)
