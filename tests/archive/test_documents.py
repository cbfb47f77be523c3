"""Comments and tracked changes in a public copy name nobody: what Office's own "remove
personal information" does, over real package layouts (press.archive.documents)."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from press.archive.documents import OOXML_PREFIX, strip_document
from tests.archive.samples import docx_types, zip_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W15 = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
NAMES = (b"Matti", b"Meikalainen", b"MM", b"matti@city.example", b"Maija", b"MV")

DOCX = {
    "[Content_Types].xml": docx_types().decode(),
    "word/document.xml": f"<w:document {W}><w:body><w:p>"
    '<w:ins w:id="1" w:author="Matti Meikalainen" w:date="2026-11-30T10:00:00Z">'
    "<w:r><w:t>Budjetti kasvaa</w:t></w:r></w:ins>"
    "<w:del w:id=\"2\" w:author='Maija Virtanen'><w:r><w:delText>ei</w:delText></w:r></w:del>"
    "</w:p></w:body></w:document>",
    "word/comments.xml": f'<w:comments {W}><w:comment w:id="0" w:author="Matti Meikalainen" '
    'w:initials="MM"><w:p><w:r><w:t>Tarkista luku</w:t></w:r></w:p></w:comment></w:comments>',
    "word/people.xml": f'<w15:people {W15}><w15:person w15:author="Matti Meikalainen">'
    '<w15:presenceInfo w15:providerId="AD" w15:userId="S::matti@city.example::1"/>'
    "</w15:person></w15:people>",
}
XLSX = {
    "[Content_Types].xml": docx_types("spreadsheetml.sheet.main+xml").decode(),
    "xl/comments1.xml": '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main"><authors><author>Matti Meikalainen</author><author>Maija Virtanen</author>'
    '</authors><commentList><comment ref="A1" authorId="0"><text><t>Tarkista luku</t></text>'
    "</comment></commentList></comments>",
    "xl/persons/person.xml": '<personList xmlns="http://schemas.microsoft.com/office/'
    'spreadsheetml/2018/threadedcomments"><person displayName="Matti Meikalainen" '
    'id="{0}" userId="matti@city.example" providerId="AD"/></personList>',
}
PPTX = {
    "[Content_Types].xml": docx_types("presentationml.presentation.main+xml").decode(),
    "ppt/commentAuthors.xml": f'<p:cmAuthorLst {P}><p:cmAuthor id="1" name="Matti Meikalainen" '
    'initials="MM" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>',
    "ppt/comments/comment1.xml": f'<p:cmLst {P}><p:cm authorId="1" idx="1"><p:text>'
    "Tarkista luku</p:text></p:cm></p:cmLst>",
}
ODT = {
    "mimetype": "application/vnd.oasis.opendocument.text",
    "content.xml": f"<office:document-content {ODF}><office:body><office:text>"
    "<text:tracked-changes><text:changed-region><text:insertion><office:change-info>"
    "<dc:creator>Maija Virtanen</dc:creator><dc:date>2026-11-30T10:00:00</dc:date>"
    "</office:change-info></text:insertion></text:changed-region></text:tracked-changes>"
    "<text:p>Budjetti kasvaa<office:annotation><dc:creator>Matti Meikalainen</dc:creator>"
    "<meta:creator-initials>MM</meta:creator-initials><text:p>Tarkista luku</text:p>"
    "</office:annotation></text:p></office:text></office:body></office:document-content>",
}


def package(parts: dict[str, str]) -> bytes:
    return zip_bytes({name: text.encode() for name, text in parts.items()})


@pytest.mark.parametrize(
    ("parts", "content_type"),
    [
        (DOCX, OOXML_PREFIX + "wordprocessingml.document"),
        (XLSX, OOXML_PREFIX + "spreadsheetml.sheet"),
        (PPTX, OOXML_PREFIX + "presentationml.presentation"),
        (ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_comment_and_change_authors_are_anonymous_and_the_text_stays(
    parts: dict[str, str], content_type: str
) -> None:
    cleaned = strip_document(package(parts), content_type)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as result:
        assert result.namelist() == list(parts)
        texts = {name: result.read(name) for name in result.namelist()}
    everything = b"".join(texts.values())
    for name in NAMES:
        assert name not in everything
    assert b"Tarkista luku" in everything  # the comment itself is kept
    assert b"Author" in everything
    for name, text in texts.items():
        if name.endswith(".xml"):
            ElementTree.fromstring(text)  # still well-formed


def test_a_document_without_comments_keeps_its_bytes() -> None:
    original = package(
        {
            "[Content_Types].xml": docx_types().decode(),
            "word/document.xml": f"<w:document {W}><w:body/></w:document>",
        }
    )
    assert strip_document(original, OOXML_PREFIX + "wordprocessingml.document") == original
