"""Media contacts: the department's people for the media, from the registry, and the
on-call number (PRESS_ON_CALL_PHONE)."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Request, Response, get
from litestar.datastructures import State

from press.public_cache import Built
from press.releases import repository as releases
from press.releases.public import FALLBACK_ORDER
from press.settings import Settings
from press.web.caching import cached_page, html_built, page_key
from press.web.layout import LANGUAGE_NAMES, render


def shown_contact(row: Any, lang: str, topics: dict[str, Any]) -> dict[str, Any]:
    titles = row["title"] or {}
    title = next((titles[c] for c in (lang, *FALLBACK_ORDER) if titles.get(c)), "")
    return {
        "name": row["name"],
        "title": title,
        "phone": row["phone"],
        "email": row["email"],
        "topics": [topics[t][f"name_{lang}"] for t in row["topics"] if t in topics],
        "languages": [LANGUAGE_NAMES[c] for c in row["languages"] if c in LANGUAGE_NAMES],
    }


@get(["/fi/contacts/", "/sv/contacts/", "/en/contacts/"], include_in_schema=False)
async def contacts_page(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    lang = request.scope["path"].strip("/")[:2]
    settings: Settings = state.settings

    async def build(conn: asyncpg.Connection) -> Built:
        rows = await releases.list_media_contacts(conn)
        lookups = await releases.public_lookups(conn, state.public_cache)
        contacts = [shown_contact(row, lang, lookups.topics) for row in rows]
        body = render(
            request,
            "contacts.html",
            lang,
            section="/contacts/",
            contacts=contacts,
            on_call=settings.on_call_phone,
        )
        return html_built(
            settings,
            lang,
            body,
            lookups.seconds_to_next_lift,
            max((row["updated_at"] for row in rows), default=None),
        )

    return await cached_page(request, page_key(request, {}, lang), lang, build)
