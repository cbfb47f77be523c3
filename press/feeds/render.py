"""RSS 2.0 and Atom documents of releases, through feedgen. Pure: no I/O, no clock.

Every time in a feed comes from the rows it shows, never from "now": the same visible set
renders to the same bytes, so its ETag holds until something visible changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape
from typing import Any
from uuid import UUID, uuid5

import msgspec
from feedgen.ext.base import (
    BaseEntryExtension,
    BaseExtension,
)
from feedgen.feed import FeedGenerator

from press.releases.schemas import Correction, PublicRelease

ITEM_LIMIT = 50
TTL_MINUTES = 15
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A feed with nothing in it still needs an `updated`: a fixed instant keeps its bytes stable.
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)

FEED_TITLE = {
    "fi": "Kaupungin tiedotteet",
    "sv": "Stadens pressmeddelanden",
    "en": "City press releases",
}
FEED_DESCRIPTION = {
    "fi": "Kaupunginvaltuuston, kaupunginhallituksen ja kaupunginkanslian tiedotteet.",
    "sv": "Pressmeddelanden från stadsfullmäktige, stadsstyrelsen och stadskansliet.",
    "en": "Press releases of the City Council, the City Board and the City Executive Office.",
}
AUTHOR = {"fi": "Kaupungin viestintä", "sv": "Stadens kommunikation", "en": "City Communications"}
CORRECTION = {"fi": "Korjaus", "sv": "Rättelse", "en": "Correction"}
EMBARGO_NOTICE = {
    "fi": "Julkaisuembargo: ei julkaistavaksi ennen {until}.",
    "sv": "Embargo: får inte publiceras före {until}.",
    "en": "Embargo: not for publication before {until}.",
}


class FeedEntry(msgspec.Struct, frozen=True):
    """One release as a feed shows it, in one language."""

    id: str  # this language's own entry id (entry_id)
    release_id: str  # the release's, the same in every language: urn:uuid:<release id>
    url: str
    lang: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    categories: list[tuple[str, str, str]]  # (scheme, term, label)
    embargo_until: str | None = None  # the lift time, spelled for people, when embargoed
    enclosure: Enclosure | None = None  # the release's main image


class Enclosure(msgspec.Struct, frozen=True):
    url: str
    length: int
    type: str


class FeedInfo(msgspec.Struct, frozen=True):
    """What a feed says about itself."""

    id: str
    self_url: str
    alternate_url: str
    lang: str
    title: str
    description: str
    updated: datetime | None
    first_url: str | None = None
    next_url: str | None = None
    hub_url: str | None = None  # a WebSub hub (PRESS_WEBSUB_HUB)


def feed_title(lang: str, qualifiers: list[str]) -> str:
    return " - ".join([FEED_TITLE[lang], *qualifiers])


def embargo_label(zone: tzinfo, at: datetime) -> str:
    """A lift time for people: local time, zone name and UTC offset, e.g.
    2026-12-01 09:00 EET (UTC+02:00)."""
    local = at.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} (UTC{offset[:3]}:{offset[3:]})"


def entry_id(release_id: UUID, lang: str) -> str:
    """The id of a release's entry in one language: a name-based UUID (RFC 9562 version 5)
    of the language in the release's id. Readers keep one item per id, so each translation
    needs its own to be shown in the Finnish and in the Swedish feed alike; it depends on
    nothing but these two, so it never changes with edits, regeneration or a new host."""
    return f"urn:uuid:{uuid5(release_id, lang)}"


def entry_from_release(
    release: PublicRelease,
    public_url: str,
    embargo_until: str | None = None,
    enclosure: Enclosure | None = None,
) -> FeedEntry:
    """A release's feed entry; an embargoed one is marked in its title and text."""
    lang = release.lang
    content = _corrections_html(release.corrections, lang) + release.body_html
    title, summary = release.title, release.lead
    if embargo_until is not None:
        notice = EMBARGO_NOTICE[lang].format(until=embargo_until)
        title = f"[EMBARGO until {embargo_until}] {title}"
        content = f"<p><strong>{escape(notice)}</strong></p>{content}"
        summary = f"{notice} {summary}".strip()
    categories = [(f"{public_url}/api/v1/sources", release.source.slug, release.source.name)]
    categories += [(f"{public_url}/api/v1/topics", t.slug, t.name) for t in release.topics]
    return FeedEntry(
        id=entry_id(release.id, lang),
        release_id=f"urn:uuid:{release.id}",
        url=release.url,
        lang=lang,
        title=title,
        summary=summary,
        content_html=content,
        published=release.published_at,
        updated=max(release.updated_at, release.published_at),
        categories=categories,
        embargo_until=embargo_until,
        enclosure=enclosure,
    )


def _corrections_html(corrections: list[Correction], lang: str) -> str:
    return "".join(
        f"<p><em>{CORRECTION[lang]} {c.at.astimezone(UTC):%Y-%m-%d}: {escape(c.note)}</em></p>"
        for c in corrections
    )


def render_rss(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    return _generator(info, entries).rss_str(pretty=False)  # type: ignore[no-any-return]


def render_atom(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    return _generator(info, entries).atom_str(pretty=False)  # type: ignore[no-any-return]


def _generator(info: FeedInfo, entries: list[FeedEntry]) -> FeedGenerator:
    feed = FeedGenerator()
    feed.register_extension("xmllang", _LangExtension, _EntryLangExtension)
    feed.load_extension("dc")  # dc:identifier: the release an entry is a translation of
    feed.xmllang.lang = info.lang
    feed.id(info.id)
    feed.title(info.title)
    feed.subtitle(info.description)
    feed.description(info.description)
    feed.language(info.lang)
    feed.author({"name": AUTHOR[info.lang]})
    feed.generator("press", uri=None)
    feed.docs("https://www.rssboard.org/rss-specification")
    feed.ttl(TTL_MINUTES)
    updated = info.updated or EMPTY_FEED_UPDATED
    feed.updated(updated)
    feed.lastBuildDate(updated)
    feed.link(href=info.self_url, rel="self")
    if info.hub_url:  # in Atom; RSS readers find it in the Link header
        feed.link(href=info.hub_url, rel="hub")
    if info.first_url:
        feed.link(href=info.first_url, rel="first")
    if info.next_url:
        feed.link(href=info.next_url, rel="next")
    # RSS takes its one <link> from the last link given: the alternate (human) page.
    feed.link(href=info.alternate_url, rel="alternate", type="text/html")
    # feedgen prepends; adding oldest first leaves the newest entry on top.
    for entry in reversed(entries):
        _add_entry(feed, entry)
    return feed


def _add_entry(feed: FeedGenerator, entry: FeedEntry) -> None:
    item: Any = feed.add_entry()
    item.xmllang.lang = entry.lang
    item.xmllang.enclosure = entry.enclosure
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(entry.title)
    item.link(href=entry.url, rel="alternate", type="text/html", hreflang=entry.lang)
    item.published(entry.published)
    item.updated(entry.updated)
    if entry.summary:
        item.summary(entry.summary)  # Atom: type text, escaped as such by the XML writer
        # RSS readers take <description> as HTML: the plain-text lead is escaped for it, so
        # markup typed in a lead shows as the characters typed, never as markup.
        item.description(escape(entry.summary))
    item.dc.dc_identifier(entry.release_id)
    item.content(entry.content_html or escape(entry.title), type="html")
    for scheme, term, label in entry.categories:
        item.category(term=term, scheme=scheme, label=label)
    if entry.enclosure is not None:
        item.enclosure(entry.enclosure.url, str(entry.enclosure.length), entry.enclosure.type)


class _LangExtension(BaseExtension):  # type: ignore[misc]
    """Puts xml:lang on the feed (Atom) and channel (RSS) element."""

    lang = ""

    def extend_atom(self, feed: Any) -> Any:
        feed.attrib[XML_LANG] = self.lang
        return feed

    def extend_rss(self, feed: Any) -> Any:
        feed.attrib[XML_LANG] = self.lang
        return feed


class _EntryLangExtension(BaseEntryExtension):  # type: ignore[misc]
    """Puts xml:lang on each entry/item: a feed without `lang` mixes languages."""

    lang = ""
    enclosure: Enclosure | None = None

    def extend_atom(self, entry: Any) -> Any:
        entry.attrib[XML_LANG] = self.lang
        # feedgen 1.0 drops the attributes of entry links: put them back — the enclosure's
        # link (the main image) and the alternate (the release page).
        for link in entry.iterfind("link"):
            enclosure = self.enclosure
            if enclosure is not None and link.attrib.get("href") == enclosure.url:
                link.attrib.update(
                    {"rel": "enclosure", "type": enclosure.type, "length": str(enclosure.length)}
                )
            else:
                link.attrib.update({"rel": "alternate", "type": "text/html", "hreflang": self.lang})
        return entry

    def extend_rss(self, entry: Any) -> Any:
        entry.attrib[XML_LANG] = self.lang
        return entry
