"""Receiving an upload: multipart parsed as it arrives, bytes hashed on their way to disk.

Litestar never buffers the body: the handler reads `request.stream()` and feeds each chunk to
python-multipart's streaming parser, whose callbacks write the `file` part straight into a
temporary object in storage while computing its SHA-256. Memory stays at one chunk whatever
the size. The temporary object is removed on every way out but success: too large, not
multipart, no `file` part, or the client going away mid-body.

The other parts are small text fields (the console's form token and a photo's texts): they
are kept in memory, up to FIELDS_MAX_BYTES in all.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from press.archive.storage import Storage
from press.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

FIELDS_MAX_BYTES = 64 * 1024

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks


@dataclass
class Received:
    """A complete upload in a temporary object, not yet kept under its hash."""

    path: Path
    sha256: str
    size: int
    client_filename: str | None
    # The body's other parts by name (the first of each name), as text.
    fields: dict[str, str] = field(default_factory=dict)


class _FilePart:
    """Callbacks for MultipartParser: the first part named `file` goes to disk, the other
    parts into `fields`."""

    def __init__(self, handle: BinaryIO, max_bytes: int) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0
        self.filename: str | None = None
        self.found = False
        self._writing = False
        self._field = b""
        self._value = b""
        self._headers: dict[bytes, bytes] = {}
        self.fields: dict[str, str] = {}
        self._field_name: str | None = None
        self._field_value = bytearray()
        self._fields_size = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._headers = {}
        name = params.get(b"name", b"")
        self._writing = name == b"file" and not self.found
        self._field_name = None
        if self._writing:
            self.found = True
            raw = params.get(b"filename")
            self.filename = raw.decode("utf-8", "replace") if raw is not None else None
        elif name != b"file":
            self._field_name = name.decode("utf-8", "replace")
            self._field_value = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._field_name is not None:
            self._fields_size += end - start
            if self._fields_size > FIELDS_MAX_BYTES:
                raise BadRequest("The form's fields beside the file are too long.")
            self._field_value += data[start:end]
        if not self._writing:
            return
        chunk = data[start:end]
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"Files may be at most {self.max_bytes // 2**20} MB.")
        self.digest.update(chunk)
        self.handle.write(chunk)

    def on_part_end(self) -> None:
        if self._field_name is not None:
            value = self._field_value.decode("utf-8", "replace")
            self.fields.setdefault(self._field_name, value)
            self._field_name = None
        self._writing = False


def multipart_boundary(content_type: str | None) -> bytes:
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType("Send the file as multipart/form-data in the field `file`.")
    return boundary


async def receive_file(
    chunks: AsyncIterator[bytes],
    content_type: str | None,
    content_length: int | None,
    storage: Storage,
    max_bytes: int,
) -> Received:
    """Stream the `file` part of a multipart body into a temporary object in `storage`."""
    boundary = multipart_boundary(content_type)
    # Multipart framing adds a little; a declared length far past the limit is refused unread.
    if content_length is not None and content_length > max_bytes + 64 * 1024:
        raise PayloadTooLarge(f"Files may be at most {max_bytes // 2**20} MB.")
    path = storage.temporary_path()
    try:
        with path.open("wb") as handle:
            part = _FilePart(handle, max_bytes)
            parser = MultipartParser(boundary, callbacks=_callbacks(part))
            async for chunk in chunks:
                if chunk:
                    parser.write(chunk)
            parser.finalize()
        # python-multipart does not check that the closing boundary came: a body cut short
        # would otherwise pass as a complete (truncated) file.
        if parser.state not in (MultipartState.END, MultipartState.BOUNDARY_PADDING):
            raise BadRequest("The multipart body ended before its closing boundary.")
        if not part.found:
            raise BadRequest("The multipart body has no part named `file`.")
        return Received(path, part.digest.hexdigest(), part.size, part.filename, part.fields)
    except MultipartParseError:
        storage.discard(path)
        raise BadRequest("The multipart body is malformed.") from None
    except BaseException:
        # Refused, malformed, or the client went away (Litestar raises on http.disconnect;
        # the server may also cancel us): nothing of it may stay on disk.
        storage.discard(path)
        raise


def _callbacks(part: _FilePart) -> MultipartCallbacks:
    return {
        "on_header_field": part.on_header_field,
        "on_header_value": part.on_header_value,
        "on_header_end": part.on_header_end,
        "on_headers_finished": part.on_headers_finished,
        "on_part_data": part.on_part_data,
        "on_part_end": part.on_part_end,
    }
