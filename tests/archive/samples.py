"""Real files made on the spot: images by Pillow, a PDF by pypdf, office documents as ZIPs."""

from __future__ import annotations

import hashlib
import io
import zipfile
from functools import cache
from typing import Any

import httpx
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from press.archive.storage import Storage

FILES = "/api/v1/manage/files/"
GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x013B] = "Photographer Name"  # Artist
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


# Who made a file and where, as metadata would name them: none of it may reach the public.
AUTHOR, COMMENT = "Salainen Kuvaaja", "Kotipihalla Kallion kulmalla"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    '-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    f"<rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
    "</x:xmpmeta>"
)


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)})
    return exif


def png_with_metadata(size: tuple[int, int] = (900, 600)) -> bytes:
    """A PNG with transparency (its renditions stay PNG) carrying GPS and an artist in an
    eXIf chunk, an author and a comment in tEXt and iTXt, and XMP in iTXt."""
    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Comment", COMMENT, lang="fi")
    info.add_itxt("XML:com.adobe.xmp", XMP)
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 128, 200)).save(out, "PNG", pnginfo=info, exif=_gps_exif())
    return out.getvalue()


def webp_with_metadata(size: tuple[int, int] = (900, 600)) -> bytes:
    """A WebP with GPS and an artist in its EXIF chunk and an author in its XMP chunk."""
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "WEBP", exif=_gps_exif(), xmp=XMP.encode())
    return out.getvalue()


def pdf_with_xmp_author(holder: str = "document") -> bytes:
    """A one-page PDF whose only metadata is an XMP /Metadata stream naming its author, on
    the `document` catalogue, its `page`, or an `image` drawn on the page."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=100, height=100)
    stream = DecodedStreamObject()
    stream.set_data(XMP.encode())
    stream.update({NameObject("/Type"): NameObject("/Metadata"),
                   NameObject("/Subtype"): NameObject("/XML")})  # fmt: skip
    metadata = writer._add_object(stream)
    if holder == "document":
        writer.root_object[NameObject("/Metadata")] = metadata
    elif holder == "page":
        page[NameObject("/Metadata")] = metadata
    else:
        image = DecodedStreamObject()
        image.set_data(b"\x80")
        image.update(pdf_dict({"/Type": "/XObject", "/Subtype": "/Image", "/Width": 1,
                               "/Height": 1, "/ColorSpace": "/DeviceGray",
                               "/BitsPerComponent": 8}))  # fmt: skip
        image[NameObject("/Metadata")] = metadata
        page[NameObject("/Resources")] = pdf_dict({"/XObject": {"/Im1": writer._add_object(image)}})
        content = DecodedStreamObject()
        content.set_data(b"q 50 0 0 50 25 25 cm /Im1 Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, "orange").save(out, fmt)
    return out.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SCRIPT = "app.alert(pressscriptcanary)"


def pdf_dict(entries: dict[str, Any]) -> DictionaryObject:
    """A PDF dictionary from plain values: "/Name" strings are names, other strings text."""

    def value(v: Any) -> Any:
        if isinstance(v, str):
            return NameObject(v) if v.startswith("/") else TextStringObject(v)
        if isinstance(v, int):
            return NumberObject(v)
        if isinstance(v, list):
            return ArrayObject([value(item) for item in v])
        if isinstance(v, dict):
            return pdf_dict(v)
        return v

    return DictionaryObject({NameObject(k): value(v) for k, v in entries.items()})


def pdf_with_scripts_and_attachment(text: str) -> bytes:
    """A one-page PDF showing `text`, with JavaScript everywhere a viewer runs it (on open,
    in the name tree, on page and document events, behind a link, a bookmark and a form
    field), an attached file, a file-attachment annotation and a plain web link."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=400, height=200)
    font = writer._add_object(pdf_dict({"/Type": "/Font", "/Subtype": "/Type1",
                                        "/BaseFont": "/Helvetica"}))  # fmt: skip
    page[NameObject("/Resources")] = pdf_dict({"/Font": {"/F1": font}})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    script = {"/S": "/JavaScript", "/JS": SCRIPT}

    def annotation(subtype: str, entries: dict[str, Any]) -> IndirectObject:
        base = {"/Type": "/Annot", "/Subtype": subtype, "/Rect": [0, 0, 50, 50]}
        return writer._add_object(pdf_dict(base | entries))

    field = annotation("/Widget", {"/FT": "/Btn", "/T": "ok", "/A": script})
    page[NameObject("/Annots")] = ArrayObject([
        annotation("/Link", {"/A": script}),
        annotation("/Link", {"/A": {"/S": "/URI", "/URI": "https://www.city.example/"}}),
        annotation("/FileAttachment", {"/FS": {"/Type": "/Filespec", "/F": "hidden.txt"}}),
        field,
    ])  # fmt: skip
    page[NameObject("/AA")] = pdf_dict({"/O": script})
    root = writer.root_object
    root[NameObject("/OpenAction")] = pdf_dict(script)
    root[NameObject("/AA")] = pdf_dict({"/WC": script})
    root[NameObject("/AcroForm")] = pdf_dict({"/Fields": [field]})
    writer.add_attachment("hidden.txt", b"pressattachmentcanary")
    names = root["/Names"].get_object()
    names[NameObject("/JavaScript")] = pdf_dict({"/Names": ["opening", script]})
    bookmark = writer.add_outline_item(title="Alku", page_number=0).get_object()
    bookmark[NameObject("/A")] = pdf_dict(script)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_types(main: str = "wordprocessingml.document.main+xml") -> bytes:
    """The [Content_Types].xml of an Office Open XML package whose main part is `main`."""
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main}"/></Types>'
    ).encode()


def docx_bytes(main: str = "wordprocessingml.document.main+xml") -> bytes:
    return zip_bytes({"[Content_Types].xml": docx_types(main), "word/document.xml": b"<w/>"})


def docx_with_corrupt_part() -> bytes:
    """A .docx whose document part is not a deflate stream any more (zlib.error on reading)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", docx_types())
        archive.writestr("word/document.xml", b"<w:p>Budjetti kasvaa</w:p>" * 200)
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename)
    data[start : start + 4] = b"\xff\xff\xff\xff"
    return bytes(data)


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    )


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    data: bytes,
    filename: str = "photo.jpg",
    content_type: str = "application/octet-stream",
    status: int = 201,
) -> dict[str, Any]:
    # Built by hand: httpx would percent-encode control characters in the name, and the
    # point is to send them as a hostile client would.
    boundary = "press-test-boundary-7f3a"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = await client.post(
        FILES,
        content=body,
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def keep_with_renditions(storage: Storage, data: bytes) -> str:
    """Store `data` directly with two renditions of it; its key."""
    digest = hashlib.sha256(data).hexdigest()
    temporary = storage.temporary_path()
    temporary.write_bytes(data)
    storage.keep(temporary, digest)
    for name in ("thumbnail", "web"):
        storage.put_derived(f"{digest}-{name}.jpg", data)
    return digest


@cache
def docx_bomb(unpacked_mb: int, part: str = "word/media/image1.bin") -> bytes:
    """A real .docx (with an author to remove) whose `part` is `unpacked_mb` MB of zeros:
    about 1,000 times smaller packed. Written a megabyte at a time, so making it takes no
    memory either."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", docx_types())
        archive.writestr("docProps/core.xml", b"<cp:coreProperties>Matti</cp:coreProperties>")
        if part != "word/document.xml":
            archive.writestr("word/document.xml", b"<w/>")
        with archive.open(part, "w", force_zip64=True) as target:
            zeros = bytes(2**20)
            for _ in range(unpacked_mb):
                target.write(zeros)
    return out.getvalue()
