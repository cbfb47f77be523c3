"""Sending a stored file: validators, 304, one byte range, and headers that keep it inert."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.response import Stream

from press.archive.names import content_disposition
from press.archive.ranges import byte_range
from press.archive.renditions import render
from press.archive.storage import Storage
from press.conditional import surrogate_key


@dataclass(frozen=True)
class Stored:
    """What to send: an object in storage (or rendition bytes), its type, name and tag."""

    sha256: str
    size: int
    content_type: str
    filename: str
    etag: str
    data: bytes | None = None  # a rendition, small enough to hold


def stored_file(row: Any) -> Stored:
    """A file's row (of `files` or a view of it) as what to send: its upload's bytes."""
    return Stored(
        sha256=row["sha256"],
        size=row["size"],
        content_type=row["content_type"],
        filename=row["filename"],
        etag=f'"{row["sha256"]}"',
    )


def _etag_matches(header: str, etag: str) -> bool:
    return header.strip() == "*" or etag in [
        c.strip().removeprefix("W/") for c in header.split(",")
    ]


def send_file(
    request: Request[Any, Any, Any], stored: Stored, storage: Storage, cache_control: str
) -> Response[Any]:
    """200, 206, 304 or 416 for a file; every answer carries the same validators."""
    headers = {
        "ETag": stored.etag,
        "Cache-Control": cache_control,
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(stored.filename),
        # Never sniffed into HTML, and sandboxed if a browser renders it anyway.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    if cache_control.startswith("public"):
        headers["Surrogate-Key"] = surrogate_key(request.scope["path"])
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and _etag_matches(if_none_match, stored.etag):
        return Response(b"", status_code=304, headers=headers, media_type=stored.content_type)
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range.strip() != stored.etag:
        range_header = None  # the client's copy is stale: send the whole new file
    span = byte_range(range_header, stored.size)
    status = 200
    start, end = 0, stored.size - 1
    if span is not None:
        status, (start, end) = 206, span
        headers["Content-Range"] = f"bytes {start}-{end}/{stored.size}"
    headers["Content-Length"] = str(max(0, end - start + 1))
    return Stream(
        _chunks(stored, storage, start, end),
        status_code=status,
        headers=headers,
        media_type=stored.content_type,
    )


def _chunks(stored: Stored, storage: Storage, start: int, end: int) -> Iterator[bytes]:
    if end < start:
        return
    if stored.data is not None:
        yield stored.data[start : end + 1]
        return
    yield from storage.read_range(stored.sha256, start, end)


async def rendition_of(stored: Stored, storage: Storage, name: str) -> Stored:
    """The cached rendition `name` of an image, made on first request."""
    for extension, kind in ((".jpg", "image/jpeg"), (".png", "image/png")):
        cached = await asyncio.to_thread(storage.derived, f"{stored.sha256}-{name}{extension}")
        if cached is not None:
            return _rendition(stored, name, cached, kind)

    def make() -> tuple[bytes, str]:
        original = b"".join(storage.read_range(stored.sha256, 0, stored.size - 1))
        data, kind = render(original, name)
        extension = ".png" if kind == "image/png" else ".jpg"
        storage.put_derived(f"{stored.sha256}-{name}{extension}", data)
        return data, kind

    data, kind = await asyncio.to_thread(make)
    return _rendition(stored, name, data, kind)


def _rendition(stored: Stored, name: str, data: bytes, kind: str) -> Stored:
    stem = stored.filename.rsplit(".", 1)[0]
    extension = ".png" if kind == "image/png" else ".jpg"
    return Stored(
        sha256=stored.sha256,
        size=len(data),
        content_type=kind,
        filename=f"{stem}-{name}{extension}",
        etag=f'"{stored.sha256}-{name}"',
        data=data,
    )
