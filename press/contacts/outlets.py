"""HTTP for outlets (media organisations) under /api/v1/manage/outlets."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from press.conditional import private_json, version_etag
from press.contacts import repository
from press.contacts.controllers import sort_cursor
from press.contacts.registry import check_if_match, diff
from press.contacts.schemas import Outlet, OutletCreate, OutletPage, OutletUpdate
from press.db import Conn
from press.errors import Conflict, NotFound
from press.pagination import PageLimit, next_link, page_limit
from press.problem_responses import problems
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser


def outlet_etag(outlet: Outlet) -> str:
    return version_etag(outlet.id, outlet.version)


def _response(outlet: Outlet, status: int = 200) -> Response[bytes]:
    return private_json(outlet, outlet_etag(outlet), status)


async def _load(conn: Any, outlet_id: UUID) -> Outlet:
    outlet = await repository.fetch_outlet(conn, outlet_id)
    if outlet is None:
        raise NotFound("No outlet has this id.")
    return outlet


async def add_outlet(conn: Any, data: OutletCreate, user: StaffUser) -> Outlet:
    """A new outlet, its name not taken by another (in any case); audited."""
    require(user, Role.editor, "add outlets")
    if await repository.outlet_by_name(conn, data.name) is not None:
        raise Conflict("An outlet with this name exists already.")
    outlet = await repository.create_outlet(conn, msgspec.structs.asdict(data))
    await record_audit(
        conn, user, "outlet.create", "outlet", outlet.id, {"created": msgspec.to_builtins(outlet)}
    )
    return outlet


async def change_outlet(
    conn: Any, outlet_id: UUID, data: OutletUpdate, user: StaffUser, if_match: str | None
) -> Outlet:
    """The outlet changed as `data` says, if it is still the version `if_match` names."""
    require(user, Role.editor, "edit outlets")
    await repository.lock_outlet(conn, outlet_id)
    before = await _load(conn, outlet_id)
    check_if_match(outlet_etag(before), if_match)
    change = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    values = {**msgspec.structs.asdict(before), **change}
    if "name" in change:
        other = await repository.outlet_by_name(conn, change["name"])
        if other is not None and other != outlet_id:
            raise Conflict("An outlet with this name exists already.")
    after = await repository.update_outlet(conn, outlet_id, values)
    await record_audit(conn, user, "outlet.update", "outlet", outlet_id, diff(before, after))
    return after


async def read_outlet(conn: Any, outlet_id: UUID, user: StaffUser) -> Outlet:
    require(user, Role.viewer, "read outlets")
    return await _load(conn, outlet_id)


async def search_outlets(
    conn: Any,
    user: StaffUser,
    *,
    q: str | None,
    kind: str | None,
    country: str | None,
    after: tuple[str, UUID] | None,
    size: int,
) -> tuple[list[Outlet], str | None]:
    """A page of outlets (`size` at most) and the sort key of its last when more follow."""
    require(user, Role.viewer, "read outlets")
    items = await repository.list_outlets(
        conn, q=q, kind=kind, country=country, after=after, limit=size + 1
    )
    if len(items) <= size:
        return items, None
    items = items[:size]
    return items, await repository.outlet_sort_key(conn, items[-1].id)


class OutletController(Controller):
    path = "/api/v1/manage/outlets"
    tags = ["manage: outlets"]
    dependencies = {"staff": Provide(provide_staff)}

    @post("/", summary="Add an outlet", responses={201: ResponseSpec(Outlet)})
    async def create_outlet(
        self, conn: Conn, staff: Staff, data: JSONBody[OutletCreate]
    ) -> Response[bytes]:
        outlet = await add_outlet(conn, data, staff)
        return _response(outlet, 201)

    @get("/", summary="Outlets in Finnish/Swedish name order")
    async def list_outlets(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        q: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        country: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> OutletPage:
        items, key = await search_outlets(
            conn, staff, q=q, kind=kind, country=country, after=sort_cursor(cursor),
            size=page_limit(limit),
        )  # fmt: skip
        nxt = next_link(request, key, str(items[-1].id)) if key is not None else None
        return OutletPage(items=items, next=nxt)

    @get("/{outlet_id:uuid}", summary="One outlet", responses={200: ResponseSpec(Outlet)})
    async def get_outlet(
        self, conn: Conn, staff: Staff, outlet_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _response(await read_outlet(conn, outlet_id, staff))

    @patch(
        "/{outlet_id:uuid}",
        summary="Change an outlet; send If-Match with its ETag",
        responses={200: ResponseSpec(Outlet), **problems(412, 428)},
    )
    async def update_outlet(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        outlet_id: FromPath[UUID],
        data: JSONBody[OutletUpdate],
    ) -> Response[bytes]:
        after = await change_outlet(conn, outlet_id, data, staff, request.headers.get("if-match"))
        return _response(after)

    @delete("/{outlet_id:uuid}", summary="Delete an outlet (its contacts stay)")
    async def delete_outlet(self, conn: Conn, staff: Staff, outlet_id: FromPath[UUID]) -> None:
        require(staff, Role.editor, "delete outlets")
        if not await repository.delete_outlet(conn, outlet_id):
            raise NotFound("No outlet has this id.")
        await record_audit(conn, staff, "outlet.delete", "outlet", outlet_id)
