"""The journalist registry on the wire: contacts, outlets, accreditation, consent,
subscriptions, imports and the press office's own media contacts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from press.text import SingleLine

Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Name = Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=200)]
Phone = Annotated[str, msgspec.Meta(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()-]+$")]
Country = Annotated[str, msgspec.Meta(pattern=r"^([A-Z]{2})?$")]
LangCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}$")]
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")]
Tag = Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=64)]
Text = Annotated[str, msgspec.Meta(max_length=5000)]
Short = Annotated[SingleLine, msgspec.Meta(max_length=200)]
Url = Annotated[str, msgspec.Meta(max_length=2000, pattern=r"^(https?://\S+)?$")]
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
OutletKind = Literal[
    "newspaper", "tv", "radio", "online", "news_agency", "magazine", "freelance", "other"
]
LawfulBasis = Literal["public_task", "consent"]
ConsentChannel = Literal["web-form", "email", "phone", "in-person", "import"]
EditableStatus = Literal["active", "bounced", "unsubscribed"]


Emails = Annotated[list[Email], msgspec.Meta(max_length=20)]
Phones = Annotated[list[Phone], msgspec.Meta(max_length=20)]
LangCodes = Annotated[list[LangCode], msgspec.Meta(max_length=20)]
Slugs = Annotated[list[Slug], msgspec.Meta(max_length=50)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=50)]


class OutletLink(msgspec.Struct, forbid_unknown_fields=True):
    id: UUID
    role: Short = ""


class ConsentIn(msgspec.Struct, forbid_unknown_fields=True):
    text_version: Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=100)]
    channel: ConsentChannel
    purpose: Short = "press-releases"
    given_at: Instant | None = None


class ContactCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    email: Email
    embargo_access: bool = False
    accredited_until: date | None = None
    other_emails: Emails = []
    phones: Phones = []
    country: Country = ""
    languages: LangCodes = []
    beats: Slugs = []
    sources: Slugs = []
    notes: Text = ""
    tags: Tags = []
    outlets: Annotated[list[OutletLink], msgspec.Meta(max_length=20)] = []
    lawful_basis: LawfulBasis = "public_task"
    consent: ConsentIn | None = None


class ContactUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial change: fields left out stay as they are. Accreditation and erasure have
    their own actions; embargo access cannot be granted while suspended."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    embargo_access: bool | msgspec.UnsetType = msgspec.UNSET
    accredited_until: date | msgspec.UnsetType | None = msgspec.UNSET
    other_emails: Emails | msgspec.UnsetType = msgspec.UNSET
    phones: Phones | msgspec.UnsetType = msgspec.UNSET
    country: Country | msgspec.UnsetType = msgspec.UNSET
    languages: LangCodes | msgspec.UnsetType = msgspec.UNSET
    beats: Slugs | msgspec.UnsetType = msgspec.UNSET
    sources: Slugs | msgspec.UnsetType = msgspec.UNSET
    notes: Text | msgspec.UnsetType = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    outlets: Annotated[list[OutletLink], msgspec.Meta(max_length=20)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    lawful_basis: LawfulBasis | msgspec.UnsetType = msgspec.UNSET
    status: EditableStatus | msgspec.UnsetType = msgspec.UNSET


class ContactOutlet(msgspec.Struct):
    id: UUID
    name: str
    role: str


class NearDuplicate(msgspec.Struct):
    id: UUID
    name: str
    email: str


class Contact(msgspec.Struct):
    id: UUID
    name: str
    email: str
    other_emails: list[str]
    phones: list[str]
    country: str
    languages: list[str]
    beats: list[str]
    sources: list[str]
    notes: str
    tags: list[str]
    outlets: list[ContactOutlet]
    embargo_access: bool
    accredited: bool
    accredited_until: date | None
    suspended_at: datetime | None
    suspension_reason: str | None
    status: str
    lawful_basis: str
    created_at: datetime
    updated_at: datetime
    version: int
    near_duplicates: list[NearDuplicate] = []


class ContactPage(msgspec.Struct):
    items: list[Contact]
    next: str | None


class MergeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Merge the contact `source` into the one addressed; `source` is gone afterwards."""

    source: UUID


class AccreditationGrant(msgspec.Struct, forbid_unknown_fields=True):
    evidence: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    verified_on: date
    valid_until: date


class AccreditationReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class AccreditationEvent(msgspec.Struct):
    id: int
    kind: str
    evidence: str
    verified_by: UUID | None
    verified_on: date | None
    valid_until: date | None
    reason: str
    created_at: datetime


class AccreditationPage(msgspec.Struct):
    items: list[AccreditationEvent]
    next: str | None


class Consent(msgspec.Struct):
    id: int
    purpose: str
    text_version: str
    channel: str
    given_at: datetime
    withdrawn_at: datetime | None


class ConsentPage(msgspec.Struct):
    items: list[Consent]
    next: str | None


class SubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    sources: Slugs = []
    topics: Slugs = []
    languages: LangCodes = []
    embargoed: bool = False


class Subscription(msgspec.Struct):
    sources: list[str]
    topics: list[str]
    languages: list[str]
    embargoed: bool
    state: str
    requested_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None


class PublicSubscribe(msgspec.Struct, forbid_unknown_fields=True):
    """A journalist's own request to receive releases; confirmed by a link in an e-mail."""

    email: Email
    consent_text_version: Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=100)]
    name: Short = ""
    sources: Slugs = []
    topics: Slugs = []
    languages: LangCodes = []


class PrivacyRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    """A person's own request to see (`access`) or erase (`erasure`) what is held about them,
    acted on through a link e-mailed to the address."""

    email: Email
    kind: Literal["access", "erasure"]
    lang: Literal["fi", "sv", "en"] = "fi"


class OutletCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: OutletKind = "other"
    country: Country = ""
    languages: LangCodes = []
    website: Url = ""


class OutletUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    kind: OutletKind | msgspec.UnsetType = msgspec.UNSET
    country: Country | msgspec.UnsetType = msgspec.UNSET
    languages: LangCodes | msgspec.UnsetType = msgspec.UNSET
    website: Url | msgspec.UnsetType = msgspec.UNSET


class Outlet(msgspec.Struct):
    id: UUID
    name: str
    kind: str
    country: str
    languages: list[str]
    website: str
    created_at: datetime
    updated_at: datetime
    version: int


class OutletPage(msgspec.Struct):
    items: list[Outlet]
    next: str | None


class MediaContactIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    title: dict[Literal["fi", "sv", "en"], Short] = {}
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    topics: Slugs = []
    languages: LangCodes = []
    position: int = 0


class MediaContactUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    title: dict[Literal["fi", "sv", "en"], Short] | msgspec.UnsetType = msgspec.UNSET
    phone: Annotated[str, msgspec.Meta(max_length=40)] | msgspec.UnsetType = msgspec.UNSET
    email: Annotated[str, msgspec.Meta(max_length=254)] | msgspec.UnsetType = msgspec.UNSET
    topics: Slugs | msgspec.UnsetType = msgspec.UNSET
    languages: LangCodes | msgspec.UnsetType = msgspec.UNSET
    position: int | msgspec.UnsetType = msgspec.UNSET


class StaffMediaContact(msgspec.Struct):
    id: UUID
    name: str
    title: dict[str, str]
    phone: str
    email: str
    topics: list[str]
    languages: list[str]
    position: int
    created_at: datetime
    updated_at: datetime
    version: int


class StaffMediaContactPage(msgspec.Struct):
    items: list[StaffMediaContact]
    next: str | None


class ImportRowProblem(msgspec.Struct):
    row: int
    reasons: list[str]


class ImportReport(msgspec.Struct):
    dry_run: bool
    rows: int
    created: int
    unchanged: int
    rejected: list[ImportRowProblem]
    columns: dict[str, str]
