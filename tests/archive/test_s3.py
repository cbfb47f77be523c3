"""The S3 backend against a real S3-compatible server (moto's, run as a process)."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import boto3
import httpx
import msgspec
import pytest

from press.app import create_app
from press.archive.s3 import S3Storage
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.archive.access import file_in_release
from tests.archive.samples import keep_with_renditions, pdf_bytes
from tests.conftest import StaffFactory

BUCKET = "press-files"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/moto-api/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_client(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    existing = [b["Name"] for b in client.list_buckets().get("Buckets", [])]
    if BUCKET not in existing:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
    return client


def test_s3_storage_keeps_bytes_once_and_reads_ranges(s3_client: Any, tmp_path: Path) -> None:
    prefix = f"t-{tmp_path.name}/"
    storage = S3Storage(s3_client, BUCKET, prefix, tmp_path / "incoming")
    data = bytes(range(256)) * 1000
    digest = hashlib.sha256(data).hexdigest()
    assert not storage.has(digest)
    for _ in range(2):
        temporary = storage.temporary_path()
        temporary.write_bytes(data)
        storage.keep(temporary, digest)
        assert not temporary.exists()
    assert storage.has(digest)
    listed = s3_client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"]
    assert [item["Key"] for item in listed] == [f"{prefix}objects/{digest}"]
    assert b"".join(storage.read_range(digest, 10, 19)) == data[10:20]
    assert b"".join(storage.read_range(digest, 0, len(data) - 1)) == data
    assert storage.derived("x-thumbnail.jpg") is None
    storage.put_derived("x-thumbnail.jpg", b"jpeg")
    assert storage.derived("x-thumbnail.jpg") == b"jpeg"


def test_s3_storage_removes_an_object_with_its_renditions_only(
    s3_client: Any, tmp_path: Path
) -> None:
    prefix = f"r-{tmp_path.name}/"
    storage = S3Storage(s3_client, BUCKET, prefix, tmp_path / "incoming")
    kept, other = keep_with_renditions(storage, b"a"), keep_with_renditions(storage, b"b")
    assert sorted(storage.object_keys()) == sorted([kept, other])
    assert sorted(storage.derived_keys()) == sorted(
        f"{d}-{n}.jpg" for d in (kept, other) for n in ("thumbnail", "web")
    )
    storage.remove(kept)
    storage.remove(kept)  # what is gone already: no error
    listed = s3_client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"]
    assert sorted(item["Key"] for item in listed) == [
        f"{prefix}objects/{other}",
        f"{prefix}renditions/{other}-thumbnail.jpg",
        f"{prefix}renditions/{other}-web.jpg",
    ]


@pytest.fixture
async def s3_app_client(
    conn: asyncpg.Connection, settings: Settings, s3_client: Any, s3_endpoint: str
) -> AsyncIterator[httpx.AsyncClient]:
    configured = msgspec.structs.replace(
        settings, s3_bucket=BUCKET, s3_endpoint_url=s3_endpoint, s3_prefix="app/"
    )
    app = create_app(configured, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


async def test_upload_and_download_through_s3(
    s3_app_client: httpx.AsyncClient, staff: StaffFactory, s3_client: Any, settings: Settings
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    data = pdf_bytes()
    file = await file_in_release(s3_app_client, editor, approver, "published", data, "a.pdf")
    key = f"app/objects/{file['sha256']}"
    assert s3_client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data
    assert list((settings.data_dir / "files" / "incoming").iterdir()) == []
    url = f"/api/v1/files/{file['id']}/{file['filename']}"
    assert (await s3_app_client.get(url)).content == data
    part = await s3_app_client.get(url, headers={"Range": "bytes=0-4"})
    assert (part.status_code, part.content) == (206, data[:5])
