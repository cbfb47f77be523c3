"""Who may download what: files are public exactly when their release is."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from press.archive.repository import Q as FILE_QUERIES
from tests.archive.access import (
    ALT,
    attach,
    file_in_release,
    journalist_token,
    set_metadata,
)
from tests.archive.samples import (
    AUTHOR,
    COMMENT,
    FILES,
    GPS_IFD,
    docx_types,
    jpeg_with_gps,
    pdf_bytes,
    pdf_with_scripts_and_attachment,
    pdf_with_xmp_author,
    png_with_metadata,
    upload,
    webp_with_metadata,
    zip_bytes,
)
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved, published


def public_url(file: dict[str, str]) -> str:
    return f"/api/v1/files/{file['id']}/{file['filename']}"


@pytest.mark.parametrize(
    ("situation", "anonymous", "journalist"),
    [
        ("published", 200, 200),
        ("internal", 404, 404),
        ("draft", 404, 404),
        ("scheduled", 404, 404),
        ("embargoed", 404, 200),
        ("withdrawn", 404, 404),
    ],
)
async def test_access_follows_the_release(
    client: httpx.AsyncClient,
    staff: StaffFactory,
    conn: asyncpg.Connection,
    situation: str,
    anonymous: int,
    journalist: int,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, situation, pdf_bytes(), "a.pdf")
    token = await journalist_token(conn)
    unknown = await client.get("/api/v1/files/00000000-0000-4000-8000-000000000000/a.pdf")

    response = await client.get(public_url(file))
    assert response.status_code == anonymous
    if anonymous == 404:
        assert response.headers["cache-control"] == "no-store"
        assert response.content == unknown.content
    else:
        assert response.headers["cache-control"].startswith("public")

    as_journalist = await client.get(public_url(file), headers={"Authorization": f"Bearer {token}"})
    assert as_journalist.status_code == journalist
    if situation == "embargoed":
        assert as_journalist.headers["cache-control"] == "private, no-store"
        assert as_journalist.content == pdf_bytes()
        reads = await conn.fetchval(
            "SELECT count(*) FROM embargo_reads r JOIN release_files f "
            "ON f.release_id = r.release_id WHERE f.file_id = $1",
            file["id"],
        )
        assert reads == 1, "a journalist's download of an embargoed file is logged"
    staff_token = await client.get(public_url(file), headers=editor)
    assert staff_token.status_code == anonymous


@pytest.mark.parametrize("situation", ["internal", "draft", "embargoed"])
async def test_hidden_file_is_judged_by_its_own_rows(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, situation: str
) -> None:
    """The public download looks a hidden file up by its own rows, never through a hash of
    every public release's files: that work is done only when the file's row exists, so its
    time would tell which file ids exist (bench/existence.py measures it)."""
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    file = await file_in_release(client, editor, approver, situation, pdf_bytes(), "a.pdf")
    await conn.execute("ANALYZE files; ANALYZE release_files; ANALYZE releases")
    plan = await conn.fetch("EXPLAIN " + FILE_QUERIES["fetch_public_file"], file["id"])
    lines = [row[0] for row in plan]
    assert not [line for line in lines if "hashed" in line], "\n".join(lines)
    assert (await client.get(public_url(file))).status_code == 404


async def test_journalist_without_embargo_access_gets_the_anonymous_answer(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "embargoed", pdf_bytes(), "a.pdf")
    token = await journalist_token(conn, embargo_access=False)
    response = await client.get(public_url(file), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"


async def test_media_bank_item_is_public_only_when_marked_public(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    logo = await upload(client, editor, pdf_bytes(), "logo.pdf")
    await set_metadata(client, editor, logo["id"], {"collection": "logos"})
    assert (await client.get(public_url(logo))).status_code == 404
    await set_metadata(client, editor, logo["id"], {"public": True})
    assert (await client.get(public_url(logo))).status_code == 200
    refused = await client.patch(
        f"{FILES}{logo['id']}",
        json={"collection": None},
        headers={**editor, "If-Match": "*"},
    )
    assert refused.status_code == 422


async def test_attachment_becomes_public_at_the_lift_instant(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await upload(client, editor, pdf_bytes(), "a.pdf")
    release = await approved(client, editor, approver)
    await attach(client, editor, file["id"], release["id"])
    at = datetime.now(UTC) + timedelta(seconds=1.5)
    await act(client, editor, release["id"], "publish", {"at": at.isoformat(), "embargo": True})
    before = await client.get(public_url(file))
    assert before.status_code == 404
    await asyncio.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 0.2)
    after = await client.get(public_url(file))
    assert after.status_code == 200
    assert after.content == pdf_bytes()


async def test_download_headers_keep_the_file_inert(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(
        client, editor, approver, "published", pdf_bytes(), "Päätös 2027.pdf"
    )
    response = await client.get(public_url(file))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["content-disposition"] == (
        'attachment; filename="Paatos 2027.pdf"; '
        "filename*=UTF-8''P%C3%A4%C3%A4t%C3%B6s%202027.pdf"
    )
    assert response.headers["etag"] == f'"{file["sha256"]}"'


async def test_conditional_and_range_requests(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    data = pdf_bytes()
    file = await file_in_release(client, editor, approver, "published", data, "a.pdf")
    url = public_url(file)
    full = await client.get(url)
    etag = full.headers["etag"]
    assert full.headers["accept-ranges"] == "bytes"

    not_modified = await client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    for header in ("etag", "cache-control", "content-disposition", "x-content-type-options"):
        assert not_modified.headers[header] == full.headers[header]

    part = await client.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.content == data[:10]
    assert part.headers["content-range"] == f"bytes 0-9/{len(data)}"
    tail = await client.get(url, headers={"Range": "bytes=-7"})
    assert (tail.status_code, tail.content) == (206, data[-7:])
    open_ended = await client.get(url, headers={"Range": f"bytes={len(data) - 3}-"})
    assert open_ended.content == data[-3:]
    beyond = await client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"
    several = await client.get(url, headers={"Range": "bytes=0-1,4-5"})
    assert (several.status_code, several.content) == (200, data)
    stale = await client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert (stale.status_code, stale.content) == (200, data)


async def test_public_image_has_no_location_and_renditions_are_cached(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    original = jpeg_with_gps((900, 600))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    file = await file_in_release(client, editor, approver, "published", original)
    public = await client.get(public_url(file))
    assert public.status_code == 200
    image = Image.open(io.BytesIO(public.content))
    assert image.size == (900, 600)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Photographer Name" not in public.content
    assert public.headers["etag"] != f'"{file["sha256"]}"'

    thumb = await client.get(public_url(file), params={"rendition": "thumbnail"})
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/jpeg"
    small = Image.open(io.BytesIO(thumb.content))
    assert max(small.size) == 320
    assert not small.getexif()
    again = await client.get(public_url(file), params={"rendition": "thumbnail"})
    assert again.content == thumb.content
    assert again.headers["etag"] == thumb.headers["etag"]
    assert (await client.get(public_url(file), params={"rendition": "huge"})).status_code == 422


async def test_image_in_a_public_release_needs_alt_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    image = await upload(client, editor, jpeg_with_gps())
    refused = await client.post(
        f"{FILES}{image['id']}/releases", json={"release_id": release["id"]}, headers=editor
    )
    assert refused.status_code == 422
    assert "alt text" in refused.json()["detail"]
    await set_metadata(client, editor, image["id"], {"alt": ALT})
    await attach(client, editor, image["id"], release["id"])
    removal = await client.patch(
        f"{FILES}{image['id']}",
        json={"alt": {"fi": "vain suomeksi"}},
        headers={**editor, "If-Match": "*"},
    )
    assert removal.status_code == 422


async def test_metadata_change_needs_a_current_etag_and_is_audited(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    file = await upload(client, editor, jpeg_with_gps())
    url = f"{FILES}{file['id']}"
    etag = (await client.get(url, headers=editor)).headers["etag"]
    change = {
        "credit": "Kuva: Matti Meikäläinen",
        "licence": "CC BY 4.0",
        "taken_at": "2026-05-01T12:00:00+03:00",
        "caption": {"sv": "Stadshuset"},
    }
    first = await client.patch(url, json=change, headers={**editor, "If-Match": etag})
    assert first.status_code == 200
    assert first.json()["licence"] == "CC BY 4.0"
    stale = await client.patch(url, json={"credit": "x"}, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412
    missing = await client.patch(url, json={"credit": "x"}, headers=editor)
    assert missing.status_code == 428
    unknown = await client.patch(
        url, json={"sha256": "0" * 64}, headers={**editor, "If-Match": "*"}
    )
    assert unknown.status_code == 422
    naive = await client.patch(
        url, json={"taken_at": "2026-05-01T12:00:00"}, headers={**editor, "If-Match": "*"}
    )
    assert naive.status_code == 422
    actions = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", file["id"]
    )
    assert [a["action"] for a in actions] == ["file.upload", "file.update"]


async def test_press_kit_has_the_text_in_each_language_and_the_files(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    photo = await upload(client, editor, jpeg_with_gps(), "kaupungintalo.jpg")
    await set_metadata(client, editor, photo["id"], {"alt": ALT, "credit": "Kuva: Kaupunki"})
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await attach(client, editor, photo["id"], release["id"])
    await attach(client, editor, document["id"], release["id"])
    url = f"/api/v1/releases/{release['id']}/press-kit.zip"
    assert (await client.get(url)).status_code == 404

    await act(client, editor, release["id"], "publish", {})
    response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[:3] == ["en.html", "fi.html", "sv.html"]
    assert sorted(names[3:]) == ["credits.txt", "files/01-kaupungintalo.jpg", "files/02-liite.pdf"]
    assert "Stadsstyrelsen beslöt om budgeten" in archive.read("sv.html").decode()
    assert archive.read("files/02-liite.pdf") == pdf_bytes()
    jpeg = Image.open(io.BytesIO(archive.read("files/01-kaupungintalo.jpg")))
    assert not jpeg.getexif().get_ifd(GPS_IFD)
    assert "Kuva: Kaupunki" in archive.read("credits.txt").decode()
    again = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


async def test_public_pdf_has_no_author_metadata(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_metadata({"/Author": "Salainen Virkamies", "/Title": "Luonnos"})
    out = io.BytesIO()
    writer.write(out)
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", out.getvalue(), "a.pdf")
    public = await client.get(public_url(file))
    assert public.status_code == 200
    assert b"Salainen Virkamies" not in public.content
    assert len(PdfReader(io.BytesIO(public.content)).pages) == 1


@pytest.mark.parametrize(
    ("make", "filename"),
    [(png_with_metadata, "kuva.png"), (webp_with_metadata, "kuva.webp")],
)
async def test_public_png_and_webp_and_their_renditions_have_no_location_or_author(
    client: httpx.AsyncClient, staff: StaffFactory, make: Callable[[], bytes], filename: str
) -> None:
    original = make()
    assert AUTHOR.encode() in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", original, filename)
    downloads = [await client.get(public_url(file))] + [
        await client.get(public_url(file), params={"rendition": name})
        for name in ("thumbnail", "web")
    ]
    for download in downloads:
        assert download.status_code == 200
        for trace in (AUTHOR, COMMENT, "xmpmeta"):
            assert trace.encode() not in download.content
        image = Image.open(io.BytesIO(download.content))
        assert not image.getexif()
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "Author", "Comment"} & set(image.info)
    assert Image.open(io.BytesIO(downloads[0].content)).size == (900, 600)


@pytest.mark.parametrize("holder", ["document", "page", "image"])
async def test_public_pdf_has_no_xmp_metadata_naming_its_author(
    client: httpx.AsyncClient, staff: StaffFactory, holder: str
) -> None:
    original = pdf_with_xmp_author(holder)
    assert AUTHOR.encode() in original
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", original, "a.pdf")
    public = await client.get(public_url(file))
    assert public.status_code == 200
    assert AUTHOR.encode() not in public.content
    reader = PdfReader(io.BytesIO(public.content))
    assert "/Metadata" not in reader.root_object
    assert "/Metadata" not in reader.pages[0]
    assert len(reader.pages) == 1


async def test_public_pdf_has_no_scripts_or_attached_files_and_keeps_its_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    original = pdf_with_scripts_and_attachment("Kaupunginhallitus paatti budjetista")
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", original, "a.pdf")
    public = await client.get(public_url(file))
    assert public.status_code == 200
    for canary in (b"pressscriptcanary", b"pressattachmentcanary", b"hidden"):
        assert canary in original
        assert canary not in public.content
    pdf = PdfReader(io.BytesIO(public.content))
    root = pdf.root_object
    assert not {"/OpenAction", "/AA", "/AF"} & set(root)
    assert not {"/JavaScript", "/EmbeddedFiles"} & set(root["/Names"])
    assert pdf.attachments == {}
    annotations = [a.get_object() for a in pdf.pages[0]["/Annots"]]
    assert [a["/Subtype"] for a in annotations] == ["/Link", "/Link", "/Widget"]
    assert [a["/A"]["/URI"] for a in annotations if "/A" in a] == ["https://www.city.example/"]
    assert "/AA" not in pdf.pages[0]
    assert "Kaupunginhallitus paatti budjetista" in pdf.pages[0].extract_text()


async def test_renditions_of_an_embargoed_image_are_hidden_like_the_image(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "embargoed", jpeg_with_gps((400, 300)))
    token = await journalist_token(conn)
    for rendition in ("thumbnail", "web"):
        url = public_url(file)
        anonymous = await client.get(url, params={"rendition": rendition})
        assert anonymous.status_code == 404
        assert anonymous.headers["cache-control"] == "no-store"
        journalist = await client.get(
            url, params={"rendition": rendition}, headers={"Authorization": f"Bearer {token}"}
        )
        assert journalist.status_code == 200
        assert journalist.headers["cache-control"] == "private, no-store"
    guessed = await client.get(f"/api/v1/files/{file['id']}/anything-else.jpg")
    assert guessed.status_code == 404
    storage_path = await client.get(f"/files/objects/{file['sha256'][:2]}/{file['sha256']}")
    assert storage_path.status_code == 404


async def test_public_release_lists_its_files_in_the_readers_language(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    photo = await upload(client, editor, jpeg_with_gps(), "Kaupungintalo kesällä.jpg")
    await set_metadata(
        client,
        editor,
        photo["id"],
        {"alt": ALT, "title": {"fi": "Kaupungintalo", "sv": "Stadshuset"}, "licence": "CC BY 4.0"},
    )
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await attach(client, editor, photo["id"], release["id"])
    await attach(client, editor, document["id"], release["id"])
    url = f"/api/v1/releases/{release['id']}/files"
    hidden = await client.get(url)
    assert hidden.status_code == 404
    await act(client, editor, release["id"], "publish", {})
    items = (await client.get(url, params={"lang": "sv"})).json()["items"]
    assert [i["id"] for i in items] == [photo["id"], document["id"]]
    assert (items[0]["title"], items[0]["alt"], items[0]["lang"]) == (
        "Stadshuset",
        ALT["sv"],
        "sv",
    )
    assert items[0]["licence"] == "CC BY 4.0"
    assert set(items[0]["renditions"]) == {"thumbnail", "web"}
    assert items[1]["renditions"] == {}
    path = items[0]["url"].removeprefix("http://press.test")
    assert (await client.get(path)).status_code == 200
    assert (await client.get(items[0]["renditions"]["web"])).status_code == 200


async def test_media_bank_lists_only_public_items(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    shown = await upload(client, editor, pdf_bytes(), "logo.pdf")
    await set_metadata(client, editor, shown["id"], {"collection": "logos", "public": True})
    internal = await upload(client, editor, jpeg_with_gps(), "draft-logo.jpg")
    await set_metadata(client, editor, internal["id"], {"collection": "logos"})
    listed = (await client.get("/api/v1/media-bank")).json()["items"]
    assert [i["id"] for i in listed] == [shown["id"]]
    assert listed[0]["collection"] == "logos"
    assert (await client.get("/api/v1/media-bank", params={"collection": "brand"})).json()[
        "items"
    ] == []


async def test_release_with_an_image_without_alt_text_cannot_be_published(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    image = await upload(client, editor, jpeg_with_gps(), "kuva.jpg")
    await attach(client, editor, image["id"], release["id"])
    refused = await act(client, editor, release["id"], "publish", {}, status=422)
    assert "kuva.jpg (en, fi, sv)" in refused["detail"]
    await set_metadata(client, editor, image["id"], {"alt": ALT})
    done = await act(client, editor, release["id"], "publish", {})
    assert done["state"] == "published"


def _office(kind: str) -> bytes:
    """A .docx with authorship in its properties, or an .odt with it in meta.xml."""
    if kind == "docx":
        return zip_bytes(
            {
                "[Content_Types].xml": docx_types(),
                "word/document.xml": b"<w:document>Budjetti</w:document>",
                "docProps/core.xml": b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" '
                b'xmlns:dc="y"><dc:creator>Matti Meikalainen</dc:creator><cp:lastModifiedBy>'
                b"Maija Virtanen</cp:lastModifiedBy></cp:coreProperties>",
                "docProps/app.xml": b"<Properties><Company>Konsultti Oy</Company>"
                b"<Manager>Pekka Pomo</Manager><Pages>1</Pages></Properties>",
            }
        )
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content>Budjetti</office:document-content>",
            "meta.xml": b"<office:meta><meta:initial-creator>Matti Meikalainen"
            b"</meta:initial-creator><dc:creator>Maija Virtanen</dc:creator>"
            b'<meta:user-defined meta:name="Asiakas">Konsultti Oy</meta:user-defined>'
            b"<meta:generator>Office</meta:generator></office:meta>",
        }
    )


@pytest.mark.parametrize(("kind", "body"), [("docx", "word/document.xml"), ("odt", "content.xml")])
async def test_public_office_document_names_nobody_who_wrote_it(
    client: httpx.AsyncClient, staff: StaffFactory, kind: str, body: str
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    original = _office(kind)
    file = await file_in_release(
        client, editor, approver, "published", original, f"budjetti.{kind}"
    )
    public = await client.get(public_url(file))
    assert public.status_code == 200
    for name in (b"Matti", b"Maija", b"Konsultti", b"Pekka"):
        assert name not in public.content
    with zipfile.ZipFile(io.BytesIO(public.content)) as package:
        assert package.testzip() is None
        with zipfile.ZipFile(io.BytesIO(original)) as source:
            assert package.namelist() == source.namelist()  # the same parts, in order
            assert package.read(body) == source.read(body)
        if kind == "odt":
            assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
            assert b"<meta:generator>Office</meta:generator>" in package.read("meta.xml")
        else:
            assert b"<Pages>1</Pages>" in package.read("docProps/app.xml")
    assert public.headers["etag"] != f'"{file["sha256"]}"'
