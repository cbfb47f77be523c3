"""HTTP for releases: the staff API under /api/v1/manage and the public read path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.archive.public_search import search_page
from press.conditional import private_json
from press.db import Conn
from press.errors import InvalidInput
from press.instants import InstantQuery, parse_instant
from press.pagination import PageLimit, cut_page, id_cursor, next_link, page_limit, time_cursor
from press.problem_responses import problems
from press.public_cache import Built, Entry, cached_entry, cached_public, respond
from press.public_cache import cache_key as public_cache_key
from press.releases import actions, repository
from press.releases.detail import parse_key, public_release
from press.releases.public import (
    LANG_ONLY,
    PUBLIC_LIST_PARAMETERS,
    LangQuery,
    check_lang,
    language_preference,
    to_public,
)
from press.releases.schemas import (
    CorrectRequest,
    OptionalReason,
    PublicRelease,
    PublicReleasePage,
    PublishRequest,
    Release,
    ReleaseCreate,
    ReleasePage,
    ReleaseUpdate,
    RevisionPage,
    WithdrawRequest,
)
from press.staff.auth import Staff, provide_staff

STATES = ("draft", "in_review", "approved", "scheduled", "published", "withdrawn")
FEED_LINKS = (
    '</feeds/releases.rss>; rel="alternate"; type="application/rss+xml", '
    '</feeds/releases.atom>; rel="alternate"; type="application/atom+xml"'
)


def _staff_response(release: Release, status: int = 200) -> Response[bytes]:
    return private_json(release, actions.release_etag(release), status)


def _change_response(outcome: tuple[Release, bool]) -> Response[bytes]:
    """200 with a change applied; 202 with it held for another approver (`pending_change`)."""
    release, held = outcome
    return _staff_response(release, 202 if held else 200)


def _check_choice(name: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise InvalidInput(
            f"{name} must be one of {', '.join(choices)}",
            errors=[{"key": name, "message": "unknown value"}],
        )


class ManageReleaseController(Controller):
    path = "/api/v1/manage/releases"
    tags = ["manage: releases"]
    dependencies = {"staff": Provide(provide_staff)}

    @post(
        "/",
        summary="Create a release (draft)",
        responses={201: ResponseSpec(Release, description="The new release")},
    )
    async def create_release(
        self, conn: Conn, staff: Staff, data: JSONBody[ReleaseCreate]
    ) -> Response[bytes]:
        return _staff_response(await actions.create_release(conn, data, staff), 201)

    @get("/", summary="All releases in every state, most recently changed first")
    async def list_releases(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        release_state: Annotated[str | None, QueryParameter(name="state")] = None,
        source: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> ReleasePage:
        _check_choice("state", release_state, STATES)
        size = page_limit(limit)
        items, now = await repository.list_releases(
            conn, release_state, source, time_cursor(cursor), size + 1
        )
        items, nxt = cut_page(request, items, size, lambda r: (r.updated_at.isoformat(), str(r.id)))
        if now is not None:
            items = [actions.with_actions(r, now, staff) for r in items]
        return ReleasePage(items=items, next=nxt)

    @get(
        "/{release_id:uuid}",
        summary="One release in any state",
        responses={200: ResponseSpec(Release)},
    )
    async def get_release(
        self, conn: Conn, staff: Staff, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        release, now = await actions.load(conn, release_id)
        return _staff_response(actions.with_actions(release, now, staff))

    @patch(
        "/{release_id:uuid}",
        summary="Change a release; send If-Match with its ETag. A change of a scheduled or "
        "published release is held (202) until another approver approves it",
        responses={
            200: ResponseSpec(Release, description="The change is made"),
            202: ResponseSpec(Release, description="The change waits in `pending_change`"),
            **problems(412, 428),
        },
    )
    async def update_release(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        state: State,
        release_id: FromPath[UUID],
        data: JSONBody[ReleaseUpdate],
    ) -> Response[bytes]:
        outcome = await actions.update_release(
            conn,
            release_id,
            data,
            staff,
            request.headers.get("if-match"),
            settings=state.settings,
        )
        return _change_response(outcome)

    @get(
        "/{release_id:uuid}/revisions",
        summary="Revisions kept since the release went public, newest first",
    )
    async def list_revisions(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        release_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> RevisionPage:
        size, before = page_limit(limit), id_cursor(cursor)
        await actions.load(conn, release_id)
        rows = await repository.list_revisions(conn, release_id, before=before, limit=size + 1)
        items, nxt = cut_page(request, rows, size, lambda r: (r.id,))
        return RevisionPage(items=items, next=nxt)

    @post(
        "/{release_id:uuid}/submit",
        status_code=200,
        summary="Send a draft for approval",
        responses={200: ResponseSpec(Release)},
    )
    async def submit_release(
        self, conn: Conn, staff: Staff, state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _staff_response(
            await actions.move(conn, release_id, "submit", staff, settings=state.settings)
        )

    @post(
        "/{release_id:uuid}/return",
        status_code=200,
        summary="Return a release in review to its writer",
        responses={200: ResponseSpec(Release)},
    )
    async def return_release(
        self,
        conn: Conn,
        staff: Staff,
        state: State,
        release_id: FromPath[UUID],
        data: JSONBody[OptionalReason | None] = None,
    ) -> Response[bytes]:
        reason = data.reason if data else None
        return _staff_response(
            await actions.move(
                conn, release_id, "return", staff, settings=state.settings, reason=reason
            )
        )

    @post(
        "/{release_id:uuid}/approve",
        status_code=200,
        summary="Approve a release in review",
        responses={200: ResponseSpec(Release)},
    )
    async def approve_release(
        self, conn: Conn, staff: Staff, state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _staff_response(
            await actions.move(conn, release_id, "approve", staff, settings=state.settings)
        )

    @post(
        "/{release_id:uuid}/publish",
        status_code=200,
        summary="Publish now, or schedule for `at` (with `embargo` for early access)",
        responses={200: ResponseSpec(Release)},
    )
    async def publish_release(
        self,
        conn: Conn,
        staff: Staff,
        release_id: FromPath[UUID],
        data: JSONBody[PublishRequest | None] = None,
    ) -> Response[bytes]:
        request_data = data or PublishRequest()
        return _staff_response(await actions.publish_release(conn, release_id, request_data, staff))

    @post(
        "/{release_id:uuid}/unschedule",
        status_code=200,
        summary="Take a scheduled release back to approved before it lifts",
        responses={200: ResponseSpec(Release)},
    )
    async def unschedule_release(
        self, conn: Conn, staff: Staff, state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _staff_response(
            await actions.move(conn, release_id, "unschedule", staff, settings=state.settings)
        )

    @post(
        "/{release_id:uuid}/correct",
        status_code=200,
        summary="Correct a published release; the note is shown publicly. Held (202) until "
        "another approver approves it",
        responses={
            200: ResponseSpec(Release, description="The correction is made"),
            202: ResponseSpec(Release, description="The correction waits for approval"),
        },
    )
    async def correct_release(
        self,
        conn: Conn,
        staff: Staff,
        state: State,
        release_id: FromPath[UUID],
        data: JSONBody[CorrectRequest],
    ) -> Response[bytes]:
        outcome = await actions.correct_release(
            conn, release_id, data, staff, settings=state.settings
        )
        return _change_response(outcome)

    @post(
        "/{release_id:uuid}/approve-change",
        status_code=200,
        summary="Approve the release's pending change (a correction or edit): it takes effect",
        responses={200: ResponseSpec(Release)},
    )
    async def approve_change(
        self, conn: Conn, staff: Staff, state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _staff_response(
            await actions.approve_change(conn, release_id, staff, settings=state.settings)
        )

    @post(
        "/{release_id:uuid}/reject-change",
        status_code=200,
        summary="Drop the release's pending change (its author, or an approver)",
        responses={200: ResponseSpec(Release)},
    )
    async def reject_change(
        self,
        conn: Conn,
        staff: Staff,
        release_id: FromPath[UUID],
        data: JSONBody[OptionalReason | None] = None,
    ) -> Response[bytes]:
        reason = data.reason if data else None
        return _staff_response(await actions.reject_change(conn, release_id, staff, reason))

    @post(
        "/{release_id:uuid}/withdraw",
        status_code=200,
        summary="Withdraw a release: `reason` stays internal, `public_note` is the tombstone's",
        responses={200: ResponseSpec(Release)},
    )
    async def withdraw_release(
        self, conn: Conn, staff: Staff, release_id: FromPath[UUID], data: JSONBody[WithdrawRequest]
    ) -> Response[bytes]:
        release = await actions.withdraw_release(
            conn, release_id, data.reason, staff, public_note=data.public_note
        )
        return _staff_response(release)


async def public_release_list(
    request: Request[Any, Any, Any],
    *,
    source: str | None,
    topic: str | None,
    lang: str | None,
    q: str | None,
    since: str | None,
    until: str | None,
    updated_since: str | None,
    cursor: str | None,
    limit: int | None,
) -> Entry:
    """The public list (newest first, changes since, or a search), as the cache holds it:
    answered by the list handler, and before routing by press.edge (`public_list_early`)."""
    state = request.app.state
    check_lang(lang)
    size = page_limit(limit)
    preference = language_preference(lang, request.headers.get("accept-language"))
    if q and q.strip() and updated_since is None:
        # Full-text search: ranked, with snippets (press/archive/public_search.py).
        search_from, search_until = parse_instant("since", since), parse_instant("until", until)

        async def build_search(conn: asyncpg.Connection) -> Built | Callable[[], Built]:
            return await search_page(
                request,
                conn,
                state.settings,
                q=q,
                source=source,
                topic=topic,
                lang=lang,
                since=search_from,
                until=search_until,
                cursor=cursor,
                size=size,
                preference=preference,
            )

        key = public_cache_key(request, preference[0], reads=PUBLIC_LIST_PARAMETERS)
        return await cached_entry(request, key, build_search)
    position = time_cursor(cursor)
    changed_after = parse_instant("updated_since", updated_since)
    published_from, published_until = (
        parse_instant("since", since),
        parse_instant("until", until),
    )
    if q is not None and len(q) > 200:
        raise InvalidInput(
            "q must be at most 200 characters", errors=[{"key": "q", "message": "too long"}]
        )
    settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        # Outside a transaction (no BEGIN, no COMMIT). The time to the next lift is never
        # read after the rows: the list reads both in one statement, so they agree (or its
        # rows alone, after the time a build of this generation kept); changes since read
        # the time first. A lift between two statements then shows in the rows and ends the
        # page's lifetime at once, never the other way round.
        if changed_after is not None:
            sources, topics, seconds = await repository.public_lookups(conn, state.public_cache)
            rows = await repository.list_public_changes(
                conn,
                updated_since=changed_after,
                source=source,
                topic=topic,
                lang=lang,
                after=position,
                limit=size + 1,
            )
        else:
            (sources, topics, seconds), rows = await repository.list_public_releases_with_lookups(
                conn,
                state.public_cache,
                source=source,
                topic=topic,
                lang=lang,
                since=published_from,
                until=published_until,
                after=position,
                limit=size + 1,
            )
        if any(r["source"] not in sources for r in rows[:size]):
            # A source added since the names were read: their names now, the lifetime above.
            sources, topics, _ = await repository.public_lookups(conn)
        items = [
            to_public(r, preference, sources, topics, settings.release_url) for r in rows[:size]
        ]
        nxt = None
        if len(rows) > size:
            last = rows[size - 1]
            key = last["modified_at"] if changed_after is not None else last["publish_at"]
            nxt = next_link(request, key.isoformat(), str(last["id"]), reads=PUBLIC_LIST_PARAMETERS)
        return Built(
            body=msgspec.json.encode(PublicReleasePage(items=items, next=nxt)),
            seconds_to_next_lift=seconds,
            last_modified=max((r["modified_at"] for r in rows[:size]), default=None),
            headers={"Link": FEED_LINKS},
        )

    cache_key = public_cache_key(request, preference[0], reads=PUBLIC_LIST_PARAMETERS)
    return await cached_entry(request, cache_key, build, snapshot=False)


async def public_list_early(
    request: Request[Any, Any, Any], parameters: dict[str, str]
) -> Entry | None:
    """`public_release_list` for press.edge, from its parameters as given once each: None
    when `limit` is not a plain number, which the handler's parsing decides."""
    limit = parameters.get("limit")
    if limit is not None and not (limit.isascii() and limit.isdigit() and limit[0] != "0"):
        return None
    given: dict[str, Any] = {name: parameters.get(name) for name in PUBLIC_LIST_PARAMETERS}
    given["limit"] = int(limit) if limit is not None else None
    return await public_release_list(request, **given)


class PublicReleaseController(Controller):
    path = "/api/v1/releases"
    tags = ["public: releases"]

    @get(
        "/",
        summary="Published releases, newest first (or changes since, for sync)",
        responses={200: ResponseSpec(PublicReleasePage)},
    )
    async def list_public_releases(
        self,
        request: Request[Any, Any, Any],
        source: FromQuery[str | None] = None,
        topic: FromQuery[str | None] = None,
        lang: LangQuery = None,
        q: FromQuery[str | None] = None,
        since: InstantQuery = None,
        until: InstantQuery = None,
        updated_since: InstantQuery = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        entry = await public_release_list(
            request,
            source=source,
            topic=topic,
            lang=lang,
            q=q,
            since=since,
            until=until,
            updated_since=updated_since,
            cursor=cursor,
            limit=limit,
        )
        return respond(request, entry)

    @get(
        "/{key:str}",
        summary="One published release, by id or slug",
        responses={200: ResponseSpec(PublicRelease), **problems(410)},
    )
    async def get_public_release(
        self,
        request: Request[Any, Any, Any],
        state: State,
        key: FromPath[str],
        lang: LangQuery = None,
    ) -> Response[bytes]:
        check_lang(lang)
        lookup = parse_key(key)
        accept_language = request.headers.get("accept-language")

        async def build(conn: asyncpg.Connection) -> Built:
            item, row, seconds = await public_release(conn, state, lookup, lang, accept_language)
            return Built(
                body=msgspec.json.encode(item),
                seconds_to_next_lift=seconds,
                last_modified=row["modified_at"],
                headers={"Content-Language": item.lang, "Link": FEED_LINKS},
            )

        preference = language_preference(lang, accept_language)
        cache_key = public_cache_key(request, preference[0], reads=LANG_ONLY)
        return await cached_public(request, cache_key, build)
