"""What the public sees of a release: the language chosen, and nothing staff-only. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import msgspec
from litestar.params import QueryParameter

from press.errors import InvalidInput
from press.releases.schemas import (
    LANGS,
    Correction,
    Decision,
    MediaContactRef,
    Named,
    PublicRelease,
    RelatedEvent,
    Tombstone,
)

# Finnish first (the city's majority language), then Swedish, then English.
FALLBACK_ORDER: tuple[str, ...] = ("fi", "sv", "en")
# A tombstone's text when staff gave no public note: the internal reason is never shown.
WITHDRAWN_TEXT = "This release has been withdrawn."


def parse_accept_language(header: str | None) -> list[str]:
    """Our languages in the order the client prefers them, from an Accept-Language header."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            weighted.append((-quality, index, primary))
    seen: list[str] = []
    for _, _, lang in sorted(weighted):
        if lang not in seen:
            seen.append(lang)
    return seen


# The `lang` query parameter: documented as one of LANGS, checked by check_lang (the early
# public list reads it too, and must answer what the handler answers).
LangQuery = Annotated[
    str | None,
    QueryParameter(
        description="The language to answer in: fi, sv or en",
        schema_extra={"one_of": None, "type": "string", "enum": list(LANGS)},
    ),
]


def check_lang(lang: str | None) -> None:
    """A `lang` parameter is one of the release languages, or absent."""
    if lang is not None and lang not in LANGS:
        raise InvalidInput(
            f"lang must be one of {', '.join(LANGS)}",
            errors=[{"key": "lang", "message": "unknown value"}],
        )


def language_preference(lang: str | None, accept_language: str | None) -> list[str]:
    """The `lang` parameter, else Accept-Language, then the fallback order."""
    preferred = [lang] if lang else parse_accept_language(accept_language)
    return preferred + [code for code in FALLBACK_ORDER if code not in preferred]


def choose_language(available: Sequence[str], preference: Sequence[str]) -> str:
    for code in preference:
        if code in available:
            return code
    return available[0]


def named(row: Mapping[str, Any], lang: str) -> Named:
    return Named(slug=row["slug"], name=row[f"name_{lang}"])


def to_public(
    row: Mapping[str, Any],
    preference: Sequence[str],
    sources: Mapping[str, Mapping[str, Any]],
    topics: Mapping[str, Mapping[str, Any]],
    url_for: Any,
) -> PublicRelease | Tombstone:
    """The public shape of one row of public_release_documents."""
    if row["state"] == "withdrawn":
        return Tombstone(
            id=row["id"],
            withdrawn_at=row["withdrawn_at"],
            updated_at=row["modified_at"],
            reason=row["withdrawal_note"] or WITHDRAWN_TEXT,
        )
    translations: dict[str, dict[str, str]] = row["translations"]
    available = [code for code in FALLBACK_ORDER if code in translations]
    lang = choose_language(available, preference)
    text = translations[lang]
    return PublicRelease(
        id=row["id"],
        url=url_for(row["id"], lang, text["slug"]),
        lang=lang,
        languages=available,
        title=text["title"],
        lead=text["lead"],
        body_html=text["body_html"],
        slug=text["slug"],
        source=named(sources[row["source"]], lang),
        topics=[named(topics[t], lang) for t in row["topics"] if t in topics],
        published_at=row["publish_at"],
        updated_at=row["modified_at"],
        contacts=[_contact(c, lang) for c in row["contacts"]],
        decision=Decision(id=row["decision_id"], url=row["decision_url"])
        if row["decision_id"]
        else None,
        corrections=msgspec.convert(row["corrections"], list[Correction], strict=False)
        if row["corrections"]
        else [],
        events=[_event(e, lang) for e in row.get("events") or []],
    )


def public_note(tombstone: Mapping[str, Any]) -> str | None:
    """The note staff gave the public on withdrawing, if any (not the neutral default)."""
    reason = tombstone.get("reason")
    return reason if isinstance(reason, str) and reason != WITHDRAWN_TEXT else None


def _event(event: Mapping[str, Any], lang: str) -> RelatedEvent:
    texts: Mapping[str, Mapping[str, str]] = event["translations"]
    chosen = next((c for c in (lang, *FALLBACK_ORDER) if c in texts), next(iter(texts)))
    return msgspec.convert(
        {**event, "title": texts[chosen].get("title", "")}, RelatedEvent, strict=False
    )


def _contact(contact: Mapping[str, Any], lang: str) -> MediaContactRef:
    titles: Mapping[str, str] = contact.get("title") or {}
    title = next((titles[c] for c in (lang, *FALLBACK_ORDER) if titles.get(c)), "")
    return MediaContactRef(
        id=contact["id"],
        name=contact["name"],
        title=title,
        phone=contact["phone"],
        email=contact["email"],
    )


# The query parameters the public list reads (press.public_cache keys by these alone).
PUBLIC_LIST_PARAMETERS = frozenset(
    ("source", "topic", "lang", "q", "since", "until", "updated_since", "cursor", "limit")
)
# What one public item (a release, an event) reads.
LANG_ONLY = frozenset(("lang",))
