"""What a reader types becomes safe tsquery text; Finnish words are widened. No I/O."""

from __future__ import annotations

import pytest

from press.archive.finnish import inflection_prefixes
from press.archive.public_search import snippet_html
from press.archive.search import search_query


@pytest.mark.parametrize(
    ("word", "prefixes"),
    [
        ("päätös", ["päätöks"]),
        ("kokous", ["kokouks"]),
        ("nainen", ["nais"]),
        ("kaupunki", ["kaupung"]),
        ("kunta", ["kunn"]),
        ("katu", []),  # "kad" would be too short to be useful
        ("talousarvio", []),
    ],
)
def test_finnish_inflection_prefixes(word: str, prefixes: list[str]) -> None:
    assert inflection_prefixes(word) == prefixes


@pytest.mark.parametrize(
    ("text", "fi", "en"),
    [
        ("päätös", "(päätös:* | päätöks:*)", "päätös:*"),
        ("päätös ", "(päätös | päätöks:*)", "päätös"),
        ('"city board" -budget', "(city <-> board) & !budget", "(city <-> board) & !budget"),
        ("budget or beslut", "budget | beslut:*", "budget | beslut:*"),
        ("tax' & !(x:*", "tax & x", "tax & x"),
        ("-only", None, None),
        ("!!! ::: &&&", None, None),
        ("", None, None),
    ],
)
def test_query_syntax_becomes_tsquery_text_without_injection(
    text: str, fi: str | None, en: str | None
) -> None:
    query = search_query(text)
    assert (query.fi, query.en) == (fi, en)


def test_a_language_filter_leaves_the_other_languages_out() -> None:
    query = search_query("beslut", "sv")
    assert (query.fi, query.sv, query.en) == (None, "beslut:*", None)


@pytest.mark.parametrize(
    ("headline", "html"),
    [
        # A match, between the markers ts_headline was asked to put around it.
        ("Uusi \x02kirjasto\x03 avataan", "Uusi <mark>kirjasto</mark> avataan"),
        # Links and images become their text; the address is not shown.
        ("Katso [päätös](https://example.org/p?id=1) ja ![kuva](k.jpg)", "Katso päätös ja kuva"),
        ("**Lihava**, __myös__ ja `koodi`", "Lihava, myös ja koodi"),
        # Heading and quote marks at the start of a line go, nested ones too...
        (
            "## Otsikko\n> lainaus\n> > sisempi\n   # sisennetty",
            "Otsikko lainaus sisempi sisennetty",
        ),
        # ...but the same characters inside a line are text.
        ("Aloite #5: a > b", "Aloite #5: a &gt; b"),
        # Whatever the release says is text, never markup.
        (
            '<img src=x onerror="alert(1)"> & \x02<b>\x03',
            '&lt;img src=x onerror="alert(1)"&gt; &amp; <mark>&lt;b&gt;</mark>',
        ),
        ("  rivit\n\n  ja   välit  ", "rivit ja välit"),
        ("", ""),
    ],
)
def test_snippet_is_safe_html_without_markdown(headline: str, html: str) -> None:
    assert snippet_html(headline) == html
