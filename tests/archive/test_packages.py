"""ZIP packages are unpacked within limits counted from the bytes (press.archive.packages)."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import pytest

from press.archive.documents import OOXML_PREFIX, strip_document
from press.archive.packages import Limits, Unpacking, open_package, unpack_all
from press.errors import OverLimit
from tests.archive.samples import docx_bomb, docx_types, zip_bytes


def test_unpacking_stops_at_the_ratio_limit_having_read_no_more_than_it() -> None:
    bomb = docx_bomb(400)
    unpacked = 0

    def read_all(unpacking: Unpacking, archive: zipfile.ZipFile) -> None:
        nonlocal unpacked
        for chunk in unpacking.chunks(archive, archive.getinfo("word/media/image1.bin")):
            unpacked += len(chunk)

    with open_package(io.BytesIO(bomb)) as archive, pytest.raises(OverLimit) as refused:
        read_all(Unpacking(len(bomb)), archive)
    assert refused.value.extra == {"limit": "compression-ratio", "maximum": 100}
    assert unpacked <= 100 * len(bomb) < 50 * 2**20


def test_unpacked_size_is_limited_whatever_the_ratio() -> None:
    package = zip_bytes({"a.bin": os.urandom(600_000), "b.bin": os.urandom(600_000)})
    with open_package(io.BytesIO(package)) as archive, pytest.raises(OverLimit) as refused:
        unpack_all(archive, len(package), Limits(unpacked=1_000_000))
    assert refused.value.extra == {"limit": "unpacked-size", "maximum": 1_000_000}


def test_entries_past_the_limit_are_refused() -> None:
    package = zip_bytes({f"part{n}.xml": b"" for n in range(6)})
    with pytest.raises(OverLimit) as refused:
        open_package(io.BytesIO(package), Limits(entries=5))
    assert refused.value.extra == {"limit": "entry-count", "maximum": 5}


def test_a_central_directory_larger_than_the_entry_limit_needs_is_refused_unparsed() -> None:
    # Three entries, but a directory only millions of entries would need at full scale:
    # ZipFile would read and parse all of it before anyone could count.
    package = zip_bytes({"x" * 3000 + str(n): b"" for n in range(3)})
    with pytest.raises(OverLimit) as refused:
        open_package(io.BytesIO(package), Limits(entries=5))
    assert refused.value.extra["limit"] == "entry-count"


def test_a_package_within_the_limits_is_unpacked_whole() -> None:
    package = zip_bytes({"[Content_Types].xml": docx_types(), "word/document.xml": b"<w/>" * 999})
    with open_package(io.BytesIO(package)) as archive:
        unpack_all(archive, len(package))


def test_cleaning_a_stored_bomb_stops_at_the_limit_instead_of_unpacking_it() -> None:
    # A package stored before the limits existed, its bomb in a part that is cleaned (read
    # whole): making its public copy again is refused at the limit, not 400 MB later.
    bomb = docx_bomb(400, part="word/document.xml")
    tracemalloc.start()
    try:
        with pytest.raises(OverLimit):
            strip_document(bomb, OOXML_PREFIX + "wordprocessingml.document")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB"


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_parts_compressed_other_than_by_deflate_are_not_unpacked(compression: int) -> None:
    # zipfile hands these to their decompressors without an output bound.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", docx_types())
    with pytest.raises(NotImplementedError):
        open_package(io.BytesIO(out.getvalue()))
