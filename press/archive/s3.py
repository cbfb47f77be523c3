"""File bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage…).

Configured by PRESS_S3_BUCKET, optionally PRESS_S3_ENDPOINT_URL (for a non-AWS server) and
PRESS_S3_PREFIX; credentials and region come from boto3's usual sources (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, or an instance role). Needs `pip install
press[s3]`. Objects are `<prefix>objects/<sha256>`, renditions `<prefix>renditions/<key>`.
Uploads are received into local temporary files first (under the data directory), hashed,
checked, and only then sent to the bucket with a multipart upload.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from press.archive.storage import CHUNK, is_sha256


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str, incoming: Path) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.incoming = incoming
        incoming.mkdir(parents=True, exist_ok=True)

    @classmethod
    def connect(
        cls, bucket: str, endpoint_url: str | None, prefix: str, incoming: Path
    ) -> S3Storage:
        return cls(boto3.client("s3", endpoint_url=endpoint_url), bucket, prefix, incoming)

    def _object(self, sha256: str) -> str:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return f"{self.prefix}objects/{sha256}"

    def temporary_path(self) -> Path:
        return self.incoming / f"upload-{secrets.token_hex(12)}"

    def keep(self, temporary: Path, sha256: str) -> None:
        try:
            if not self.has(sha256):  # the same bytes are there already: keep one copy
                self.client.upload_file(str(temporary), self.bucket, self._object(sha256))
        finally:
            temporary.unlink(missing_ok=True)

    def discard(self, temporary: Path) -> None:
        temporary.unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def read_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        response = self.client.get_object(
            Bucket=self.bucket, Key=self._object(sha256), Range=f"bytes={start}-{end}"
        )
        body = response["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def derived(self, key: str) -> bytes | None:
        try:
            response = self.client.get_object(
                Bucket=self.bucket, Key=f"{self.prefix}renditions/{key}"
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return None
            raise
        data: bytes = response["Body"].read()
        return data

    def put_derived(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=f"{self.prefix}renditions/{key}", Body=data)

    def _keys(self, folder: str, beginning: str = "") -> Iterator[str]:
        """The keys in `folder` that begin with `beginning`, without the folder."""
        start = f"{self.prefix}{folder}/"
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start + beginning
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"].removeprefix(start)

    def object_keys(self) -> Iterator[str]:
        return (key for key in self._keys("objects") if is_sha256(key))

    def derived_keys(self) -> Iterator[str]:
        return self._keys("renditions")

    def remove(self, sha256: str) -> None:
        keys = [self._object(sha256)]
        keys += [f"{self.prefix}renditions/{key}" for key in self._keys("renditions", f"{sha256}-")]
        for key in keys:  # deleting a key that is not there succeeds
            self.client.delete_object(Bucket=self.bucket, Key=key)
