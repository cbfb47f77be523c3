"""Office documents without the names of the people who wrote them. Pure over bytes.

A .docx, .xlsx or .pptx keeps its author, last editor, company and manager in
`docProps/core.xml` and `docProps/app.xml`, and custom properties in `docProps/custom.xml`;
an .odt keeps its creators, who printed it and user-defined fields in `meta.xml`. The public
copy is the same package with those parts emptied.

Comments and tracked changes name who wrote them too: Word, Excel and PowerPoint in
attributes of the document's parts and in lists of comment authors (`word/people.xml`,
`xl/comments*.xml`, `xl/persons/`, `ppt/commentAuthors.xml`, `ppt/authors.xml`), OpenDocument
in `dc:creator` and `meta:creator-initials` inside `content.xml` and `styles.xml`. Those
names become "Author" and the initials "A", as Office's own "remove personal information"
leaves them; the comments and changes themselves stay, since the text is what the press
office chose to publish. Every other entry is copied byte for byte, in order, with its own
compression (an ODF package's `mimetype` stays first and stored).
"""

from __future__ import annotations

import copy
import io
import logging
import re
import zipfile
from collections.abc import Callable
from functools import partial

from press.archive.packages import UNREADABLE_ZIP, Unpacking, open_package

log = logging.getLogger("press")

OOXML_PREFIX = "application/vnd.openxmlformats-officedocument."
ODF_PREFIX = "application/vnd.oasis.opendocument."

_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
# Leaf elements that name people or organisations.
_APP_PERSONAL = re.compile(rb"<(Company|Manager)(?:\s[^>]*)?(?:/>|>.*?</\1>)", re.DOTALL)
_ODF_PERSONAL = re.compile(
    rb"<(meta:initial-creator|dc:creator|meta:printed-by|meta:user-defined)(?:\s[^>]*)?"
    rb"(?:/>|>.*?</\1>)",
    re.DOTALL,
)


ANONYMOUS, INITIALS = b"Author", b"A"
# Attributes naming the author of a comment or change, or a person in a list of authors.
_WORD_PEOPLE = re.compile(
    rb"(\s(w:author|w:initials|w15:author|w15:userId|w15:providerId)=)(?:\"[^\"]*\"|'[^']*')"
)
_LISTED_PEOPLE = re.compile(
    rb"(\s(name|initials|displayName|userId|providerId)=)(?:\"[^\"]*\"|'[^']*')"
)
_XL_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_ODF_PEOPLE = re.compile(
    rb"<(dc:creator|meta:creator-initials)((?:\s[^>/]*)?)(?:/>|>.*?</\1>)", re.DOTALL
)
_OOXML_AUTHOR_LISTS = re.compile(r"(xl/persons/[^/]+|ppt/commentAuthors|ppt/authors)\.xml")


def _anonymous_attribute(match: re.Match[bytes]) -> bytes:
    value = INITIALS if match[2].endswith(b"initials") else ANONYMOUS
    return match[1] + b'"' + value + b'"'


def _anonymous_element(match: re.Match[bytes]) -> bytes:
    value = INITIALS if match[1] == b"meta:creator-initials" else ANONYMOUS
    return b"<" + match[1] + match[2] + b">" + value + b"</" + match[1] + b">"


def is_cleaned_document(content_type: str) -> bool:
    """A document type whose public copy has its metadata removed (PDF, Office)."""
    return content_type == "application/pdf" or content_type.startswith((OOXML_PREFIX, ODF_PREFIX))


def strip_document(data: bytes, content_type: str) -> bytes:
    """The package without its personal metadata; the bytes unchanged when there is none.
    OverLimit when it unpacks past press.archive.packages' limits."""
    cleaner_for: Callable[[str], Cleaner | None]
    if content_type.startswith(OOXML_PREFIX):
        cleaner_for = _ooxml_cleaner
    elif content_type.startswith(ODF_PREFIX):
        cleaner_for = _odf_cleaner
    else:
        return data
    try:
        return _rewrite(data, cleaner_for)
    except UNREADABLE_ZIP:
        # It was read when uploaded; if it cannot be rewritten, it is served as it came.
        log.warning("could not remove the metadata of a document; serving it unchanged")
        return data


Cleaner = Callable[[bytes], bytes]


def _always(content: bytes) -> Cleaner:
    return lambda _: content


def _ooxml_cleaner(name: str) -> Cleaner | None:
    """How the part `name` of an Office Open XML package is cleaned; None: kept as it is."""
    if name == "docProps/core.xml":
        return _always(_CORE)
    if name == "docProps/custom.xml":
        return _always(_CUSTOM)
    if name == "docProps/app.xml":
        return partial(_APP_PERSONAL.sub, b"")
    if not name.endswith(".xml"):
        return None
    if name.startswith("word/"):
        return partial(_WORD_PEOPLE.sub, _anonymous_attribute)
    if _OOXML_AUTHOR_LISTS.fullmatch(name):
        return partial(_LISTED_PEOPLE.sub, _anonymous_attribute)
    if name.startswith("xl/comments"):
        return partial(_XL_AUTHOR.sub, b"<author>" + ANONYMOUS + b"</author>")
    return None


def _odf_cleaner(name: str) -> Cleaner | None:
    if name == "meta.xml":
        return partial(_ODF_PERSONAL.sub, b"")
    if name in ("content.xml", "styles.xml"):
        return partial(_ODF_PEOPLE.sub, _anonymous_element)
    return None


def _rewrite(data: bytes, cleaner_for: Callable[[str], Cleaner | None]) -> bytes:
    """The parts that name people, cleaned; every other part streamed across unchanged. Only
    one part at a time is whole in memory, and every byte unpacked is counted."""
    with open_package(io.BytesIO(data)) as source:
        entries = source.infolist()
        unpacking = Unpacking(len(data))
        changed: dict[str, bytes] = {}
        for info in entries:
            clean = cleaner_for(info.filename)
            if clean is not None:
                content = unpacking.read(source, info)
                if (cleaned := clean(content)) != content:
                    changed[info.filename] = cleaned
        if not changed:
            return data  # nothing to remove: keep the bytes (and their hash) as uploaded
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in entries:
                if info.filename in changed:
                    target.writestr(info, changed[info.filename], compress_type=info.compress_type)
                    continue
                # A copy of the entry's record: writing fills in sizes, reading needs the old.
                with target.open(copy.copy(info), "w") as part:
                    unpacking.copy(source, info, part)
    return out.getvalue()
