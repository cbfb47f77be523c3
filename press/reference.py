"""Public reference lists: sources, topics and the press office's media contacts."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi import ResponseSpec

from press.conditional import conditional_response
from press.db import Conn
from press.errors import InvalidInput
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
    next: None = None


class MediaContactList(msgspec.Struct):
    items: list[MediaContact]
    next: None = None


def _named(rows: list[asyncpg.Record], lang: str) -> NamedList:
    return NamedList(
        items=[
            NamedEntry(
                slug=r["slug"],
                name=r[f"name_{lang}"],
                names={"fi": r["name_fi"], "sv": r["name_sv"], "en": r["name_en"]},
            )
            for r in rows
        ]
    )


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
        self, request: Request[Any, Any, Any], conn: Conn, lang: LangQuery = None
    ) -> Response[bytes]:
        chosen = language_preference(_lang(lang), request.headers.get("accept-language"))[0]
        body = msgspec.json.encode(_named(await repository.list_sources(conn), chosen))
        return conditional_response(request, body, cache_control=CACHE)

    @get(
        "/topics",
        summary="The topics releases are filed under",
        responses={200: ResponseSpec(NamedList)},
    )
    async def list_topics(
        self, request: Request[Any, Any, Any], conn: Conn, lang: LangQuery = None
    ) -> Response[bytes]:
        chosen = language_preference(_lang(lang), request.headers.get("accept-language"))[0]
        body = msgspec.json.encode(_named(await repository.list_topics(conn), chosen))
        return conditional_response(request, body, cache_control=CACHE)

    @get(
        "/media-contacts",
        summary="The press office's contact persons for the media",
        responses={200: ResponseSpec(MediaContactList)},
    )
    async def list_media_contacts(
        self, request: Request[Any, Any, Any], conn: Conn
    ) -> Response[bytes]:
        rows = await repository.list_media_contacts(conn)
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
        body = msgspec.json.encode(MediaContactList(items=items))
        return conditional_response(request, body, cache_control=CACHE)
