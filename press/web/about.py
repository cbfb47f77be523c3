"""The page about the communications department: a text admins edit, per language.

An admin saves Markdown (`PUT /api/v1/manage/site-texts/about/{lang}`); it is rendered to
sanitised HTML by the release renderer and kept beside its source. A language nobody has
saved shows the text shipped with press (press/web/content/about.<lang>.md): the
department's own page, as demo content that works from the first start.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from markupsafe import Markup

from press.conditional import private_json
from press.db import Conn, queries_beside
from press.public_cache import Built
from press.releases import repository as releases
from press.releases.render import render_markdown
from press.settings import Settings
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role
from press.web import i18n
from press.web.caching import cached_page, html_built, page_key
from press.web.layout import render

Q = queries_beside(__file__)
TextName = Literal["about"]
Lang = Literal["fi", "sv", "en"]


class SiteText(msgspec.Struct):
    """A text of the press room in one language; `updated_at` is null for the shipped one."""

    name: str
    lang: str
    body: str
    body_html: str
    updated_at: datetime | None = None


class SiteTextUpdate(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=100_000)]


@cache
def shipped_text(name: str, lang: str) -> SiteText:
    source = resources.files("press.web") / "content" / f"{name}.{lang}.md"
    body = source.read_text(encoding="utf-8")
    return SiteText(name=name, lang=lang, body=body, body_html=render_markdown(body))


async def fetch_site_text(conn: asyncpg.Connection, name: str, lang: str) -> SiteText:
    row = await conn.fetchrow(Q["fetch_site_text"], name, lang)
    return SiteText(**dict(row)) if row else shipped_text(name, lang)


async def save_site_text(
    conn: asyncpg.Connection, name: str, lang: str, body: str, staff: Staff
) -> SiteText:
    row = await conn.fetchrow(
        Q["save_site_text"], name, lang, body, render_markdown(body), staff.id
    )
    return SiteText(**dict(row))


def _text_response(text: SiteText) -> Response[bytes]:
    return private_json(text)


class SiteTextController(Controller):
    path = "/api/v1/manage/site-texts"
    tags = ["manage: site texts"]
    dependencies = {"staff": Provide(provide_staff)}

    @get(
        "/{name:str}/{lang:str}",
        summary="A text of the press room (the about page)",
        responses={200: ResponseSpec(SiteText)},
    )
    async def get_site_text(
        self, conn: Conn, staff: Staff, name: FromPath[TextName], lang: FromPath[Lang]
    ) -> Response[bytes]:
        require(staff, Role.viewer, "read the press room's texts")
        return _text_response(await fetch_site_text(conn, name, lang))

    @put(
        "/{name:str}/{lang:str}",
        summary="Change a text of the press room, in Markdown",
        responses={200: ResponseSpec(SiteText)},
    )
    async def update_site_text(
        self,
        conn: Conn,
        staff: Staff,
        name: FromPath[TextName],
        lang: FromPath[Lang],
        data: JSONBody[SiteTextUpdate],
    ) -> Response[bytes]:
        require(staff, Role.admin, "edit the press room's texts")
        text = await save_site_text(conn, name, lang, data.body, staff)
        await record_audit(conn, staff, "site_text.update", "site_text", f"{name}/{lang}")
        return _text_response(text)


@get(["/fi/about/", "/sv/about/", "/en/about/"], include_in_schema=False)
async def about_page(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    lang = request.scope["path"].strip("/")[:2]
    settings: Settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        text = await fetch_site_text(conn, "about", lang)
        seconds = (await releases.public_lookups(conn, state.public_cache)).seconds_to_next_lift
        with i18n.speaking(lang):
            heading = i18n.gettext("About the communications department")
        body = render(
            request,
            "about.html",
            lang,
            section="/about/",
            heading=heading,
            body_html=Markup(text.body_html),  # noqa: S704 - sanitised by render_markdown
        )
        return html_built(
            settings,
            lang,
            body,
            seconds,
            text.updated_at,
        )

    return await cached_page(request, page_key(request, {}, lang), lang, build)
