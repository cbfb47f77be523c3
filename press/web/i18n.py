"""The pages' languages: Babel message catalogs, and dates as a reader in the city writes them.

Messages are written in English in the templates and code (`gettext`), and translated in
`locales/<lang>/LC_MESSAGES/messages.po` (the press room) and `desk.po` (the journalist's
desk), merged into one catalog per language; the staff console's in `console.po`, a domain of
its own. Only the .po files are kept and shipped: they are
compiled in memory when the app starts (`load_catalogs`), which takes a few milliseconds, so
an installed wheel, an editable install and a fresh checkout behave alike and no compiled
file can go stale beside its source.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from press.releases.public import FALLBACK_ORDER, parse_accept_language

LANGS: tuple[str, ...] = FALLBACK_ORDER
# The city's conventions in each language: Finland's Finnish and Swedish, British English.
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
DOMAIN = "messages"
# Catalogs merged into DOMAIN's, each kept by the people who write its pages.
MORE_DOMAINS = ("desk",)
CONSOLE_DOMAIN = "console"
# The language a page is being rendered in: templates' gettext reads it (`render` sets it).
current_translations: ContextVar[Translations] = ContextVar("press_web_translations")


@cache
def load_catalogs(domain: str = DOMAIN) -> Mapping[str, Translations]:
    """Every language's catalog of `domain`, compiled from its .po file in the package."""
    catalogs: dict[str, Translations] = {}
    locales = resources.files("press.web") / "locales"
    for lang in LANGS:
        folder = locales / lang / "LC_MESSAGES"
        catalogs[lang] = _compiled(folder, domain, lang)
        if domain == DOMAIN:
            for more in MORE_DOMAINS:
                catalogs[lang].merge(_compiled(folder, more, lang))
    return catalogs


def _compiled(folder: Traversable, domain: str, lang: str) -> Translations:
    with (folder / f"{domain}.po").open("rb") as po:
        catalog = read_po(po, locale=lang, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def translations(lang: str, domain: str = DOMAIN) -> Translations:
    return load_catalogs(domain)[lang]


@contextmanager
def speaking(lang: str, domain: str = DOMAIN) -> Iterator[None]:
    """Messages in `lang` within the block (gettext here and in templates)."""
    token = current_translations.set(translations(lang, domain))
    try:
        yield
    finally:
        current_translations.reset(token)


def gettext(message: str) -> str:
    return str(current_translations.get().gettext(message))


def gettext_noop(message: str) -> str:
    """Marks `message` for the catalogs where it is written; it is translated where shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return str(current_translations.get().ngettext(singular, plural, n))


def reader_language(accept_language: str | None) -> str:
    """The page language for a reader who has not chosen one: Accept-Language, else Finnish."""
    preferred = parse_accept_language(accept_language)
    return preferred[0] if preferred else LANGS[0]


def local_datetime(moment: datetime, lang: str, zone: ZoneInfo) -> str:
    """A moment in the city's time as the reader's language writes it
    (6. joulukuuta 2026 klo 18.30, 6 December 2026 at 18:30)."""
    locale = BABEL_LOCALES[lang]
    return (
        translations(lang)
        .gettext("{date} at {time}")
        .format(
            date=local_date(moment, lang, zone),
            time=format_time(moment, "short", tzinfo=zone, locale=locale),
        )
    )


def local_date(moment: datetime, lang: str, zone: ZoneInfo) -> str:
    """The day of a moment in the city's time (6. joulukuuta 2026, 6 December 2026)."""
    return str(format_date(moment.astimezone(zone), "long", locale=BABEL_LOCALES[lang]))


def month_names(lang: str) -> dict[int, str]:
    """The months as a filter lists them: stand-alone, capitalised (Tammikuu, Januari)."""
    names: Any = get_month_names("wide", context="stand-alone", locale=BABEL_LOCALES[lang])
    return {number: str(name).capitalize() for number, name in names.items()}
