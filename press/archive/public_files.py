"""What the public reads about files: a release's files and the public media bank. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from press.archive.renditions import RENDITIONS
from press.archive.schemas import PublicFile
from press.releases.public import FALLBACK_ORDER


def _text(texts: Mapping[str, str], preference: Sequence[str]) -> tuple[str, str]:
    """The text in the first preferred language that has one, and that language."""
    for lang in (*preference, *FALLBACK_ORDER):
        if (texts.get(lang) or "").strip():
            return texts[lang], lang
    return "", preference[0] if preference else "fi"


def to_public_file(
    row: Mapping[str, Any], preference: Sequence[str], public_url: str
) -> PublicFile:
    url = f"{public_url}/api/v1/files/{row['id']}/{quote(row['filename'])}"
    title, lang = _text(row["title"], preference)
    is_image = row["content_type"].startswith("image/")
    return PublicFile(
        id=row["id"],
        url=url,
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        width=row["width"],
        height=row["height"],
        lang=lang,
        title=title,
        caption=_text(row["caption"], [lang, *preference])[0],
        alt=_text(row["alt"], [lang, *preference])[0],
        credit=row["credit"],
        licence=row["licence"],
        taken_at=row["taken_at"],
        renditions={name: f"{url}?rendition={name}" for name in RENDITIONS} if is_image else {},
        collection=row.get("collection"),
    )
