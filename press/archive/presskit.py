"""The press kit: one ZIP with a release's text in each language and its files, streamed.

The ZIP is written entry by entry into a small buffer that is handed on as it fills, so a kit
of large photos never sits in memory. Entry dates are the release's publication time, which
makes the archive byte-identical between requests while nothing changed.
"""

from __future__ import annotations

import html
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from press.archive.storage import Storage


@dataclass(frozen=True)
class KitFile:
    name: str
    sha256: str
    size: int


class _Sink:
    """A write-only, unseekable file for zipfile whose contents are taken as they come."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def release_page(lang: str, text: Mapping[str, str], source: str, published: datetime) -> bytes:
    """The release in one language as a small standalone HTML page (body already sanitised)."""
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(text['title'])}</title></head><body>\n"
        f"<h1>{html.escape(text['title'])}</h1>\n"
        f"<p><em>{html.escape(source)} · {published.isoformat()}</em></p>\n"
        f"<p><strong>{html.escape(text['lead'])}</strong></p>\n"
        f"{text['body_html']}\n</body></html>\n"
    ).encode()


def credits_text(files: list[Mapping[str, Any]], names: list[str]) -> bytes:
    lines = []
    for row, name in zip(files, names, strict=True):
        title = next((v for v in row["title"].values() if v), "")
        parts = [name, title, row["credit"], row["licence"]]
        lines.append(" — ".join(p for p in parts if p))
    return ("\n".join(lines) + "\n").encode()


def press_kit_chunks(
    pages: list[tuple[str, bytes]],
    files: list[KitFile],
    storage: Storage,
    published: datetime,
) -> Iterator[bytes]:
    sink = _Sink()
    stamp = published.timetuple()[:6]
    with zipfile.ZipFile(sink, "w") as archive:  # type: ignore[call-overload]
        for name, data in pages:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            yield sink.take()
        for kit_file in files:
            info = zipfile.ZipInfo(kit_file.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED  # photos and PDFs are compressed already
            info.file_size = kit_file.size
            with archive.open(info, "w", force_zip64=kit_file.size > 2**31) as entry:
                if kit_file.size:
                    for chunk in storage.read_range(kit_file.sha256, 0, kit_file.size - 1):
                        entry.write(chunk)
                        yield sink.take()
            yield sink.take()
    yield sink.take()
