"""HTTP for the embargo engine: journalist tokens, embargoed reading and the schedule."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from press.conditional import PRIVATE, conditional_response, private_json
from press.db import Conn
from press.embargo import lists, repository
from press.embargo.journalists import (
    Journalist,
    JournalistDep,
    new_journalist_token,
    provide_journalist,
)
from press.embargo.schemas import (
    EmbargoedRelease,
    EmbargoedReleasePage,
    EmbargoedText,
    EmbargoList,
    EmbargoListIn,
    EmbargoReadPage,
    IssuedJournalistToken,
    JournalistTokenCreate,
    JournalistTokenPage,
    SchedulePage,
)
from press.errors import InvalidInput, NotFound
from press.pagination import PageLimit, cut_page, page_limit, time_cursor, time_serial_cursor
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role


class JournalistTokenController(Controller):
    path = "/api/v1/manage/contacts/{contact_id:uuid}/tokens"
    tags = ["manage: contacts"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Issue a journalist token (shown once)",
        responses={201: ResponseSpec(IssuedJournalistToken)},
    )
    async def create_journalist_token(
        self,
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[JournalistTokenCreate | None] = None,
    ) -> Response[bytes]:
        require(staff, Role.editor, "issue journalist tokens")
        if not await repository.contact_exists(conn, contact_id):
            raise NotFound("No contact has this id.")
        issued = await issue_token(conn, contact_id, data or JournalistTokenCreate())
        await record_audit(
            conn, staff, "contact.token.issue", "contact", contact_id, {"token_id": str(issued.id)}
        )
        return private_response(issued, 201)  # the token itself: no cache may keep it

    @get(
        "/",
        summary="A contact's journalist tokens (never the tokens themselves)",
        responses={200: ResponseSpec(JournalistTokenPage)},
    )
    async def list_journalist_tokens(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        require(staff, Role.editor, "see journalist tokens")
        size, after = page_limit(limit), time_cursor(cursor)
        if not await repository.contact_exists(conn, contact_id):
            raise NotFound("No contact has this id.")
        rows = await repository.list_journalist_tokens(
            conn, contact_id, after=after, limit=size + 1
        )
        items, nxt = cut_page(request, rows, size, lambda t: (t.created_at.isoformat(), str(t.id)))
        return private_response(JournalistTokenPage(items=items, next=nxt))

    @delete("/{token_id:uuid}", status_code=204, summary="Revoke a journalist token at once")
    async def revoke_journalist_token(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], token_id: FromPath[UUID]
    ) -> None:
        require(staff, Role.editor, "revoke journalist tokens")
        made_with_it = await repository.revoke_journalist_token(conn, contact_id, token_id)
        if made_with_it is None:
            raise NotFound("This contact has no token with this id.")
        await record_audit(
            conn, staff, "contact.token.revoke", "contact", contact_id,
            revoked_token(token_id, made_with_it),
        )  # fmt: skip


def revoked_token(token_id: UUID, made_with_it: list[UUID]) -> dict[str, Any]:
    """An audit record's details of a revoked token: its id, and those made with it."""
    return {"token_id": str(token_id), "made_with_it": [str(t) for t in made_with_it]}


async def issue_token(
    conn: asyncpg.Connection,
    contact_id: UUID,
    request: JournalistTokenCreate,
    parent: Journalist | None = None,
) -> IssuedJournalistToken:
    """A new token for the contact, returned this once: only its hash is kept. Made with
    the journalist's own token (`parent`), it ends no later than that token."""
    token = new_journalist_token(request.scope)
    row = await repository.insert_journalist_token(
        conn, contact_id, token, request, parent.token_id if parent else None
    )
    if row is None:
        raise InvalidInput(
            "expires_at: the time has passed; give a time in the future, or none.",
            errors=[{"key": "expires_at", "message": "in the past"}],
        )
    return IssuedJournalistToken(
        id=row.id,
        contact_id=contact_id,
        token=token,
        label=row.label,
        scope=row.scope,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def private_response(value: Any, status: int = 200) -> Response[bytes]:
    return private_json(value, status_code=status)


def _embargoed(row: asyncpg.Record) -> EmbargoedRelease:
    return EmbargoedRelease(
        id=row["id"],
        source=row["source"],
        topics=row["topics"],
        # release_documents carries the Markdown source too; journalists get what the public
        # will get at the lift.
        translations={
            lang: msgspec.convert(text, EmbargoedText) for lang, text in row["translations"].items()
        },
        embargo=True,
        embargo_until=row["publish_at"],
        embargo_terms=row["embargo_terms"],
        updated_at=row["updated_at"],
    )


class EmbargoedReleaseController(Controller):
    """Accredited journalists read releases under embargo; every read is logged."""

    path = "/api/v1/embargoed/releases"
    tags = ["journalists: embargoed"]
    dependencies = {"journalist": Provide(provide_journalist)}

    @get(
        "/",
        summary="Releases under embargo, soonest lift first",
        responses={200: ResponseSpec(EmbargoedReleasePage)},
    )
    async def list_embargoed_releases(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        journalist: JournalistDep,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size, after = page_limit(limit), time_cursor(cursor)
        rows = await repository.list_embargoed_releases(
            conn, journalist.id, after=after, limit=size + 1
        )
        rows, nxt = cut_page(
            request, rows, size, lambda r: (r["publish_at"].isoformat(), str(r["id"]))
        )
        # Only what this page shows was read.
        await repository.record_embargo_reads(
            conn, journalist.id, journalist.token_id, [r["id"] for r in rows]
        )
        page = EmbargoedReleasePage(items=[_embargoed(r) for r in rows], next=nxt)
        return _journalist_response(request, msgspec.json.encode(page))

    @get(
        "/{key:str}",
        summary="One release under embargo",
        responses={200: ResponseSpec(EmbargoedRelease)},
    )
    async def get_embargoed_release(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        journalist: JournalistDep,
        key: FromPath[str],
    ) -> Response[bytes]:
        try:
            release_id = UUID(key)
        except ValueError:
            raise NotFound() from None
        row = await repository.fetch_embargoed_release(conn, release_id, journalist.id)
        if row is None:
            # Unknown, public already, scheduled without embargo, or not on this release's
            # embargo list: the same answer.
            raise NotFound()
        await repository.record_embargo_reads(
            conn, journalist.id, journalist.token_id, [release_id]
        )
        body = msgspec.json.encode(_embargoed(row))
        return _journalist_response(request, body)


def _journalist_response(request: Request[Any, Any, Any], body: bytes) -> Response[bytes]:
    return conditional_response(
        request, body, cache_control=PRIVATE, headers={"Vary": "Authorization, Accept-Language"}
    )


class ScheduleController(Controller):
    path = "/api/v1/manage"
    tags = ["manage: schedule"]
    dependencies = {"staff": Provide(provide_staff)}

    @get(
        "/schedule",
        summary="Everything scheduled, in lift order, with its lift time",
        responses={200: ResponseSpec(SchedulePage)},
    )
    async def list_schedule(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size, after = page_limit(limit), time_cursor(cursor)
        rows = await repository.list_schedule(conn, after=after, limit=size + 1)
        items, nxt = cut_page(request, rows, size, lambda r: (r.publish_at.isoformat(), str(r.id)))
        return private_response(SchedulePage(items=items, next=nxt))

    @get(
        "/releases/{release_id:uuid}/embargo-reads",
        summary="Who read this release under embargo, and when",
        responses={200: ResponseSpec(EmbargoReadPage)},
    )
    async def list_embargo_reads(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        release_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        require(staff, Role.editor, "see who read embargoed releases")
        size, after = page_limit(limit), time_serial_cursor(cursor)
        if not await repository.release_exists(conn, release_id):
            raise NotFound("No release has this id.")
        rows = await repository.list_embargo_reads(conn, release_id, after=after, limit=size + 1)
        reads, nxt = cut_page(request, rows, size, lambda e: (e.at.isoformat(), e.id))
        return private_response(EmbargoReadPage(items=reads, next=nxt))

    @get(
        "/releases/{release_id:uuid}/embargo-list",
        summary="Who may have this release before its lift",
        responses={200: ResponseSpec(EmbargoList)},
    )
    async def get_embargo_list(
        self, conn: Conn, staff: Staff, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        require(staff, Role.editor, "see embargo lists")
        if not await repository.release_exists(conn, release_id):
            raise NotFound("No release has this id.")
        return private_response(await lists.embargo_list(conn, release_id))

    @put(
        "/releases/{release_id:uuid}/embargo-list",
        summary="Set who may have this release before its lift (empty: every accredited "
        "journalist)",
        responses={200: ResponseSpec(EmbargoList)},
    )
    async def set_embargo_list(
        self,
        conn: Conn,
        staff: Staff,
        release_id: FromPath[UUID],
        data: JSONBody[EmbargoListIn],
    ) -> Response[bytes]:
        listed = await lists.set_embargo_list(conn, release_id, data.contacts, staff)
        return private_response(listed)
