"""ZIP packages (Office documents, OpenDocument) unpacked within limits. Pure over files.

A 400 kB document can unpack to gigabytes: a long run of zeros deflates a thousandfold, and
entries may share one compressed stream. What a ZIP declares (its sizes, its number of
entries) is written by whoever made it, so nothing here believes it: every byte unpacked is
counted as it comes out of the decompressor, in chunks, and unpacking stops at the first
limit passed, with a 422 naming it:

- `entry-count`: at most 5,000 entries, and a central directory no larger than that many
  entries need (ZipFile reads the whole directory before anything can count its entries);
- `unpacked-size`: at most 1 GB unpacked in all;
- `compression-ratio`: at most 100 bytes unpacked per byte of the package, judged once
  10 MB are unpacked (a small package of empty XML is not a bomb).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from press.errors import OverLimit

CHUNK = 64 * 1024
MAX_ENTRY_NAME = 1024  # bytes of central directory per entry, name and extras included
_DIRECTORY_END = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
# Compressions zipfile unpacks to at most the size asked for per read. It hands bzip2 and
# LZMA data to their decompressors whole, where a few kilobytes may become gigabytes; Office
# and OpenDocument write neither.
_BOUNDED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


@dataclass(frozen=True)
class Limits:
    entries: int = 5_000
    unpacked: int = 1024 * 1024 * 1024
    ratio: int = 100
    ratio_after: int = 10 * 1024 * 1024


LIMITS = Limits()
# What reading a broken or unusual ZIP raises: a bad CRC or header, a corrupt deflate stream,
# a cut-off entry, encryption or a compression zipfile does not know (RuntimeErrors).
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    KeyError,
    ValueError,
)


class Unpacking:
    """The bytes unpacked so far from one package of `packed` bytes, against `limits`."""

    def __init__(self, packed: int, limits: Limits = LIMITS) -> None:
        self.packed = max(packed, 1)
        self.limits = limits
        self.unpacked = 0

    def count(self, size: int) -> None:
        self.unpacked += size
        limits = self.limits
        if self.unpacked > limits.unpacked:
            raise OverLimit(
                f"The document unpacks to more than {limits.unpacked // 2**20} MB.",
                limit="unpacked-size",
                maximum=limits.unpacked,
            )
        if self.unpacked > limits.ratio_after and self.unpacked > limits.ratio * self.packed:
            raise OverLimit(
                f"The document unpacks to more than {limits.ratio} times its size, "
                "as a ZIP bomb does.",
                limit="compression-ratio",
                maximum=limits.ratio,
            )

    def chunks(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Iterator[bytes]:
        """The entry as it is unpacked, chunk by chunk, each counted before it is handed on."""
        with archive.open(entry) as source:
            while chunk := source.read(CHUNK):
                self.count(len(chunk))
                yield chunk

    def read(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
        return b"".join(self.chunks(archive, entry))

    def copy(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: IO[bytes]) -> None:
        """The entry written to `target` as it is unpacked; never whole in memory."""
        for chunk in self.chunks(archive, entry):
            target.write(chunk)


def open_package(handle: IO[bytes], limits: Limits = LIMITS) -> zipfile.ZipFile:
    """The ZIP in `handle` once its entry count is within limits; one of UNREADABLE_ZIP if
    it is not a ZIP or has a part compressed otherwise than with deflate."""
    if _directory_size(handle) > limits.entries * MAX_ENTRY_NAME:
        raise _too_many_entries(limits)
    archive = zipfile.ZipFile(handle)
    entries = archive.infolist()
    if len(entries) > limits.entries:
        archive.close()
        raise _too_many_entries(limits)
    if any(entry.compress_type not in _BOUNDED for entry in entries):
        archive.close()
        raise NotImplementedError("a part is compressed otherwise than Office does")
    return archive


def unpack_all(archive: zipfile.ZipFile, packed: int, limits: Limits = LIMITS) -> None:
    """Unpack every entry (checking its CRC) without keeping it: within the limits, nothing
    read from this package later can unpack to more."""
    entries = archive.infolist()
    # What the package declares is judged first, so an honest bomb is refused unread.
    Unpacking(packed, limits).count(sum(entry.file_size for entry in entries))
    unpacking = Unpacking(packed, limits)
    for entry in entries:
        for _ in unpacking.chunks(archive, entry):
            pass


def _too_many_entries(limits: Limits) -> OverLimit:
    return OverLimit(
        f"The document has more than {limits.entries:,} parts.",
        limit="entry-count",
        maximum=limits.entries,
    )


def _directory_size(handle: IO[bytes]) -> int:
    """The size of the central directory as the end record says, which is what ZipFile
    reads and parses into entries before anyone can count them."""
    handle.seek(0, 2)
    end = handle.tell()
    handle.seek(max(0, end - 22 - 65535))
    tail = handle.read()
    at = tail.rfind(_DIRECTORY_END)
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    size = int.from_bytes(tail[at + 12 : at + 16], "little")
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(_ZIP64_LOCATOR):
        handle.seek(int.from_bytes(locator[8:16], "little"))
        record = handle.read(56)
        size = max(size, int.from_bytes(record[40:48], "little"))
    handle.seek(0)
    return size
