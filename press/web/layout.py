"""What every page shares: the Jinja2 environment (through Litestar's template engine), the
one layout's navigation and language switcher, and the headers a page is sent with."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
from jinja2 import Environment, PackageLoader, select_autoescape
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler
from markupsafe import Markup

from press.settings import Settings
from press.web import i18n

STATIC_DIR = Path(__file__).parent / "static"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
# The sections of the press room under each language, as (path below /{lang}, label).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("/", "Releases"),
    ("/events/", "Events"),
    ("/contacts/", "Media contacts"),
    ("/media-bank/", "Media bank"),
    ("/about/", "About us"),
)
# A translator finds each label here, as it is written above (the extractor reads calls).
_LABELS = (
    i18n.gettext_noop("Releases"),
    i18n.gettext_noop("Events"),
    i18n.gettext_noop("Media contacts"),
    i18n.gettext_noop("Media bank"),
    i18n.gettext_noop("About us"),
)


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Templates autoescape everything; messages come from the page language's catalog."""
    environment = Environment(
        loader=PackageLoader("press.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    environment.filters["json_ld"] = json_ld
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def static_files() -> ControllerRouterHandler:
    """The stylesheets and the logo, from press itself: no page names a third-party host."""
    return create_static_files_router(
        path="/static",
        directories=[STATIC_DIR],
        cache_control=None,
        include_in_schema=False,
        send_as_attachment=False,
    )


def json_ld(value: Any) -> Markup:
    """`value` as JSON inside a <script> data block: nothing in it can close the element."""
    text = msgspec.json.encode(value).decode()
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 - escaped above for the script element's content


def page_headers(settings: Settings) -> dict[str, str]:
    """Only press's own styles and images (and the public address's, should press sit behind
    another host name); no script runs, and no other site may frame a page."""
    own = urlsplit(settings.public_url)
    images = f"'self' {own.scheme}://{own.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; img-src {images}; style-src 'self'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    lang: str = ""
    current: bool = False


def navigation(lang: str, section: str) -> list[Link]:
    return [
        Link(f"/{lang}{path}", i18n.gettext(label), current=path == section)
        for path, label in SECTIONS
    ]


def language_links(lang: str, available: Iterable[str], href: Callable[[str], str]) -> list[Link]:
    """The switcher: each language the page exists in, named in that language."""
    return [
        Link(href(code), LANGUAGE_NAMES[code], lang=code, current=code == lang)
        for code in available
    ]


def site_name(settings: Settings) -> str:
    return settings.site_name or i18n.gettext("City press room")


def render(request: Request[Any, Any, Any], template: str, lang: str, **context: Any) -> bytes:
    """The page `template` in `lang`, on the layout; `context` says what it shows. A page
    passes `section` (its path below /{lang}) unless it has its own language links.

    A template extends base.html and fills `main` (and `title`, `head`); a surface with a
    navigation of its own (the console) replaces the `header` and `footer` blocks."""
    settings: Settings = request.app.state.settings
    with i18n.speaking(lang):
        section = context.pop("section", None)
        if "languages" not in context:
            context["languages"] = language_links(
                lang, i18n.LANGS, lambda code: f"/{code}{section or '/'}"
            )
        engine = request.app.template_engine
        assert engine is not None, "create_app configures the template engine"
        page = engine.get_template(template)
        text: str = page.render(
            lang=lang,
            site_name=site_name(settings),
            logo_url=settings.site_logo_url,
            nav=navigation(lang, section or ""),
            **context,
        )
    return text.encode()
