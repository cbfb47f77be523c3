"""Press events on the wire: what staff send and read, and what the public reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from press.releases.schemas import Instant, Lang, MediaContactRef, Named, Slug, Url
from press.text import SingleLine

Status = Literal["confirmed", "cancelled"]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
ZoneName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class EventText(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=300)]
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""


class Location(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[SingleLine, msgspec.Meta(max_length=300)] = ""
    address: Annotated[SingleLine, msgspec.Meta(max_length=500)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class EventCreate(msgspec.Struct, forbid_unknown_fields=True):
    source: Slug
    translations: Annotated[dict[Lang, EventText], msgspec.Meta(min_length=1)]
    starts_at: Instant
    ends_at: Instant
    timezone: ZoneName = "Europe/Helsinki"
    location: Location = msgspec.field(default_factory=Location)
    online_url: Url | None = None
    accreditation_required: bool = False
    releases: Annotated[list[UUID], msgspec.Meta(max_length=20)] = []
    contact: UUID | None = None
    visible_from: Instant | None = None


class EventUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial change: fields left out stay as they are. `status: "cancelled"` cancels."""

    source: Slug | msgspec.UnsetType = msgspec.UNSET
    translations: dict[Lang, EventText | None] | msgspec.UnsetType = msgspec.UNSET
    starts_at: Instant | msgspec.UnsetType = msgspec.UNSET
    ends_at: Instant | msgspec.UnsetType = msgspec.UNSET
    timezone: ZoneName | msgspec.UnsetType = msgspec.UNSET
    location: Location | msgspec.UnsetType = msgspec.UNSET
    online_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    accreditation_required: bool | msgspec.UnsetType = msgspec.UNSET
    releases: Annotated[list[UUID], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    contact: UUID | msgspec.UnsetType | None = msgspec.UNSET
    status: Status | msgspec.UnsetType = msgspec.UNSET
    visible_from: Instant | msgspec.UnsetType | None = msgspec.UNSET


class Event(msgspec.Struct):
    """An event as staff see it, hidden or not."""

    id: UUID
    source: str
    translations: dict[str, EventText]
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: Location
    online_url: str | None
    accreditation_required: bool
    releases: list[UUID]
    contact: UUID | None
    status: str
    sequence: int
    visible_from: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class EventPage(msgspec.Struct):
    items: list[Event]
    next: str | None


class PublicEvent(msgspec.Struct):
    """A public event in one language."""

    id: UUID
    url: str
    lang: str
    languages: list[str]
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: Location
    online_url: str | None
    accreditation_required: bool
    releases: list[UUID]
    contact: MediaContactRef | None
    source: Named
    status: str
    sequence: int
    updated_at: datetime


class PublicEventPage(msgspec.Struct):
    items: list[PublicEvent]
    next: str | None
