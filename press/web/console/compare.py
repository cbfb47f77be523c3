"""Two versions of a release side by side: which fields differ, and within a field which
words were deleted and inserted. Pure (difflib), for the history page and for a pending
change shown against what is published."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from press.releases.schemas import LANGS

TEXT_FIELDS = ("title", "lead", "body")
# Words, runs of white space (kept, so line breaks of a body survive) and single marks: a
# change of one comma is not shown as a change of the word beside it.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same in both versions ("equal"), or only in the older
    ("delete") or only in the newer ("insert")."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: `name` is the field (title, lead, body, source, …), `lang`
    the language of a text field, and `pieces` the words of both versions in order."""

    name: str
    lang: str | None
    pieces: list[Piece]


def word_diff(old: str, new: str) -> list[Piece]:
    """The words deleted from `old` and inserted into `new`, with what stayed between."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(pieces, "equal", "".join(before[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _add(pieces, "delete", "".join(before[i1:i2]))
        if tag in ("insert", "replace"):
            _add(pieces, "insert", "".join(after[j1:j2]))
    return pieces


def _add(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def comparable(snapshot: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A release (as the API writes it: a revision's snapshot, or the release now) as the
    texts compared: each language's title, lead and body, and its other fields as the
    user reads them (`names` gives a source's, a topic's or a contact's label)."""
    translations = snapshot.get("translations") or {}
    decision = snapshot.get("decision") or {}
    fields: dict[str, Any] = {
        "source": _named(names, "sources", [snapshot.get("source") or ""]),
        "topics": _named(names, "topics", sorted(snapshot.get("topics") or [])),
        "contacts": _named(names, "contacts", [str(c) for c in snapshot.get("contacts") or []]),
        "decision": " ".join(filter(None, [decision.get("id"), decision.get("url")])),
        "embargo_terms": snapshot.get("embargo_terms") or "",
    }
    for lang in LANGS:
        text = translations.get(lang) or {}
        for name in TEXT_FIELDS:
            fields[f"{name}_{lang}"] = text.get(name) or ""
    return fields


def _named(names: dict[str, dict[str, str]], kind: str, keys: list[str]) -> str:
    labels = names.get(kind, {})
    return ", ".join(labels.get(key, key) for key in keys if key)


def with_change(snapshot: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The release as it will be once a pending change (a ReleaseUpdate as sent: fields left
    out stay, a language set to null goes) is applied."""
    after = {**snapshot, **{k: v for k, v in changes.items() if k != "translations"}}
    translations = dict(snapshot.get("translations") or {})
    for lang, text in (changes.get("translations") or {}).items():
        if text is None:
            translations.pop(lang, None)
        else:
            translations[lang] = text
    after["translations"] = translations
    return after


def compare(older: dict[str, Any], newer: dict[str, Any]) -> list[FieldChange]:
    """The fields of two comparable versions that differ, in the page's order: the shared
    fields, then each language's title, lead and body."""
    changes = []
    for key, old in older.items():
        new = newer.get(key, "")
        if old == new:
            continue
        name, _, lang = key.rpartition("_")
        if name not in TEXT_FIELDS:
            name, lang = key, ""
        changes.append(FieldChange(name, lang or None, word_diff(old, new)))
    return changes
