"""Files and the archive on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from press.releases.schemas import Instant, Lang, Slug
from press.text import SingleLine

Text = Annotated[str, msgspec.Meta(max_length=2000)]
Texts = Annotated[dict[Lang, Text], msgspec.Meta(max_length=3)]
# Titles and alt texts: one line each, as pages, feeds and credits show them.
Line = Annotated[SingleLine, msgspec.Meta(max_length=2000)]
Lines = Annotated[dict[Lang, Line], msgspec.Meta(max_length=3)]
ShortLine = Annotated[SingleLine, msgspec.Meta(max_length=300)]
Filename = Annotated[SingleLine, msgspec.Meta(min_length=1, max_length=255)]


class File(msgspec.Struct):
    """A stored file as staff see it; `url` is where the public (when allowed) fetches it."""

    id: UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str
    width: int | None
    height: int | None
    title: dict[str, str]
    caption: dict[str, str]
    alt: dict[str, str]
    credit: str
    licence: str
    taken_at: datetime | None
    collection: str | None
    public: bool
    releases: list[UUID]
    created_at: datetime
    updated_at: datetime
    version: int


class FilePage(msgspec.Struct):
    items: list[File]
    next: str | None


class FileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial change of a file's metadata; fields left out stay as they are."""

    filename: Filename | msgspec.UnsetType = msgspec.UNSET
    title: Lines | msgspec.UnsetType = msgspec.UNSET
    caption: Texts | msgspec.UnsetType = msgspec.UNSET
    alt: Lines | msgspec.UnsetType = msgspec.UNSET
    credit: ShortLine | msgspec.UnsetType = msgspec.UNSET
    licence: ShortLine | msgspec.UnsetType = msgspec.UNSET
    taken_at: Instant | msgspec.UnsetType | None = msgspec.UNSET
    collection: Slug | msgspec.UnsetType | None = msgspec.UNSET
    public: bool | msgspec.UnsetType = msgspec.UNSET


class Attachment(msgspec.Struct, forbid_unknown_fields=True):
    release_id: UUID
    position: Annotated[int, msgspec.Meta(ge=0, le=10_000)] | None = None


class PublicFile(msgspec.Struct):
    """A downloadable file as the public sees it, its texts in one language."""

    id: UUID
    url: str
    filename: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    lang: str
    title: str
    caption: str
    alt: str
    credit: str
    licence: str
    taken_at: datetime | None
    # Image renditions by name (thumbnail, web): where to fetch each.
    renditions: dict[str, str]
    collection: str | None = None


class PublicFileList(msgspec.Struct):
    items: list[PublicFile]
    next: str | None = None


class MonthCount(msgspec.Struct):
    year: int
    month: int
    count: int


class ArchiveCounts(msgspec.Struct):
    """Public releases per month, newest first, for browsing the archive."""

    items: list[MonthCount]
    total: int
