"""Releases on the wire: what staff send and read, and what the public reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from press.text import SingleLine

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
# Timestamps in input must carry an offset: a naive one is ambiguous across DST.
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")]
Url = Annotated[str, msgspec.Meta(max_length=2000, pattern=r"^https?://\S+$")]


class TranslationIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=300)]
    lead: Annotated[str, msgspec.Meta(max_length=3000)] = ""
    body: Annotated[str, msgspec.Meta(max_length=200_000)] = ""


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    """The formal record behind a release: a decision in the city's decision system."""

    id: Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=200)]
    url: Url | None = None


class ReleaseCreate(msgspec.Struct, forbid_unknown_fields=True):
    source: Slug
    translations: Annotated[dict[Lang, TranslationIn], msgspec.Meta(min_length=1)]
    topics: Annotated[list[Slug], msgspec.Meta(max_length=20)] = []
    contacts: Annotated[list[UUID], msgspec.Meta(max_length=20)] = []
    decision: Decision | None = None
    embargo_terms: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ReleaseUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial change: fields left out stay as they are. A translation set to null is
    removed; one given replaces that language's text."""

    source: Slug | msgspec.UnsetType = msgspec.UNSET
    translations: dict[Lang, TranslationIn | None] | msgspec.UnsetType = msgspec.UNSET
    topics: Annotated[list[Slug], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    contacts: Annotated[list[UUID], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    decision: Decision | msgspec.UnsetType | None = msgspec.UNSET
    embargo_terms: Annotated[str, msgspec.Meta(max_length=2000)] | msgspec.UnsetType = msgspec.UNSET


class PublishRequest(msgspec.Struct, forbid_unknown_fields=True):
    at: Instant | None = None
    embargo: bool = False
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class CorrectRequest(msgspec.Struct, forbid_unknown_fields=True):
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    changes: ReleaseUpdate = msgspec.field(default_factory=ReleaseUpdate)


class WithdrawRequest(msgspec.Struct, forbid_unknown_fields=True):
    """`reason` stays with staff (audit, revisions); the public tombstone shows `public_note`,
    or a neutral text when there is none."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    public_note: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | None = None


class OptionalReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class Translation(msgspec.Struct):
    title: str
    lead: str
    body: str
    body_html: str
    slug: str


class Correction(msgspec.Struct):
    note: str
    at: datetime


class PendingChange(msgspec.Struct):
    """A change of a scheduled or published release waiting for another approver: `changes`
    as sent (a ReleaseUpdate), `note` the public correction note (none: a silent edit)."""

    changes: dict[str, Any]
    note: str | None
    proposed_by: UUID | None
    proposed_at: datetime


class Release(msgspec.Struct):
    """A release as staff see it, in any state."""

    id: UUID
    state: str
    source: str
    topics: list[str]
    translations: dict[str, Translation]
    contacts: list[UUID]
    decision: Decision | None
    publish_at: datetime | None
    embargo: bool
    embargo_terms: str
    created_at: datetime
    updated_at: datetime
    version: int
    created_by: UUID | None
    submitted_by: UUID | None
    approved_by: UUID | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    corrections: list[Correction]
    allowed_actions: list[str] = []
    # The embargo instant the release was promised under, kept until it is public.
    embargo_promised_at: datetime | None = None
    # Who last changed the content, and all who changed it since its last approval: none of
    # them may approve it.
    content_changed_by: UUID | None = None
    changed_since_approval_by: list[UUID] = []
    # What the public tombstone says of the withdrawal (withdrawal_reason is internal).
    withdrawal_note: str | None = None
    pending_change: PendingChange | None = None


class ReleasePage(msgspec.Struct):
    items: list[Release]
    next: str | None


class Revision(msgspec.Struct):
    id: int
    version: int
    kind: str
    note: str
    created_at: datetime
    created_by: UUID | None
    snapshot: dict[str, Any]


class RevisionPage(msgspec.Struct):
    items: list[Revision]
    next: str | None = None


class Named(msgspec.Struct):
    slug: str
    name: str


class MediaContactRef(msgspec.Struct):
    id: UUID
    name: str
    title: str
    phone: str
    email: str


class RelatedEvent(msgspec.Struct):
    """A public press event linked to a release; details at GET /api/v1/events/{id}."""

    id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str


class PublicRelease(msgspec.Struct, tag_field="state", tag="published"):
    """A published release in one language, as the public and the website read it."""

    id: UUID
    url: str
    lang: str
    languages: list[str]
    title: str
    lead: str
    body_html: str
    slug: str
    source: Named
    topics: list[Named]
    published_at: datetime
    updated_at: datetime
    contacts: list[MediaContactRef]
    decision: Decision | None
    corrections: list[Correction]
    # Public press events about this release (its press conference, the meeting, …).
    events: list[RelatedEvent] = []
    # Only in search results (`q` given): the matching passage, HTML with <mark> around hits.
    snippet: str | msgspec.UnsetType = msgspec.UNSET


class Tombstone(msgspec.Struct, tag_field="state", tag="withdrawn"):
    """A release that was public and has been withdrawn: sync clients delete their copy.
    `reason` is the public note given at withdrawal, or a neutral text; never the staff's
    internal reason."""

    id: UUID
    withdrawn_at: datetime
    updated_at: datetime
    reason: str | None


class PublicReleasePage(msgspec.Struct):
    items: list[PublicRelease | Tombstone]
    next: str | None
