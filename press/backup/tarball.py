"""The backup file: one uncompressed tar (its parts are compressed already) holding

    database.pgdump          pg_dump --format=custom of the press database
    objects/ab/abcdef…       each stored object the dump's files point at (a local store)
    manifest.json            what is in it, each part with its size and SHA-256, written last

The manifest comes last because the checksums are known only once the parts are written; a
reader finds it by name. A file is written as `PATH.partial` and renamed when complete, so
a backup that fails half-way never leaves a file that looks like a backup.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

FORMAT = "press-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.pgdump"
S3_LIST = "s3-objects.txt"  # with an S3 store: the keys to copy from the bucket
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The file is not a usable press backup; the message says why."""


class Part(msgspec.Struct):
    name: str
    size: int
    sha256: str


class Manifest(msgspec.Struct):
    format: str
    version: int
    created_at: str  # UTC, ISO 8601, from the database's clock at the snapshot
    press_version: str
    server_version: str  # of the database that was dumped, e.g. "18.1"
    server_major: int  # it restores into a server of this major or a newer one
    pg_dump_major: int  # a pg_restore of this major or newer reads the dump
    migrations: list[str]
    database: Part
    store: str  # "local": objects are in the file; "s3": only listed, the bucket keeps them
    objects: list[Part]  # every object the dump's files point at (size -1: not in the file)
    s3_bucket: str | None = None
    s3_prefix: str = ""


def object_member(sha256: str) -> str:
    return f"objects/{sha256[:2]}/{sha256}"


class Writer:
    """Adds parts to a new backup file; `finish` writes the manifest and renames it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        # Contacts and consents are personal data: the file is readable by its owner only.
        handle = os.fdopen(
            os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb"
        )
        self.tar = tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self._handle = handle

    def add_file(self, name: str, source: Path, on_bytes: Callable[[int], None]) -> Part:
        """Copy `source` in as `name`, hashing it on the way."""
        with source.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.sha256()
            hashing = _HashingReader(handle, digest, on_bytes)
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = size, int(time.time()), 0o600
            self.tar.addfile(info, hashing)
            if hashing.count != size:
                raise ArchiveError(f"{source} changed while it was copied")
        return Part(name, size, digest.hexdigest())

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(data))

    def finish(self, manifest: Manifest) -> None:
        self.add_bytes(MANIFEST, msgspec.json.format(msgspec.json.encode(manifest), indent=2))
        self.tar.close()  # a tar given a file object leaves it open
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self.partial, self.path)

    def abandon(self) -> None:
        self.tar.close()
        self._handle.close()
        self.partial.unlink(missing_ok=True)


class _HashingReader:
    def __init__(self, handle: BinaryIO, digest: Any, on_bytes: Callable[[int], None]) -> None:
        self.handle, self.digest, self.on_bytes, self.count = handle, digest, on_bytes, 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        self.on_bytes(len(data))
        return data


class Reader:
    """A backup file opened for restoring: its manifest, and its parts checked and read."""

    def __init__(self, path: Path) -> None:
        try:
            self.tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by close()
            member = self.tar.getmember(MANIFEST)
            handle = self.tar.extractfile(member)
        except FileNotFoundError:
            raise ArchiveError(f"{path} does not exist") from None
        except KeyError:
            raise ArchiveError(
                f"{path} has no {MANIFEST}: not a press backup, or it was cut short"
            ) from None
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise ArchiveError(
                f"{path} is not a press backup, or it was cut short ({exc})"
            ) from None
        assert handle is not None
        try:
            self.manifest = msgspec.json.decode(handle.read(), type=Manifest)
        except msgspec.DecodeError as exc:
            raise ArchiveError(f"{path}: its {MANIFEST} cannot be read ({exc})") from None
        if self.manifest.format != FORMAT or self.manifest.version != FORMAT_VERSION:
            raise ArchiveError(
                f"{path} is a {self.manifest.format} file of version {self.manifest.version}; "
                f"this press reads {FORMAT} version {FORMAT_VERSION}"
            )

    def parts(self) -> list[Part]:
        """The parts in the file: the dump, then the objects it holds."""
        return [self.manifest.database, *(o for o in self.manifest.objects if o.size >= 0)]

    def verify(self, on_bytes: Callable[[int], None]) -> None:
        """Read every part and compare it with the manifest; ArchiveError naming the first
        that differs or is missing."""
        for part in self.parts():
            digest = hashlib.sha256()
            size = 0
            for chunk in self.chunks(part.name):
                digest.update(chunk)
                size += len(chunk)
                on_bytes(len(chunk))
            if size != part.size or digest.hexdigest() != part.sha256:
                raise ArchiveError(
                    f"{part.name} in the backup does not match its checksum: the file is "
                    "damaged; nothing was restored"
                )

    def chunks(self, name: str) -> Iterator[bytes]:
        try:
            handle = self.tar.extractfile(name)
        except KeyError:
            raise ArchiveError(
                f"{name} is listed in the manifest but missing from the backup: the file is "
                "damaged; nothing was restored"
            ) from None
        except (tarfile.TarError, OSError) as exc:
            raise ArchiveError(f"{name} cannot be read from the backup ({exc})") from None
        assert handle is not None
        try:
            while chunk := handle.read(CHUNK):
                yield chunk
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ArchiveError(f"{name} cannot be read from the backup ({exc})") from None

    def extract(self, name: str, target: Path) -> None:
        with target.open("wb") as out:
            for chunk in self.chunks(name):
                out.write(chunk)

    def close(self) -> None:
        self.tar.close()
