"""Turning what a reader types into one PostgreSQL tsquery text per language. Pure.

Syntax, as in web search engines: words are all required, "quoted words" must appear in that
order, -word excludes, `or` between two terms accepts either. The last word is also matched
as a prefix, so results follow the reader while typing ("talousarv" finds "talousarvio").
Finnish words are widened by `finnish.inflection_prefixes`. Only letters and digits reach
the query text, so no input can inject tsquery syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from press.archive.finnish import inflection_prefixes

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([\w]+)', re.UNICODE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 12
MIN_PREFIX = 2


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    negated: bool = False
    either_with_previous: bool = False
    prefix: bool = False


def parse(text: str) -> list[Term]:
    """The terms of a query, in order; empty when nothing searchable was typed."""
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        words = tuple(w.lower() for w in _WORD.findall(raw or ""))
        if not words:
            continue
        if match.group(4) is not None and words == ("or",) and terms:
            pending_or = True
            continue
        terms.append(Term(words, negated, pending_or and not negated))
        pending_or = False
    terms = terms[:MAX_TERMS]
    typing = text[-1:].isalnum() if text else False
    if terms and typing and len(terms[-1].words) == 1 and not terms[-1].negated:
        last = terms[-1]
        if len(last.words[0]) >= MIN_PREFIX:
            terms[-1] = Term(last.words, False, last.either_with_previous, prefix=True)
    return terms


def _operand(term: Term, lang: str) -> str:
    if len(term.words) > 1:
        return "(" + " <-> ".join(term.words) + ")"
    word = term.words[0]
    alternatives = [word + (":*" if term.prefix else "")]
    if lang == "fi":
        alternatives += [prefix + ":*" for prefix in inflection_prefixes(word)]
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def tsquery_text(terms: list[Term], lang: str) -> str | None:
    """to_tsquery syntax for one language's configuration, or None for no terms."""
    out = ""
    for term in terms:
        operand = ("!" if term.negated else "") + _operand(term, lang)
        if not out:
            out = operand
        elif term.either_with_previous:
            out = f"{out} | {operand}"
        else:
            out = f"({out}) & {operand}" if " | " in out else f"{out} & {operand}"
    if not out or all(term.negated for term in terms):
        return None
    return out


@dataclass(frozen=True)
class SearchQuery:
    fi: str | None
    sv: str | None
    en: str | None

    @property
    def empty(self) -> bool:
        return self.fi is None and self.sv is None and self.en is None


def search_query(text: str, lang: str | None = None) -> SearchQuery:
    """The per-language query texts; languages other than `lang` are left out when given."""
    terms = parse(text)
    texts = {code: tsquery_text(terms, code) for code in ("fi", "sv", "en")}
    if lang is not None:
        texts = {code: (value if code == lang else None) for code, value in texts.items()}
    return SearchQuery(texts["fi"], texts["sv"], texts["en"])
