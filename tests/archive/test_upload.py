"""Uploads: the type comes from the bytes, names are cleaned, bytes are stored once."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase
from press.settings import Settings
from tests.archive.samples import (
    FILES,
    docx_bomb,
    docx_bytes,
    docx_with_corrupt_part,
    image_bytes,
    jpeg_with_gps,
    odt_bytes,
    pdf_bytes,
    upload,
    zip_bytes,
)
from tests.conftest import StaffFactory

OOXML = "application/vnd.openxmlformats-officedocument."


def stored_objects(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "files" / "objects").rglob("*") if p.is_file()]


def leftovers(settings: Settings) -> list[Path]:
    return list((settings.data_dir / "files" / "incoming").iterdir())


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        (jpeg_with_gps(), "image/jpeg", ".jpg"),
        (image_bytes("PNG"), "image/png", ".png"),
        (image_bytes("WEBP"), "image/webp", ".webp"),
        (image_bytes("GIF"), "image/gif", ".gif"),
        (pdf_bytes(), "application/pdf", ".pdf"),
        (docx_bytes(), OOXML + "wordprocessingml.document", ".docx"),
        (docx_bytes("spreadsheetml.sheet.main+xml"), OOXML + "spreadsheetml.sheet", ".xlsx"),
        (odt_bytes(), "application/vnd.oasis.opendocument.text", ".odt"),
    ],
)
async def test_accepted_file_is_stored_with_its_detected_type(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    settings: Settings,
    data: bytes,
    content_type: str,
    extension: str,
) -> None:
    created = await upload(client, await staff("editor"), data, filename="Kuva päätöksestä.bin")
    assert created["content_type"] == content_type
    assert created["size"] == len(data)
    assert created["filename"] == "Kuva päätöksestä" + extension
    import hashlib

    assert created["sha256"] == hashlib.sha256(data).hexdigest()
    assert leftovers(settings) == []
    if content_type.startswith("image/"):
        assert (created["width"], created["height"]) in ((64, 48), (40, 30))


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"just some text\n", "notes.txt"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script>'
            b"</svg>",
            "logo.svg",
        ),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "photo.jpg"),
        (b"%PDF-1.7\n garbage without a trailer", "report.pdf"),
        (zip_bytes({"a.txt": b"x"}), "report.docx"),
        (zip_bytes({"../../evil.txt": b"x", "[Content_Types].xml": b"x"}), "report.docx"),
        (docx_bytes("wordprocessingml.document.macroEnabled.main+xml"), "macro.docm"),
        (docx_with_corrupt_part(), "broken.docx"),
        (b"MZ\x90\x00 an executable", "photo.jpg"),
    ],
)
async def test_unaccepted_content_is_refused_with_415_and_nothing_kept(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings, data: bytes, filename: str
) -> None:
    body = await upload(client, await staff("editor"), data, filename, "image/jpeg", status=415)
    assert body["status"] == 415
    assert stored_objects(settings) == []
    assert leftovers(settings) == []


async def test_type_spoofed_by_extension_is_named_for_what_it_is(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    created = await upload(client, await staff("editor"), pdf_bytes(), "holiday.jpg", "image/jpeg")
    assert created["content_type"] == "application/pdf"
    assert created["filename"] == "holiday.pdf"


async def test_decompression_bomb_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    # A real small PNG whose header claims 20,000 by 20,000 pixels (400 MP).
    bomb = bytearray(image_bytes("PNG", size=(10, 10)))
    bomb[16:24] = struct.pack(">II", 20_000, 20_000)
    bomb[29:33] = struct.pack(">I", zlib.crc32(bytes(bomb[12:29])))
    bomb = bytes(bomb)
    body = await upload(client, await staff("editor"), bomb, "bomb.png", status=415)
    assert "pixels" in body["detail"]
    assert stored_objects(settings) == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\system.ini.jpg", "system.ini.jpg"),
        ("evil\x00name\x1b\t.jpg", "evilname.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.jpg"),
        ("Cafe\u0301 Helsinki.jpg", "Café Helsinki.jpg"),
        ("x" * 500 + ".jpg", "x" * 116 + ".jpg"),
        ("....", "file.jpg"),
    ],
)
async def test_client_file_names_are_made_safe(
    client: httpx.AsyncClient, staff: StaffFactory, raw: str, clean: str
) -> None:
    created = await upload(client, await staff("editor"), jpeg_with_gps(), raw)
    assert created["filename"] == clean
    response = await client.get(f"{FILES}{created['id']}", headers=await staff("viewer"))
    assert response.json()["filename"] == clean


async def test_same_bytes_are_stored_once(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    editor = await staff("editor")
    first = await upload(client, editor, pdf_bytes(), "a.pdf")
    second = await upload(client, editor, pdf_bytes(), "b.pdf")
    assert first["id"] != second["id"]
    assert first["sha256"] == second["sha256"]
    assert len(stored_objects(settings)) == 1


@pytest.fixture
async def small_limit_client(
    conn: asyncpg.Connection, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    limited = msgspec.structs.replace(settings, max_upload_mb=1)
    app = create_app(limited, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


async def test_oversize_upload_is_413_and_leaves_nothing(
    small_limit_client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    big = pdf_bytes() + b"%" * (2 * 2**20)
    body = await upload(small_limit_client, await staff("editor"), big, "big.pdf", status=413)
    assert body["status"] == 413
    assert stored_objects(settings) == []
    assert leftovers(settings) == []


async def test_upload_needs_an_editor_and_a_multipart_body(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    viewer = await staff("viewer")
    await upload(client, viewer, pdf_bytes(), status=403)
    anonymous = await client.post(FILES, files={"file": ("a.pdf", pdf_bytes())})
    assert anonymous.status_code == 401
    raw = await client.post(FILES, content=pdf_bytes(), headers=await staff("editor"))
    assert raw.status_code == 415
    other_field = await client.post(
        FILES, files={"attachment": ("a.pdf", pdf_bytes())}, headers=await staff("editor")
    )
    assert other_field.status_code == 400


async def test_upload_is_audited(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    created = await upload(client, await staff("editor"), pdf_bytes(), "a.pdf")
    action = await conn.fetchval(
        "SELECT action FROM audit_log WHERE entity = 'file' AND entity_id = $1", created["id"]
    )
    assert action == "file.upload"


def docx_with(extra: dict[str, bytes], symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            zipfile.ZipFile(io.BytesIO(docx_bytes())).read("[Content_Types].xml"),
        )
        for name, data in extra.items():
            archive.writestr(name, data)
        if symlink:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = 0o120777 << 16
            archive.writestr(link, "/etc/passwd")
    return out.getvalue()


@pytest.mark.parametrize(
    "document",
    [
        docx_with({}, symlink="word/document.xml"),
        docx_with({"word/../../../etc/cron.d/x": b"x"}),
    ],
    ids=["symlink", "dot-dot-path"],
)
async def test_unsafe_office_archives_are_refused(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings, document: bytes
) -> None:
    await upload(client, await staff("editor"), document, "report.docx", status=415)
    assert stored_objects(settings) == []


async def test_document_with_too_many_parts_is_422_naming_the_entry_count(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    document = docx_with({f"word/part{n}.xml": b"" for n in range(5_001)})
    body = await upload(client, await staff("editor"), document, "report.docx", status=422)
    assert (body["limit"], body["maximum"]) == ("entry-count", 5_000)
    assert "5,000 parts" in body["detail"]
    assert stored_objects(settings) == []


async def test_document_declaring_a_huge_part_is_422_before_unpacking(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    # A small document whose central directory declares a 4 GB part: refused on what it
    # declares, before anything is unpacked.
    document = bytearray(docx_with({"word/media/huge.bin": b"\0" * 1000}))
    entry = document.rindex(b"PK\x01\x02")  # the last central-directory entry: huge.bin
    document[entry + 24 : entry + 28] = struct.pack("<I", 0xFFFFFFF0)
    body = await upload(client, await staff("editor"), bytes(document), "a.docx", status=422)
    assert body["limit"] == "unpacked-size"
    assert "1024 MB" in body["detail"]


async def test_zip_bomb_document_is_422_and_the_server_does_not_unpack_it(
    client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    bomb = docx_bomb(400)  # about 400 kB that unpack to 400 MB, as in the report
    editor = await staff("editor")
    tracemalloc.start()
    try:
        body = await upload(client, editor, bomb, "report.docx", status=422)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (body["limit"], body["maximum"]) == ("compression-ratio", 100)
    assert "100 times its size" in body["detail"]
    # Unpacked, the part alone would be 400 MB; the request stays within a few chunks.
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MB"
    assert stored_objects(settings) == []
    assert leftovers(settings) == []


async def test_oversize_upload_without_content_length_is_cut_off_while_streaming(
    small_limit_client: httpx.AsyncClient, staff: StaffFactory, settings: Settings
) -> None:
    boundary = "chunked-boundary"
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "\r\n%PDF-1.7\n"
        ).encode()
        for _ in range(64):  # up to 4 MB, far past the 1 MB limit
            sent += 1
            yield b"0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {
        **(await staff("editor")),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    response = await small_limit_client.post(FILES, content=body(), headers=headers)
    assert response.status_code == 413
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert sent < 64  # refused while the body was still arriving
    assert stored_objects(settings) == []
    assert leftovers(settings) == []
