"""Where file bytes live: content-addressed objects behind a small backend interface.

An object's key is the SHA-256 of its bytes, so the same bytes are stored once however many
files point at them. An upload is written to a temporary object first and only moved under
its key once it is complete and accepted; anything else deletes it, so a failed, refused or
interrupted upload leaves nothing behind. A deleted file's objects are removed once no file
points at them any more (press.archive.collector).

`LocalStorage` keeps objects under the data directory; `press.archive.s3.S3Storage` keeps
them in an S3-compatible bucket (chosen by PRESS_S3_BUCKET). Uploads in progress are always
local files: they are hashed on the way in and only a complete, accepted one is sent on.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

CHUNK = 256 * 1024


class Storage(Protocol):
    """The operations press needs from a place to keep file bytes."""

    incoming: Path  # local: where uploads are received before they are kept

    def temporary_path(self) -> Path: ...

    def keep(self, temporary: Path, sha256: str) -> None: ...

    def discard(self, temporary: Path) -> None: ...

    def has(self, sha256: str) -> bool: ...

    def read_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]: ...

    def derived(self, key: str) -> bytes | None: ...

    def put_derived(self, key: str, data: bytes) -> None: ...

    def remove(self, sha256: str) -> None:
        """Remove the object and everything derived from it (renditions: `<sha256>-…`);
        nothing there is not an error."""
        ...

    def object_keys(self) -> Iterator[str]:
        """The keys of every object kept."""
        ...

    def derived_keys(self) -> Iterator[str]:
        """The keys of everything derived (`<sha256>-<name>`)."""
        ...


class LocalStorage:
    """Objects in a directory: `objects/ab/abcdef…`, uploads in progress in `incoming/`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self.incoming = root / "incoming"
        self.renditions = root / "renditions"
        for directory in (self.objects, self.incoming, self.renditions):
            directory.mkdir(parents=True, exist_ok=True)

    def _object(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.objects / sha256[:2] / sha256

    def object_path(self, sha256: str) -> Path:
        """Where the object's bytes are (a backup copies them from there)."""
        return self._object(sha256)

    def temporary_path(self) -> Path:
        return self.incoming / f"upload-{secrets.token_hex(12)}"

    def keep(self, temporary: Path, sha256: str) -> None:
        target = self._object(sha256)
        if target.exists():  # the same bytes are there already: keep one copy
            temporary.unlink(missing_ok=True)
            return
        target.parent.mkdir(exist_ok=True)
        os.replace(temporary, target)  # atomic within one file system

    def discard(self, temporary: Path) -> None:
        temporary.unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        return self._object(sha256).exists()

    def read_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end (inclusive), in chunks."""
        with self._object(sha256).open("rb") as handle:
            handle.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    return
                remaining -= len(chunk)
                yield chunk

    def derived(self, key: str) -> bytes | None:
        path = self.renditions / key
        return path.read_bytes() if path.exists() else None

    def put_derived(self, key: str, data: bytes) -> None:
        path = self.renditions / key
        partial = path.with_name(path.name + f".{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def remove(self, sha256: str) -> None:
        self._object(sha256).unlink(missing_ok=True)
        for derived in self.renditions.glob(f"{sha256}-*"):
            derived.unlink(missing_ok=True)

    def object_keys(self) -> Iterator[str]:
        return (p.name for p in self.objects.glob("*/*") if is_sha256(p.name))

    def derived_keys(self) -> Iterator[str]:
        return (p.name for p in self.renditions.iterdir() if not p.name.endswith(".part"))


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
