"""Public reference lists: sources, topics and the press office's media contacts."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery

from press.conditional import conditional_response
from press.db import Conn
from press.errors import InvalidInput
from press.pagination import Int4, PageLimit, cursor_position, cut_page, page_limit
from press.releases import repository
from press.releases.public import LangQuery, language_preference
from press.releases.schemas import LANGS


class NamedEntry(msgspec.Struct):
    slug: str
    name: str
    names: dict[str, str]


class MediaContact(msgspec.Struct):
    id: str
    name: str
    title: dict[str, str]
    phone: str
    email: str
    topics: list[str]
    languages: list[str]


class NamedList(msgspec.Struct):
    items: list[NamedEntry]
    next: str | None


class MediaContactList(msgspec.Struct):
    items: list[MediaContact]
    next: str | None


# Where a source or topic stands in its list: (position, slug); a media contact: (position,
# name, id).
NamedPosition = cast("type[tuple[int, str]]", tuple[Int4, str])
ContactPosition = cast("type[tuple[int, str, UUID]]", tuple[Int4, str, UUID])


def _named(
    request: Request[Any, Any, Any], rows: list[asyncpg.Record], size: int, lang: str
) -> NamedList:
    rows, nxt = cut_page(request, rows, size, lambda r: (r["position"], r["slug"]))
    items = [
        NamedEntry(
            slug=r["slug"],
            name=r[f"name_{lang}"],
            names={"fi": r["name_fi"], "sv": r["name_sv"], "en": r["name_en"]},
        )
        for r in rows
    ]
    return NamedList(items=items, next=nxt)


CACHE = "public, max-age=300"


def _lang(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGS:
        raise InvalidInput(
            f"lang must be one of {', '.join(LANGS)}",
            errors=[{"key": "lang", "message": "unknown value"}],
        )
    return lang


class ReferenceController(Controller):
    path = "/api/v1"
    tags = ["public: reference"]

    @get(
        "/sources",
        summary="The bodies releases come from",
        responses={200: ResponseSpec(NamedList)},
    )
    async def list_sources(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        lang: LangQuery = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        chosen = language_preference(_lang(lang), request.headers.get("accept-language"))[0]
        size, after = page_limit(limit), cursor_position(cursor, NamedPosition)
        rows = await repository.list_sources(conn, after=after, limit=size + 1)
        body = msgspec.json.encode(_named(request, rows, size, chosen))
        return conditional_response(request, body, cache_control=CACHE)

    @get(
        "/topics",
        summary="The topics releases are filed under",
        responses={200: ResponseSpec(NamedList)},
    )
    async def list_topics(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        lang: LangQuery = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        chosen = language_preference(_lang(lang), request.headers.get("accept-language"))[0]
        size, after = page_limit(limit), cursor_position(cursor, NamedPosition)
        rows = await repository.list_topics(conn, after=after, limit=size + 1)
        body = msgspec.json.encode(_named(request, rows, size, chosen))
        return conditional_response(request, body, cache_control=CACHE)

    @get(
        "/media-contacts",
        summary="The press office's contact persons for the media",
        responses={200: ResponseSpec(MediaContactList)},
    )
    async def list_media_contacts(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size, after = page_limit(limit), cursor_position(cursor, ContactPosition)
        rows = await repository.list_media_contacts(conn, after=after, limit=size + 1)
        rows, nxt = cut_page(
            request, rows, size, lambda r: (r["position"], r["name"], str(r["id"]))
        )
        items = [
            MediaContact(
                id=str(r["id"]),
                name=r["name"],
                title=r["title"],
                phone=r["phone"],
                email=r["email"],
                topics=list(r["topics"]),
                languages=list(r["languages"]),
            )
            for r in rows
        ]
        body = msgspec.json.encode(MediaContactList(items=items, next=nxt))
        return conditional_response(request, body, cache_control=CACHE)
