"""Markdown rendering and slugs."""

from __future__ import annotations

import pytest

from press.releases.render import render_markdown, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Kaupunginhallitus päätti talousarviosta", "kaupunginhallitus-paatti-talousarviosta"),
        ("Stadsstyrelsen föreslår: ny spårväg", "stadsstyrelsen-foreslar-ny-sparvag"),
        ("Ö/Ä/Å!!!", "o-a-a"),
        ("???", "release"),
        ("Crème brûlée & café", "creme-brulee-cafe"),
    ],
)
def test_slugs_are_readable_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("sana " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-")


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_markdown_cannot_inject_script(markdown: str) -> None:
    html = render_markdown(markdown)
    # Raw HTML is shown as text, never as markup: no tag or attribute survives as such.
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html
    assert "<iframe" not in html


def test_markdown_renders_the_usual_formatting() -> None:
    html = render_markdown("## Otsikko\n\n**lihava** ja [linkki](https://www.example.fi)\n\n- yksi")
    assert "<h2>Otsikko</h2>" in html
    assert "<strong>lihava</strong>" in html
    assert 'href="https://www.example.fi"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<li>yksi</li>" in html
