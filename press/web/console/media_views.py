"""A release's photos and documents as the console shows them: thumbnails, kinds and sizes in
the user's language, the alt texts publishing still waits for, the texts typed into a form
read into the archive's own `FileUpdate`, and the archive's refusals told in the user's
language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from babel.numbers import format_decimal

from press.archive import files, repository
from press.archive.renditions import RENDITIONS
from press.archive.schemas import File, FileUpdate
from press.errors import (
    InvalidInput,
    PayloadTooLarge,
    PreconditionFailed,
    PressError,
    UnsupportedMediaType,
)
from press.releases.schemas import LANGS, Release
from press.settings import Settings
from press.web import i18n
from press.web.console.views import LANGUAGE_LABELS

LISTED = 200
FOUND = 24
OFFICE = "application/vnd.openxmlformats-officedocument."
KIND_NAMES = {
    "image/jpeg": i18n.gettext_noop("JPEG photo"),
    "image/png": i18n.gettext_noop("PNG image"),
    "image/webp": i18n.gettext_noop("WebP image"),
    "image/gif": i18n.gettext_noop("GIF image"),
    "application/pdf": i18n.gettext_noop("PDF document"),
    OFFICE + "wordprocessingml.document": i18n.gettext_noop("Word document (DOCX)"),
    OFFICE + "spreadsheetml.sheet": i18n.gettext_noop("Excel workbook (XLSX)"),
    OFFICE + "presentationml.presentation": i18n.gettext_noop("PowerPoint presentation (PPTX)"),
    "application/vnd.oasis.opendocument.text": i18n.gettext_noop("OpenDocument text (ODT)"),
}
ACCEPTED = i18n.gettext_noop(
    "This file is not accepted. Photos may be JPEG, PNG, WebP or GIF (up to 60 megapixels), "
    "documents PDF, DOCX, XLSX, PPTX or ODT."
)


def size_text(size: int, lang: str) -> str:
    """A file's size as the user's language writes it (1,2 Mt, 1.2 MB, 35 kB)."""
    locale = i18n.BABEL_LOCALES[lang]
    if size >= 100_000:
        number = format_decimal(round(size / 1_000_000, 1), format="#,##0.0", locale=locale)
        return i18n.gettext("{size} MB").format(size=number)
    return i18n.gettext("{size} kB").format(size=max(1, size // 1000))


def kind_name(content_type: str) -> str:
    return i18n.gettext(KIND_NAMES[content_type]) if content_type in KIND_NAMES else content_type


def language_names(codes: list[str]) -> str:
    return ", ".join(i18n.gettext(LANGUAGE_LABELS[c]) for c in LANGS if c in codes)


def thumbnail_size(item: File) -> tuple[int | None, int | None]:
    """The thumbnail's width and height (the longest side at most the rendition's), for the
    page to keep room for it before it loads."""
    if not item.width or not item.height:
        return None, None
    scale = min(1.0, RENDITIONS["thumbnail"] / max(item.width, item.height))
    return max(1, round(item.width * scale)), max(1, round(item.height * scale))


def shown(item: File, release: Release | None, lang: str) -> dict[str, Any]:
    """A file as a line of the page."""
    width, height = thumbnail_size(item)
    needed = list(release.translations) if release else []
    return {
        "id": item.id,
        "file": item,
        "etag": files.file_etag(item),
        "is_image": item.content_type.startswith("image/"),
        "kind": kind_name(item.content_type),
        "size": size_text(item.size, lang),
        "thumbnail": f"/console/files/{item.id}/thumbnail",
        "thumb_width": width,
        "thumb_height": height,
        # Its alt text in the user's language if it has one: a thumbnail without any is
        # named by the file name beside it.
        "alt": next((item.alt[c] for c in (lang, *LANGS) if item.alt.get(c)), ""),
        "missing": [c for c in LANGS if c in needed and not item.alt.get(c, "").strip()],
        "texts": texts_of(item),
        "elsewhere": len([r for r in item.releases if release is None or r != release.id]),
    }


async def release_media(
    conn: asyncpg.Connection, settings: Settings, release: Release, lang: str
) -> dict[str, Any]:
    """The release's photos and documents, and the photos publishing waits for: the same
    query the domain asks before it publishes (press.archive.files.check_release_alt_texts)."""
    rows = await repository.list_files(conn, None, release.id, None, LISTED)
    items = [shown(files.to_file(row, settings), release, lang) for row in rows]
    missing = await repository.images_missing_alt(conn, release.id)
    return {
        "photos": [i for i in items if i["is_image"]],
        "documents": [i for i in items if not i["is_image"]],
        "missing": [
            {"filename": row["filename"], "langs": language_names(list(row["langs"]))}
            for row in missing
        ],
        "needed": [
            (c, i18n.gettext(LANGUAGE_LABELS[c])) for c in LANGS if c in release.translations
        ],
    }


async def reusable_photos(
    conn: asyncpg.Connection, settings: Settings, release: Release, words: list[str], lang: str
) -> list[dict[str, Any]]:
    rows = await repository.search_reusable_photos(conn, words, release.id, FOUND)
    return [shown(files.to_file(row, settings), release, lang) for row in rows]


def photo_texts(form: Mapping[str, Any]) -> dict[str, Any]:
    """A photo's alt texts and credit as typed (the form shows them again if refused)."""
    return {
        "alt": {lang: str(form.get(f"alt_{lang}") or "").strip() for lang in LANGS},
        "credit": str(form.get("credit") or "").strip(),
    }


def texts_of(item: File) -> dict[str, Any]:
    return {"alt": {lang: item.alt.get(lang, "") for lang in LANGS}, "credit": item.credit}


def file_update(texts: dict[str, Any]) -> FileUpdate:
    """The change the texts ask for: the archive's own request, checked by its own rules
    (one line each, alt texts up to 2000 characters, the credit up to 300)."""
    body = {"alt": {k: v for k, v in texts["alt"].items() if v}, "credit": texts["credit"]}
    try:
        return msgspec.convert(body, FileUpdate)
    except msgspec.ValidationError as error:
        key = "credit" if "$.credit" in str(error) else "alt"
        raise InvalidInput(str(error), errors=[{"key": key, "message": str(error)}]) from error


def refusal(error: PressError, settings: Settings, missing: list[str]) -> dict[str, str]:
    """The archive's refusal as the field it concerns and a message in the user's language:
    a wrong kind of file, a file too large, texts that are not one line or too long, alt
    texts missing (`missing`: the languages the release needs them in). Other refusals keep
    the domain's own words."""
    keys = {e.get("key") for e in (error.extra.get("errors") or [])}
    if isinstance(error, PayloadTooLarge):
        text = i18n.gettext("The file is too large: files may be at most {mb} MB.")
        return {"file": text.format(mb=settings.max_upload_mb)}
    if isinstance(error, UnsupportedMediaType):
        return {"file": i18n.gettext(ACCEPTED)}
    if isinstance(error, PreconditionFailed):
        text = i18n.gettext(
            "Someone else changed this photo's texts while you were editing. Nothing was saved; "
            "save again to replace theirs with yours."
        )
        return {"form": text}
    if isinstance(error, InvalidInput) and "credit" in keys:
        return {"credit": i18n.gettext("The credit is one line of at most 300 characters.")}
    if isinstance(error, InvalidInput) and "alt" in keys and missing:
        text = i18n.gettext(
            "The release is scheduled or published: the photo needs alt text in {languages}."
        )
        return {"alt": text.format(languages=language_names(missing))}
    if isinstance(error, InvalidInput) and "alt" in keys:
        return {"alt": i18n.gettext("Each alt text is one line of at most 2000 characters.")}
    return {"form": error.detail}


def move_refusal(error: PressError) -> str | None:
    """The archive's alt-text check refusing a move (before publishing), told in the user's
    language, the photos it names listed on the page; None for any other refusal."""
    keys = {e.get("key") for e in (error.extra.get("errors") or [])}
    if isinstance(error, InvalidInput) and "files" in keys:
        return i18n.gettext(
            "Photos need alt text in each language of the release before it is published or "
            "scheduled. They are listed under Photos and documents."
        )
    return None


def broken_upload() -> dict[str, str]:
    """The body was not a whole multipart form (cut short, or not one at all)."""
    return {
        "file": i18n.gettext("The upload did not arrive whole. Choose the file and send it again.")
    }


def missing_alt(release: Release, texts: dict[str, Any]) -> list[str]:
    """The release's languages the typed alt texts leave empty (to name them in a refusal)."""
    return [c for c in LANGS if c in release.translations and not texts["alt"].get(c)]


def search_words(query: str) -> list[str]:
    return query.split()[:8]


def parse_file_id(value: Any) -> UUID:
    try:
        return UUID(str(value or ""))
    except ValueError:
        raise InvalidInput(i18n.gettext("Choose a photo from the search results.")) from None
