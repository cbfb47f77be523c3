"""Image renditions and metadata stripping for what the public downloads. Pure over bytes.

A photo's EXIF can carry the GPS position of a photographer's home or an official's car; XMP
and IPTC can name people. The public original is therefore the uploaded image with those
blocks cut out losslessly (JPEG segments, PNG chunks, WebP RIFF chunks); the pixels are not
re-encoded. Renditions (thumbnail, web) are re-encoded from the pixels without metadata.
A PDF loses its document information, scripts and attached files (press.archive.pdfs).
"""

from __future__ import annotations

import io
import logging
import struct
import warnings

from PIL import Image, ImageOps

from press.archive.documents import strip_document
from press.archive.pdfs import strip_pdf
from press.archive.sniff import MAX_IMAGE_PIXELS

RENDITIONS = {"thumbnail": 320, "web": 1600}
log = logging.getLogger("press")
# JPEG APPn segments that carry metadata: APP1 (EXIF, XMP), APP13 (IPTC), and comments.
_JPEG_DROP = {0xE1, 0xED, 0xFE}
_PNG_DROP = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The file without location and authorship metadata (images, PDFs, Office documents),
    and a PDF without scripts and attached files; other bytes unchanged."""
    if content_type == "image/jpeg":
        return _strip_jpeg(data)
    if content_type == "image/png":
        return _strip_png(data)
    if content_type == "image/webp":
        return _strip_webp(data)
    if content_type == "application/pdf":
        return strip_pdf(data)
    return strip_document(data, content_type)


def _strip_jpeg(data: bytes) -> bytes:
    out = bytearray(data[:2])
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segment = data[position : position + 2 + length]
        if marker not in _JPEG_DROP:
            out += segment
        position += 2 + length
    out += data[position:]
    return bytes(out)


def _strip_png(data: bytes) -> bytes:
    out = bytearray(data[:8])
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind not in _PNG_DROP:
            out += data[position:end]
        position = end
    return bytes(out)


def _strip_webp(data: bytes) -> bytes:
    chunks = bytearray()
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        end = position + 8 + length + (length & 1)
        chunk = bytearray(data[position:end])
        if kind == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # clear the EXIF and XMP flags
        if kind not in _WEBP_DROP:
            chunks += chunk
        position = end
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)


def render(data: bytes, name: str) -> tuple[bytes, str]:
    """A rendition (`thumbnail` or `web`) as JPEG, or PNG when the image has transparency."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    longest = RENDITIONS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as original:
            original.draft("RGB", (longest, longest))  # JPEG: decode at reduced size
            image = ImageOps.exif_transpose(original)
            image.thumbnail((longest, longest))
            out = io.BytesIO()
            if (image.mode in ("RGBA", "LA", "P") and "transparency" in image.info) or (
                image.mode in ("RGBA", "LA")
            ):
                image.convert("RGBA").save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png"
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue(), "image/jpeg"
