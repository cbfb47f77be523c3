"""The public copy of a PDF: its text and pictures without who made it, scripts or attached
files. Pure over bytes.

Document information (author, creator tool, subject, keywords) and XMP metadata (of the
document, and of its pages, pictures, fonts and forms) name people or their machines.
JavaScript runs in the reader's viewer when the document opens (`/OpenAction`), on events
(`/AA`, additional actions, of the document, pages, annotations and form fields), from the
document's name tree (`/Names /JavaScript`), from bookmarks and from links; `/Launch`,
`/SubmitForm` and `/ImportData` actions run programs or send what the reader types.
Attached files (`/Names /EmbeddedFiles`, file-attachment annotations, PDF 2.0 associated
files `/AF`) carry whatever someone put in them, and XFA forms carry scripts of their own.
All of those go; links to addresses (`/URI`) and inside the document (`/GoTo`)
stay. A PDF with none of it keeps its bytes (and their hash) as uploaded.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

log = logging.getLogger("press")

# Document information that names people or their machines; a title or producer does not.
_PERSONAL = ("/Author", "/Creator", "/Subject", "/Keywords")
# What an action may do in a public copy: go to a place in the document or an address.
_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
# Annotations that are attached files or play media that may script.
_DROPPED_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"}


def strip_pdf(data: bytes) -> bytes:
    """The PDF without personal metadata, scripts and attached files."""
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
        removed = _remove_active_content(writer)
        xmp = _remove_xmp(writer)
        info: Mapping[str, Any] = reader.metadata or {}
        if not removed and not xmp and not any(k in info for k in _PERSONAL):
            return data  # nothing to remove: keep the bytes (and their hash) as uploaded
        writer.metadata = None
        writer.xmp_metadata = None
        _drop_unreferenced(writer)
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        # It was read when uploaded; if it cannot be rewritten, it is served as it came.
        log.warning("could not clean a PDF; serving it unchanged")
        return data
    return out.getvalue()


def _drop_unreferenced(writer: PdfWriter) -> None:
    """What was taken out is still among the writer's objects, and written it would be in
    the copy, only unreferenced. pypdf drops the objects nothing refers to, one level at a
    time (an attached file's stream is referred to by its dropped file specification)."""
    before = -1
    while (remaining := sum(obj is not None for obj in writer._objects)) != before:
        before = remaining
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)


def _remove_xmp(writer: PdfWriter) -> int:
    """Remove every XMP stream: not only the document's, but those of its pages, pictures,
    fonts and forms, which a picture or layout program fills with its user's name; how many
    were removed."""
    return sum(
        _pop(obj, "/Metadata") for obj in writer._objects if isinstance(obj, DictionaryObject)
    )


def _remove_active_content(writer: PdfWriter) -> int:
    """Remove scripts, dangerous actions and attached files; how many were removed."""
    root = writer.root_object
    removed = _pop(root, "/AA", "/AF", "/Collection")
    opening = _resolve(root.get("/OpenAction"))
    if isinstance(opening, DictionaryObject) and not _is_safe(opening):
        removed += _pop(root, "/OpenAction")
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        removed += _pop(names, "/JavaScript", "/EmbeddedFiles")
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject):
        removed += _pop(form, "/XFA")
        removed += sum(_clean_actions(field) for field in _tree(form.get("/Fields"), "/Kids"))
    outlines = _resolve(root.get("/Outlines"))
    if isinstance(outlines, DictionaryObject):
        removed += sum(_clean_actions(item) for item in _outline(outlines.get("/First")))
    for page in writer.pages:
        removed += _pop(page, "/AA", "/AF")
        removed += _clean_annotations(page)
    return removed


def _clean_annotations(page: DictionaryObject) -> int:
    annotations = _resolve(page.get("/Annots"))
    if not isinstance(annotations, ArrayObject):
        return 0
    kept = ArrayObject()
    removed = 0
    for reference in annotations:
        annotation = _resolve(reference)
        if not isinstance(annotation, DictionaryObject):
            continue
        if annotation.get("/Subtype") in _DROPPED_ANNOTATIONS:
            removed += 1
            continue
        removed += _clean_actions(annotation) + _pop(annotation, "/AF")
        kept.append(reference)
    page[NameObject("/Annots")] = kept
    return removed


def _clean_actions(node: DictionaryObject) -> int:
    """An annotation, form field or bookmark without event actions or a script to run."""
    removed = _pop(node, "/AA")
    action = _resolve(node.get("/A"))
    if isinstance(action, DictionaryObject) and not _is_safe(action):
        removed += _pop(node, "/A")
    return removed


def _is_safe(action: DictionaryObject) -> bool:
    # A chain (`/Next`) is followed: a safe first action may hand over to a script.
    seen = 0
    current: Any = action
    while isinstance(current, DictionaryObject) and seen < 100:
        if current.get("/S") not in _SAFE_ACTIONS:
            return False
        current = _resolve(current.get("/Next"))
        seen += 1
    return current is None


def _pop(node: DictionaryObject, *keys: str) -> int:
    return sum(node.pop(key, None) is not None for key in keys)


def _resolve(value: Any) -> Any:
    return value.get_object() if value is not None else None


def _tree(kids: Any, key: str, depth: int = 0) -> Iterator[DictionaryObject]:
    """Every node of a tree whose children are arrays under `key` (form fields)."""
    array = _resolve(kids)
    if not isinstance(array, ArrayObject) or depth > 50:
        return
    for reference in array:
        node = _resolve(reference)
        if isinstance(node, DictionaryObject):
            yield node
            yield from _tree(node.get(key), key, depth + 1)


def _outline(first: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """Every bookmark: siblings by `/Next`, children from `/First`."""
    item = _resolve(first)
    seen: set[int] = set()
    if depth > 50:
        return
    while isinstance(item, DictionaryObject) and id(item) not in seen and len(seen) < 10_000:
        seen.add(id(item))
        yield item
        yield from _outline(item.get("/First"), depth + 1)
        item = _resolve(item.get("/Next"))
