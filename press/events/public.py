"""What the public sees of an event: the language chosen, and nothing staff-only. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from press.events.schemas import Location, PublicEvent
from press.releases.public import FALLBACK_ORDER, choose_language, named
from press.releases.schemas import MediaContactRef


def event_url(public_url: str, event_id: object) -> str:
    return f"{public_url}/api/v1/events/{event_id}"


def to_public_event(
    row: Mapping[str, Any],
    preference: Sequence[str],
    sources: Mapping[str, Mapping[str, Any]],
    public_url: str,
) -> PublicEvent:
    """The public shape of one row of public_events."""
    translations: dict[str, dict[str, str]] = row["translations"]
    available = [code for code in FALLBACK_ORDER if code in translations]
    lang = choose_language(available, preference)
    text = translations[lang]
    return PublicEvent(
        id=row["id"],
        url=event_url(public_url, row["id"]),
        lang=lang,
        languages=available,
        title=text["title"],
        description=text.get("description", ""),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        timezone=row["timezone"],
        location=Location(
            name=row["location_name"],
            address=row["location_address"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        ),
        online_url=row["online_url"],
        accreditation_required=row["accreditation_required"],
        releases=list(row["release_ids"]),
        contact=_contact(row["contact"], lang) if row["contact"] else None,
        source=named(sources[row["source"]], lang),
        status=row["status"],
        sequence=row["sequence"],
        updated_at=row["updated_at"],
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
