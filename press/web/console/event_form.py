"""The press event form: what it sends, read into the domain's own EventCreate and
EventUpdate, with every time typed on the city's clocks (`forms.local_instant`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar.datastructures import FormMultiDict

from press.errors import InvalidInput
from press.events.schemas import Event, EventCreate, EventUpdate
from press.releases.schemas import LANGS
from press.web import i18n
from press.web.console.forms import local_instant

TIME_FIELDS = {
    "starts_at": i18n.gettext_noop("Starts"),
    "ends_at": i18n.gettext_noop("Ends"),
    "visible_from": i18n.gettext_noop("Shown publicly from"),
}


def _text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name) or "").replace("\r\n", "\n").strip()


def event_fields(form: FormMultiDict) -> dict[str, Any]:
    """The form as typed, to show again."""
    return {
        "source": _text(form, "source"),
        "texts": {
            lang: {
                "title": _text(form, f"title_{lang}"),
                "description": _text(form, f"description_{lang}"),
            }
            for lang in LANGS
        },
        **{name: _text(form, name) for name in TIME_FIELDS},
        "location_name": _text(form, "location_name"),
        "location_address": _text(form, "location_address"),
        "online_url": _text(form, "online_url"),
        "accreditation_required": form.get("accreditation_required") == "on",
        "etag": _text(form, "etag"),
    }


def fields_of_event(event: Event, zone: ZoneInfo, etag: str) -> dict[str, Any]:
    """An event as its form shows it: times on the city's clocks."""

    def wall(moment: Any) -> str:
        if moment is None:
            return ""
        return str(moment.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes"))

    return {
        "source": event.source,
        "texts": {
            lang: {
                "title": event.translations[lang].title if lang in event.translations else "",
                "description": event.translations[lang].description
                if lang in event.translations
                else "",
            }
            for lang in LANGS
        },
        "starts_at": wall(event.starts_at),
        "ends_at": wall(event.ends_at),
        "visible_from": wall(event.visible_from),
        "location_name": event.location.name,
        "location_address": event.location.address,
        "online_url": event.online_url or "",
        "accreditation_required": event.accreditation_required,
        "etag": etag,
    }


def _instants(fields: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """The three times as instants; the field that is wrong is named in the refusal."""
    found: dict[str, Any] = {}
    for name, label in TIME_FIELDS.items():
        if name == "visible_from" and not fields[name]:
            found[name] = None
            continue
        try:
            found[name] = local_instant(fields[name], zone)
        except InvalidInput as error:
            raise InvalidInput(f"{i18n.gettext(label)}: {error.detail}") from error
    return found


def _body(fields: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    return {
        "source": fields["source"],
        "translations": {
            lang: text
            for lang, text in fields["texts"].items()
            if text["title"] or text["description"]
        },
        **_instants(fields, zone),
        "location": {"name": fields["location_name"], "address": fields["location_address"]},
        "online_url": fields["online_url"] or None,
        "accreditation_required": fields["accreditation_required"],
    }


def _convert(body: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(body, kind)
    except msgspec.ValidationError as error:
        raise InvalidInput(str(error)) from error


def event_create(fields: dict[str, Any], zone: ZoneInfo) -> EventCreate:
    """A new event, in the city's time zone."""
    created: EventCreate = _convert({**_body(fields, zone), "timezone": zone.key}, EventCreate)
    return created


def event_update(fields: dict[str, Any], before: Event, zone: ZoneInfo) -> EventUpdate:
    """The change the form asks for; a language emptied entirely is removed. The event's own
    time zone (the calendar's) stays as it is: only the typing is on the city's clocks."""
    body = _body(fields, zone)
    removed = {lang: None for lang in before.translations if lang not in body["translations"]}
    body["translations"] = {**body["translations"], **removed}
    update: EventUpdate = _convert(body, EventUpdate)
    return update
