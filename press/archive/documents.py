"""Office documents without the names of the people who wrote them. Pure over bytes.

A .docx, .xlsx or .pptx keeps its author, last editor, company and manager in
`docProps/core.xml` and `docProps/app.xml`, and custom properties in `docProps/custom.xml`;
an .odt keeps its creators, who printed it and user-defined fields in `meta.xml`. The public
copy is the same package with those parts emptied; every other entry is copied byte for
byte, in order, with its own compression (an ODF package's `mimetype` stays first and
stored). Text inside the document itself (comments, tracked changes) is left as it is.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable

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


def is_cleaned_document(content_type: str) -> bool:
    """A document type whose public copy has its metadata removed (PDF, Office)."""
    return content_type == "application/pdf" or content_type.startswith((OOXML_PREFIX, ODF_PREFIX))


def strip_document(data: bytes, content_type: str) -> bytes:
    """The package without its personal metadata; the bytes unchanged when there is none."""
    clean: Callable[[str, bytes], bytes]
    if content_type.startswith(OOXML_PREFIX):
        clean = _clean_ooxml
    elif content_type.startswith(ODF_PREFIX):
        clean = _clean_odf
    else:
        return data
    try:
        return _rewrite(data, clean)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        # It was read when uploaded; if it cannot be rewritten, it is served as it came.
        log.warning("could not remove the metadata of a document; serving it unchanged")
        return data


def _clean_ooxml(name: str, content: bytes) -> bytes:
    if name == "docProps/core.xml":
        return _CORE
    if name == "docProps/custom.xml":
        return _CUSTOM
    if name == "docProps/app.xml":
        return _APP_PERSONAL.sub(b"", content)
    return content


def _clean_odf(name: str, content: bytes) -> bytes:
    return _ODF_PERSONAL.sub(b"", content) if name == "meta.xml" else content


def _rewrite(data: bytes, clean: Callable[[str, bytes], bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    cleaned = [(info, content, clean(info.filename, content)) for info, content in entries]
    if all(before == after for _, before, after in cleaned):
        return data  # nothing to remove: keep the bytes (and their hash) as uploaded
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, _, content in cleaned:
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()
