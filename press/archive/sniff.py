"""What an uploaded file really is: decided from its bytes, checked by a real parser.

The client's file name and Content-Type are never believed. Only an allowlist of types is
accepted; images are opened by Pillow (with a pixel limit against decompression bombs), PDFs
by pypdf, and office documents by their inner ZIP manifest once every part has been unpacked
within press.archive.packages' limits. SVG, HTML and everything else
are refused: served from our origin they could run script.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from press.archive.packages import UNREADABLE_ZIP, open_package, unpack_all
from press.errors import UnsupportedMediaType

MAX_IMAGE_PIXELS = 60_000_000  # 60 MP: a large camera image; more is a bomb or a mistake
# Images are read whole to cut out their metadata; no honest photo is larger.
MAX_IMAGE_BYTES = 150 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
ODF_TYPES = {"application/vnd.oasis.opendocument.text"}


@dataclass(frozen=True)
class Detected:
    content_type: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def refuse(reason: str) -> UnsupportedMediaType:
    return UnsupportedMediaType(
        f"{reason}. Accepted: JPEG, PNG, WebP, GIF, PDF, DOCX, XLSX, PPTX and ODT."
    )


def detect(path: Path) -> Detected:
    """The verified type of the file at `path`, or UnsupportedMediaType."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return _image(path)
    if head.startswith(b"%PDF-"):
        return _pdf(path)
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    raise refuse("This kind of file is not accepted")


def _image(path: Path) -> Detected:
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise refuse(f"Images may be at most {MAX_IMAGE_BYTES // 2**20} MB")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = IMAGE_FORMATS.get(image.format or "")
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(f"The image has more than {MAX_IMAGE_PIXELS} pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refuse("The image cannot be decoded") from None
    if kind is None:
        raise refuse("This image format is not accepted")
    return Detected(kind, width, height)


def _pdf(path: Path) -> Detected:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 2048))
        if b"%%EOF" not in handle.read():
            raise refuse("The PDF is incomplete")
    try:
        # A file handle, not the path: given a path, pypdf reads the whole file into memory.
        with path.open("rb") as handle:
            pages = len(PdfReader(handle).pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        raise refuse("The PDF cannot be read") from None
    if pages < 1:
        raise refuse("The PDF has no pages")
    return Detected("application/pdf")


def _office(path: Path) -> Detected:
    try:
        with path.open("rb") as handle, open_package(handle) as archive:
            entries = archive.infolist()
            _check_zip_paths(entries)
            unpack_all(archive, path.stat().st_size)
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if kind in ODF_TYPES:
                    return Detected(kind)
            if "[Content_Types].xml" in names:
                manifest = archive.open("[Content_Types].xml").read(1_000_000).decode("utf-8")
                for main, kind in OOXML_MAIN.items():
                    if f'ContentType="{main}"' in manifest:
                        return Detected(kind)
    except UNREADABLE_ZIP:
        raise refuse("The document cannot be read") from None
    raise refuse("This kind of ZIP file is not accepted")


def _check_zip_paths(entries: list[zipfile.ZipInfo]) -> None:
    for entry in entries:
        name = entry.filename
        is_symlink = (entry.external_attr >> 16) & 0o170000 == 0o120000
        if is_symlink or name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise refuse("The document contains unsafe paths")
