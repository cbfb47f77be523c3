"""`GET /releases/{id or slug}`: a published release as a page of the press room.

Feed readers, e-mail and calendar links and search engines need a page a person can read;
the city website is that page where it exists (PRESS_RELEASE_URL_TEMPLATE), and this one is
the default. The same lookup and visibility as the JSON detail (`public_release`), cached
the same way; an address with nothing published gets an HTML 404, a withdrawn release an
HTML 410. Every text is escaped; the body is the release's sanitised HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from markupsafe import Markup

from press.archive import repository as files
from press.archive.public_files import to_public_file
from press.archive.schemas import PublicFile
from press.errors import NotFound
from press.public_cache import Built
from press.releases.detail import parse_key, public_release
from press.releases.public import check_lang, language_preference
from press.releases.schemas import PublicRelease
from press.settings import Settings
from press.web import i18n
from press.web.caching import cached_page, html_built, missing_page, page_key
from press.web.layout import LANGUAGE_NAMES, Link, render, site_name

OG_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def file_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB"


def news_article(item: PublicRelease, image: PublicFile | None, settings: Settings) -> Any:
    """The release as schema.org NewsArticle, for search engines and link previews."""
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title,
        "description": item.lead,
        "inLanguage": item.lang,
        "url": item.url,
        "mainEntityOfPage": item.url,
        "datePublished": item.published_at.isoformat(),
        "dateModified": item.updated_at.isoformat(),
        "articleSection": item.source.name,
        "keywords": [topic.name for topic in item.topics],
        "author": {"@type": "GovernmentOrganization", "name": item.source.name},
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": site_name(settings),
            "logo": {"@type": "ImageObject", "url": settings.public_url + settings.site_logo_url},
        },
    }
    if image is not None:
        article["image"] = {
            "@type": "ImageObject",
            "url": image.renditions["web"],
            "caption": image.caption or image.alt,
            **({"creditText": image.credit} if image.credit else {}),
        }
    return article


def release_context(
    item: PublicRelease, files: list[PublicFile], asked: str | None, settings: Settings
) -> dict[str, Any]:
    """What release.html shows of `item`; `asked`: the language the reader chose, if any."""
    zone = settings.zone
    lang = asked or item.lang
    images = [f for f in files if f.renditions]
    image = images[0] if images else None
    missing = None
    if asked and asked != item.lang:
        missing = i18n.gettext(
            "This release is not published in {language}. It is shown in its own language."
        ).format(language=i18n.gettext(LANGUAGE_NAME_IN_SENTENCE[asked]))
    return {
        "item": item,
        "body_html": Markup(item.body_html),  # noqa: S704 - sanitised by press.releases.render
        "image": image,
        "attachments": [
            {"url": f.url, "title": f.title, "filename": f.filename, "size_text": file_size(f.size)}
            for f in files
            if f is not image
        ],
        "has_files": bool(files),
        "published": i18n.local_datetime(item.published_at, lang, zone),
        "updated": i18n.local_datetime(item.updated_at, lang, zone)
        if (item.updated_at - item.published_at).total_seconds() > 60
        else None,
        "corrections": [
            {"at": c.at, "note": c.note, "when": i18n.local_datetime(c.at, lang, zone)}
            for c in item.corrections
        ],
        "events": [
            {
                "id": e.id,
                "title": e.title,
                "starts_at": e.starts_at,
                "when": i18n.local_datetime(e.starts_at, lang, zone),
            }
            for e in item.events
        ],
        "missing_language": missing,
        "og_locale": OG_LOCALES[item.lang],
        "og_alternate_locales": [OG_LOCALES[c] for c in item.languages if c != item.lang],
        "structured": news_article(item, image, settings),
    }


# "…is not published in {language}": the language as a sentence names it.
LANGUAGE_NAME_IN_SENTENCE = {
    "fi": i18n.gettext_noop("Finnish"),
    "sv": i18n.gettext_noop("Swedish"),
    "en": i18n.gettext_noop("English"),
}


class ReleasePageController(Controller):
    path = "/releases"
    tags = ["public: releases"]
    include_in_schema = False

    @get("/{key:str}", summary="One published release as an HTML page")
    async def release_page(
        self,
        request: Request[Any, Any, Any],
        state: State,
        key: FromPath[str],
        lang: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        check_lang(lang)
        accept_language = request.headers.get("accept-language")
        reader = lang or i18n.reader_language(accept_language)
        settings: Settings = state.settings
        try:
            lookup = parse_key(key)
        except NotFound:
            return missing_page(request, reader, gone=False)

        async def build(conn: asyncpg.Connection) -> Built:
            item, row, seconds = await public_release(conn, state, lookup, lang, accept_language)
            public = settings.public_url
            base = f"{public}/releases/{item.id}"
            rows = await files.list_public_release_files(conn, item.id)

            def href(code: str) -> str:
                return f"{base}?{urlencode({'lang': code})}"

            shown = lang or item.lang
            languages = [
                Link(href(code), LANGUAGE_NAMES[code], lang=code, current=code == item.lang)
                for code in item.languages
            ]
            with i18n.speaking(shown):
                shown_release = release_context(
                    item,
                    [to_public_file(r, [item.lang], public) for r in rows],
                    lang,
                    settings=settings,
                )
            body = render(
                request,
                "release.html",
                shown,
                section="/",
                languages=languages,
                alternates=[(code, href(code)) for code in item.languages],
                urls={
                    "api": f"{public}/api/v1/releases/{item.id}?lang={item.lang}",
                    "press_kit": f"{public}/api/v1/releases/{item.id}/press-kit.zip",
                },
                feeds=[
                    {
                        "type": "application/rss+xml",
                        "title": "RSS",
                        "href": f"{public}/feeds/releases.rss?lang={item.lang}",
                    }
                ],
                **shown_release,
            )
            return html_built(
                settings,
                shown,
                body,
                seconds,
                row["modified_at"],
            )

        preference = language_preference(lang, accept_language)
        key_of_page = page_key(request, {"lang": lang}, preference[0])
        return await cached_page(request, key_of_page, reader, build)
