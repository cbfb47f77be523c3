"""Which language a recipient reads a release in. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

DOMESTIC_FALLBACK = ("fi", "sv", "en")
FOREIGN_FALLBACK = ("en", "fi", "sv")


def choose_language(preferences: Iterable[str], available: Sequence[str], country: str = "") -> str:
    """The first preferred language the release has; otherwise, for a reader in Finland (or
    of unknown country) Finnish, Swedish, English, and for a foreign reader English first.
    A release has at least one translation, so some language is always found."""
    fallback = DOMESTIC_FALLBACK if country in ("", "FI", "AX") else FOREIGN_FALLBACK
    for lang in [*preferences, *fallback]:
        if lang in available:
            return lang
    return available[0] if available else "fi"
