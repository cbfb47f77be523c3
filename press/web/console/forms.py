"""What the console's forms send, read into the domain's own requests; and the time field,
read in the city's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar.datastructures import FormMultiDict

from press.errors import InvalidInput
from press.releases.schemas import LANGS, Release, ReleaseCreate, ReleaseUpdate, TranslationIn
from press.web.i18n import gettext

TEXT_FIELDS = ("title", "lead", "body")


def texts_of(form: FormMultiDict) -> dict[str, dict[str, str]]:
    """Each language's title, lead and body as typed (line ends as the browser sends them,
    CRLF, made LF)."""
    return {
        lang: {
            field: str(form.get(f"{field}_{lang}") or "").replace("\r\n", "\n")
            for field in TEXT_FIELDS
        }
        for lang in LANGS
    }


def release_fields(form: FormMultiDict) -> dict[str, Any]:
    """The editor's fields as the editor template shows them again."""
    return {
        "source": str(form.get("source") or ""),
        "topics": [str(t) for t in form.getall("topics", [])],
        "texts": texts_of(form),
        "contacts": [str(c) for c in form.getall("contacts", [])],
        "decision_id": str(form.get("decision_id") or "").strip(),
        "decision_url": str(form.get("decision_url") or "").strip(),
        "embargo_terms": str(form.get("embargo_terms") or "").replace("\r\n", "\n"),
        "etag": str(form.get("etag") or ""),
    }


def _linked(fields: dict[str, Any]) -> dict[str, Any]:
    """The media contacts, decision and embargo terms of the form, as the API takes them."""
    decision = None
    if fields["decision_id"] or fields["decision_url"]:
        decision = {"id": fields["decision_id"], "url": fields["decision_url"] or None}
    return {
        "contacts": fields["contacts"],
        "decision": decision,
        "embargo_terms": fields["embargo_terms"],
    }


def _translations(fields: dict[str, Any]) -> dict[str, TranslationIn]:
    return {
        lang: TranslationIn(**text)
        for lang, text in fields["texts"].items()
        if any(v.strip() for v in text.values())
    }


def _convert(value: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as error:
        raise InvalidInput(str(error)) from error


def release_create(fields: dict[str, Any]) -> ReleaseCreate:
    body = {
        "source": fields["source"],
        "topics": fields["topics"],
        "translations": {k: msgspec.to_builtins(v) for k, v in _translations(fields).items()},
        **_linked(fields),
    }
    result: ReleaseCreate = _convert(body, ReleaseCreate)
    return result


def release_update(fields: dict[str, Any], before: Release) -> ReleaseUpdate:
    """The change the form asks for; a language emptied entirely is removed."""
    given = {k: msgspec.to_builtins(v) for k, v in _translations(fields).items()}
    removed = {lang: None for lang in before.translations if lang not in given}
    body = {
        "source": fields["source"],
        "topics": fields["topics"],
        "translations": {**given, **removed},
        **_linked(fields),
    }
    result: ReleaseUpdate = _convert(body, ReleaseUpdate)
    return result


def fields_of_release(release: Release, etag: str) -> dict[str, Any]:
    return {
        "source": release.source,
        "topics": list(release.topics),
        "texts": {
            lang: {
                field: getattr(release.translations[lang], field)
                if lang in release.translations
                else ""
                for field in TEXT_FIELDS
            }
            for lang in LANGS
        },
        "contacts": [str(c) for c in release.contacts],
        "decision_id": release.decision.id if release.decision else "",
        "decision_url": (release.decision.url or "") if release.decision else "",
        "embargo_terms": release.embargo_terms,
        "etag": etag,
    }


class LocalTimeError(InvalidInput):
    """The time given is not a time on the city's clocks."""


def passed_twice(moment: datetime) -> bool:
    """Whether the clocks show `moment`'s wall-clock time twice that night (autumn, when
    summer time ends): `local_instant` took the first."""
    return moment.replace(fold=1).utcoffset() != moment.utcoffset()


def local_instant(text: str, zone: ZoneInfo) -> datetime:
    """The instant a wall-clock time in the city names (`2026-03-29T03:30` and the like, as a
    datetime-local field sends it). A time the clocks skip when summer time begins names no
    instant: it is refused with the reason. A time they pass twice in autumn is the first."""
    try:
        wall = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise LocalTimeError(
            gettext("Give the date and time as the field asks: day, month, year and time.")
        ) from error
    if wall.tzinfo is not None:
        raise LocalTimeError(gettext("Give the time on the city's clocks, without a time zone."))
    moment = wall.replace(tzinfo=zone)
    try:
        round_trip = moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError as error:  # year 1 or 9999: no UTC instant Python can hold
        raise LocalTimeError(
            gettext("Give the date and time as the field asks: day, month, year and time.")
        ) from error
    if round_trip != wall:
        raise LocalTimeError(
            gettext(
                "{time} does not exist in {zone}: the clocks jump an hour forward that night. "
                "Choose a time before or after the jump."
            ).format(time=f"{wall:%Y-%m-%d %H:%M}", zone=zone.key),
            errors=[{"key": "at", "message": "in the summer time gap"}],
        )
    return moment
