"""What a reader types becomes safe tsquery text; Finnish words are widened. No I/O."""

from __future__ import annotations

import pytest

from press.archive.finnish import inflection_prefixes
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
