"""The embargo engine on the wire: journalist tokens, embargoed releases, the schedule,
webhooks and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from press.text import SingleLine

Instant = Annotated[datetime, msgspec.Meta(tz=True)]
# What a journalist token opens: the journalist API, or only the private feeds.
TokenScope = Literal["api", "feed"]
WebhookUrl = Annotated[str, msgspec.Meta(max_length=2000, pattern=r"^https?://[^\s/]+\S*$")]
# An exact type (`release.published`), a family (`release.*`) or everything (`*`).
EventPattern = Annotated[str, msgspec.Meta(pattern=r"^(\*|[a-z]+\.(\*|[a-z_]+))$")]
# Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes.
WebhookSecret = Annotated[
    str, msgspec.Meta(pattern=r"^whsec_[A-Za-z0-9+/]{32,88}={0,2}$", max_length=100)
]


class JournalistTokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[SingleLine, msgspec.Meta(max_length=200)] = ""
    expires_at: Instant | None = None
    # `feed`: a token for the private feed URLs only, which opens no API route.
    scope: TokenScope = "api"


class JournalistToken(msgspec.Struct):
    """A token as staff see it later: never the token itself."""

    id: UUID
    contact_id: UUID
    label: str
    scope: TokenScope
    # The token this one was made with (by the journalist), if any.
    parent_id: UUID | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedJournalistToken(msgspec.Struct):
    """A new token, shown once: only its hash is kept."""

    id: UUID
    contact_id: UUID
    token: str
    label: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None


class JournalistTokenPage(msgspec.Struct):
    items: list[JournalistToken]
    next: str | None = None


class EmbargoedText(msgspec.Struct):
    title: str
    lead: str
    body_html: str
    slug: str


class EmbargoedRelease(msgspec.Struct):
    """A release under embargo, for accredited journalists: not to be published before
    `embargo_until`, on the terms given."""

    id: UUID
    source: str
    topics: list[str]
    translations: dict[str, EmbargoedText]
    embargo: bool
    embargo_until: datetime
    embargo_terms: str
    updated_at: datetime


class EmbargoedReleasePage(msgspec.Struct):
    items: list[EmbargoedRelease]
    next: str | None = None


class EmbargoRead(msgspec.Struct):
    id: int
    contact_id: UUID
    contact_name: str
    contact_email: str
    token_id: UUID | None
    at: datetime


class EmbargoReadPage(msgspec.Struct):
    items: list[EmbargoRead]
    next: str | None = None


class EmbargoListEntry(msgspec.Struct):
    """Someone on a release's embargo list, and whether they can have it now (accredited,
    not suspended)."""

    id: UUID
    name: str
    email: str
    accredited: bool
    added_at: datetime


class EmbargoList(msgspec.Struct):
    """Who may have the release before its lift: with `restricted` false, every accredited
    journalist; with it true, only `contacts` (those of them accredited)."""

    restricted: bool
    contacts: list[EmbargoListEntry]


class EmbargoListIn(msgspec.Struct, forbid_unknown_fields=True):
    """The whole list, replacing the one before; empty: every accredited journalist."""

    contacts: Annotated[list[UUID], msgspec.Meta(max_length=2000)]


class ScheduledRelease(msgspec.Struct):
    id: UUID
    title: str
    source: str
    publish_at: datetime
    embargo: bool
    embargo_terms: str
    version: int
    due: bool
    seconds_to_lift: float


class SchedulePage(msgspec.Struct):
    items: list[ScheduledRelease]
    next: str | None = None


class WebhookCreate(msgspec.Struct, forbid_unknown_fields=True):
    url: WebhookUrl
    event_types: Annotated[list[EventPattern], msgspec.Meta(min_length=1, max_length=20)]
    secret: WebhookSecret | None = None
    description: Annotated[SingleLine, msgspec.Meta(max_length=500)] = ""
    active: bool = True


class WebhookUpdate(msgspec.Struct, forbid_unknown_fields=True):
    url: WebhookUrl | msgspec.UnsetType = msgspec.UNSET
    event_types: (
        Annotated[list[EventPattern], msgspec.Meta(min_length=1, max_length=20)] | msgspec.UnsetType
    ) = msgspec.UNSET
    secret: WebhookSecret | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[SingleLine, msgspec.Meta(max_length=500)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    active: bool | msgspec.UnsetType = msgspec.UNSET


class Webhook(msgspec.Struct):
    """A subscription. `secret` is only filled in the answer that created or set it."""

    id: UUID
    url: str
    description: str
    event_types: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int
    created_by: UUID | None
    secret: str | None = None


class WebhookPage(msgspec.Struct):
    items: list[Webhook]
    next: str | None = None


class DeliveryAttempt(msgspec.Struct):
    at: datetime
    status: int | None
    error: str | None
    duration_ms: int


class Delivery(msgspec.Struct):
    """One event for one subscription; its id is the `webhook-id` header of every attempt."""

    id: UUID
    webhook_id: UUID
    outbox_id: UUID
    event_type: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[DeliveryAttempt]


class DeliveryPage(msgspec.Struct):
    items: list[Delivery]
    next: str | None


class ClaimedDelivery(msgspec.Struct, frozen=True):
    """A delivery taken by this instance for one attempt."""

    id: UUID
    attempts: int
    event_type: str
    url: str
    secret: str
    payload: dict[str, Any]
    occurred_at: datetime
