"""File names from clients, made safe to show and to send back in Content-Disposition. Pure.

A client's name is only ever a label: storage keys are hashes. The label is still cleaned,
because it is echoed in headers and in press-kit ZIP entries: no directories, no control or
bidirectional-override characters (which can disguise `gpj.exe` as `exe.jpg`), NFC, bounded.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

MAX_NAME = 120
# Unicode bidi controls: embeddings, overrides and isolates.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
}


def safe_filename(raw: str | None, content_type: str) -> str:
    """A clean name whose extension matches the detected type (never the client's)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        c
        for c in name
        if c not in _BIDI and unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    name = " ".join(name.split()).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .") or "file"
    extension = EXTENSIONS.get(content_type, "")
    return stem[: MAX_NAME - len(extension)].rstrip(" .") + extension


def ascii_fallback(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in " ._-()"))
    return plain.strip(" .") or "file"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """RFC 6266: an ASCII `filename` for old clients and the exact one in `filename*`."""
    return f"{disposition}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
