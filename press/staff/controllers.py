"""Sign-in, sign-out and the audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import FromQuery, JSONBody

from press.db import Conn
from press.errors import InvalidInput, NotAuthenticated
from press.instants import parse_instant
from press.pagination import decode_cursor, next_link, page_limit
from press.staff import repository
from press.staff.auth import Staff, bearer_token, issue_token, provide_staff, require
from press.staff.schemas import AuditPage, Role, TokenRequest, TokenResponse


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/token", status_code=200, summary="Exchange e-mail and password for a bearer token")
    async def create_token(self, state: State, data: JSONBody[TokenRequest]) -> TokenResponse:
        # Its own transaction rather than the request's: a failed attempt must be counted
        # although the request ends in an error.
        async with state.db.acquire() as conn, conn.transaction():
            issued = await issue_token(
                conn, data.email, data.password, state.settings.token_ttl_hours
            )
        if issued is None:
            raise NotAuthenticated("The e-mail address or password is wrong.")
        return TokenResponse(access_token=issued[0], expires_at=issued[1])

    @delete(
        "/token",
        status_code=204,
        summary="Revoke the token sent with this request",
        dependencies={"staff": Provide(provide_staff)},
    )
    async def revoke_token(self, request: Request[Any, Any, Any], conn: Conn, staff: Staff) -> None:
        token = bearer_token(request)
        assert token is not None
        await repository.revoke_staff_token(conn, token)


class AuditController(Controller):
    path = "/api/v1/manage/audit"
    tags = ["audit"]
    dependencies = {"staff": Provide(provide_staff)}

    @get("/", summary="The audit log of staff writes, newest first")
    async def list_audit(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        actor_id: FromQuery[UUID | None] = None,
        action: FromQuery[str | None] = None,
        entity: FromQuery[str | None] = None,
        entity_id: FromQuery[str | None] = None,
        since: FromQuery[str | None] = None,
        until: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: FromQuery[int | None] = None,
    ) -> AuditPage:
        require(staff, Role.approver, "read the audit log")
        size = page_limit(limit)
        position = decode_cursor(cursor, 1)
        before_id = position[0] if position else None
        if before_id is not None and not isinstance(before_id, int):
            raise InvalidInput("cursor is not valid")
        items = await repository.list_audit(
            conn,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            since=parse_instant("since", since),
            until=parse_instant("until", until),
            before_id=before_id,
            limit=size + 1,
        )
        nxt = None
        if len(items) > size:
            items = items[:size]
            nxt = next_link(request, items[-1].id)
        return AuditPage(items=items, next=nxt)
