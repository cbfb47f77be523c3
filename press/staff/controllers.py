"""Sign-in, sign-out, staff accounts and the audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from press.conditional import private_json
from press.db import Conn
from press.errors import InvalidInput, NotAuthenticated
from press.instants import InstantQuery, parse_instant
from press.pagination import (
    PageLimit,
    cursor_position,
    cut_page,
    decode_cursor,
    page_limit,
)
from press.problem_responses import problems
from press.staff import accounts, repository
from press.staff.audit import AuditFilters, read_audit
from press.staff.auth import Staff, bearer_token, provide_staff, require, sign_in
from press.staff.schemas import (
    AuditPage,
    PasswordChange,
    Role,
    RoleChange,
    StaffUser,
    StaffUserCreate,
    StaffUserPage,
    TokenRequest,
    TokenResponse,
    TokensRevoked,
)


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/token",
        status_code=200,
        summary="Exchange e-mail, password and second-factor code for a bearer token",
        description=(
            "Send `email` and `password`; a user with a second factor on (set up in the"
            " console) sends `code` too: the code their authenticator app shows, or one of"
            " their recovery codes. Each code works once. Without it the answer is a 401 of"
            " type `.../second-factor-code-needed`; a wrong or used code is a 401 of type"
            " `.../second-factor-code-wrong`. Both come only after a right password. Every"
            " request counts as a sign-in attempt of the address until a token is issued:"
            " past five in 15 minutes the address is refused for 15 minutes (429 with"
            " Retry-After). A `code` sent for a user without a second factor is ignored."
        ),
        responses=problems(401, 429),
    )
    async def create_token(self, state: State, data: JSONBody[TokenRequest]) -> TokenResponse:
        # Not the request's transaction: an attempt must be counted although the request ends
        # in an error, and no connection may be held while the password is hashed.
        issued = await sign_in(
            state.db,
            state.password_checks,
            data.email,
            data.password,
            state.settings.token_ttl_hours,
            data.code,
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
        since: InstantQuery = None,
        until: InstantQuery = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> AuditPage:
        size = page_limit(limit)
        position = decode_cursor(cursor, 1)
        before_id = position[0] if position else None
        if before_id is not None and not isinstance(before_id, int):
            raise InvalidInput("cursor is not valid")
        filters = AuditFilters(
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            since=parse_instant("since", since),
            until=parse_instant("until", until),
        )
        items = await read_audit(conn, staff, filters, before_id=before_id, limit=size + 1)
        items, nxt = cut_page(request, items, size, lambda a: (a.id,))
        return AuditPage(items=items, next=nxt)


class StaffUserController(Controller):
    """Staff accounts, for admins: the same functions as `press users` and the console."""

    path = "/api/v1/manage/users"
    tags = ["manage: users"]
    dependencies = {"staff": Provide(provide_staff)}

    @get(
        "/",
        summary="Staff users, disabled ones too, by e-mail address",
        responses={200: ResponseSpec(StaffUserPage)},
    )
    async def list_staff_users(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        require(staff, Role.admin, "list staff users")
        size, after = page_limit(limit), cursor_position(cursor, tuple[str, UUID])
        users = await repository.list_staff_users(
            conn, with_disabled=True, after=after, limit=size + 1
        )
        items, nxt = cut_page(request, users, size, lambda u: (u.email, str(u.id)))
        return private_json(StaffUserPage(items=items, next=nxt))

    @post("/", summary="Create a staff user", responses={201: ResponseSpec(StaffUser)})
    async def create_staff_user(
        self, conn: Conn, staff: Staff, data: JSONBody[StaffUserCreate]
    ) -> Response[bytes]:
        return private_json(await accounts.create_user(conn, staff, data), status_code=201)

    @post(
        "/{user_id:uuid}/disable",
        status_code=200,
        summary="Disable a staff user: no sign-in, and every token stops at once",
        responses={200: ResponseSpec(StaffUser)},
    )
    async def disable_staff_user(
        self, conn: Conn, staff: Staff, user_id: FromPath[UUID]
    ) -> Response[bytes]:
        return private_json(await accounts.disable_user(conn, staff, user_id))

    @post(
        "/{user_id:uuid}/enable",
        status_code=200,
        summary="Let a disabled staff user sign in again",
        responses={200: ResponseSpec(StaffUser)},
    )
    async def enable_staff_user(
        self, conn: Conn, staff: Staff, user_id: FromPath[UUID]
    ) -> Response[bytes]:
        return private_json(await accounts.enable_user(conn, staff, user_id))

    @post(
        "/{user_id:uuid}/revoke-tokens",
        status_code=200,
        summary="Sign a staff user out everywhere",
        responses={200: ResponseSpec(TokensRevoked)},
    )
    async def revoke_staff_tokens(
        self, conn: Conn, staff: Staff, user_id: FromPath[UUID]
    ) -> Response[bytes]:
        revoked = await accounts.revoke_user_tokens(conn, staff, user_id)
        return private_json(TokensRevoked(revoked=revoked))

    @put(
        "/{user_id:uuid}/password",
        summary="Reset a staff user's password (their tokens are revoked)",
        responses={200: ResponseSpec(StaffUser)},
    )
    async def set_staff_password(
        self, conn: Conn, staff: Staff, user_id: FromPath[UUID], data: JSONBody[PasswordChange]
    ) -> Response[bytes]:
        return private_json(await accounts.set_user_password(conn, staff, user_id, data.password))

    @put(
        "/{user_id:uuid}/role",
        summary="Change a staff user's role",
        responses={200: ResponseSpec(StaffUser)},
    )
    async def set_staff_role(
        self, conn: Conn, staff: Staff, user_id: FromPath[UUID], data: JSONBody[RoleChange]
    ) -> Response[bytes]:
        return private_json(await accounts.set_user_role(conn, staff, user_id, data.role))
