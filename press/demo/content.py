"""The demo content: the press office of a bilingual Finnish city, read from `data/`.

The releases are written in the style of the city's communications department: Finnish and
Swedish for every release, English for most. Names of people, districts and outlets are
invented; addresses use example domains. The files are read as package resources, so a wheel
or a zip serves them as well as a checkout.

- `staff.json`, `media-contacts.json`, `journalists.json`, `events.json`: lists of rows.
- `files.json`: the photos and documents in `files/`, each with the metadata staff would give
  it (`title`, `caption`, `alt` per language, `credit`, `licence`, and for a media-bank item
  `collection` and `public`), as a `FileUpdate`.
- `releases/NN-key/`: one release per folder, loaded in folder order; `key` names it.
  `release.json` holds `source`, `topics`, `contacts` (indexes into media-contacts.json), an
  optional `decision` {"id", "url"}, `files` (names in files.json, attached in that order)
  and the `plan`: what the loader does with it, one of "draft", "in_review", "published",
  "withdrawn" and "corrected" (with `days_ago`: published that many days ago; "withdrawn"
  with a `reason`, "corrected" with a `correction` {"note"}), "scheduled" and "embargo"
  (with `in_hours`: publication time from now; "embargo" with `embargo_terms`).
  `fi.md`, `sv.md` and `en.md` are its translations: a front matter of `title:` and `lead:`
  lines between `---` lines, then the Markdown body. A corrected release's new Finnish body
  is `fi-corrected.md`.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

LANGS = ("fi", "sv", "en")


def _data() -> Traversable:
    return resources.files("press.demo") / "data"


def read_json(name: str) -> Any:
    """A JSON file of the demo data, such as `staff.json`."""
    return json.loads((_data() / name).read_text("utf-8"))


def file_bytes(name: str) -> bytes:
    """The bytes of a demo photo or document listed in files.json."""
    return (_data() / "files" / name).read_bytes()


def releases() -> list[dict[str, Any]]:
    """The demo releases in order, each release.json with its `key` and `translations`
    {lang: {"title", "lead", "body"}} (and `correction["fi_body_fix"]` when corrected)."""
    folders = sorted((f for f in (_data() / "releases").iterdir() if f.is_dir()), key=_name)
    return [_release(folder) for folder in folders]


def _name(entry: Traversable) -> str:
    return entry.name


def _release(folder: Traversable) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((folder / "release.json").read_text("utf-8"))
    spec["key"] = folder.name.split("-", 1)[1]
    written = [lang for lang in LANGS if (folder / f"{lang}.md").is_file()]
    spec["translations"] = {lang: _translation(folder / f"{lang}.md") for lang in written}
    if "correction" in spec:
        fixed = (folder / "fi-corrected.md").read_text("utf-8").strip()
        spec["correction"] = {**spec["correction"], "fi_body_fix": fixed}
    return spec


def _translation(file: Traversable) -> dict[str, str]:
    """`title` and `lead` from the front matter, `body` from the rest."""
    text = file.read_text("utf-8")
    head, separator, body = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not separator:
        raise ValueError(f"{file.name}: expected a front matter between '---' lines")
    fields = dict(line.split(": ", 1) for line in head.splitlines())
    return {"title": fields["title"], "lead": fields["lead"], "body": body.strip()}
