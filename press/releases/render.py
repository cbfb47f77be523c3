"""Markdown to sanitised HTML, and slugs from titles. Pure functions, no I/O."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}

# Finnish and Swedish readers expect ä → a, ö → o, å → a in addresses, not "a-" or "%C3%A4".
_TRANSLITERATE = str.maketrans({"ä": "a", "ö": "o", "å": "a", "ß": "ss", "æ": "ae", "ø": "o"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 80


def render_markdown(body: str) -> str:
    """Render a release body (Markdown) to HTML that is safe to embed in any page."""
    html = _markdown.render(body)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def slugify(title: str) -> str:
    """A readable ASCII slug: 'Kaupunginhallitus päätti' → 'kaupunginhallitus-paatti'."""
    text = unicodedata.normalize("NFC", title).lower().translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = _NON_WORD.sub("-", text).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
    return slug or "release"
