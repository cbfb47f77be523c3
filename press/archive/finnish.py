"""Finnish inflection that PostgreSQL's `finnish` snowball stemmer misses. Pure.

The stemmer strips case endings but does not undo the stem changes Finnish makes before
them: "päätös" stems to `päätös` while "päätöksen" and "päätökset" stem to `päätöks`, and
"kaupunki" to `kaupunk` while "kaupungin" gives `kaupung`. A query word is therefore also
searched as the prefixes its inflected forms stem to, from three regular patterns:

- nouns in vowel + s take -ks- (päätös → päätöks-, kokous → kokouks-, sopimus → sopimuks-);
- nouns in -nen take -s- (nainen → nais-, kaupunkilainen → kaupunkilais-);
- consonant gradation weakens the last consonant(s) (kaupunki → kaupung-, kunta → kunn-).

Over-matching a little (kunn- also finds "kunnia") is the price of finding the forms at all.
"""

from __future__ import annotations

VOWELS = set("aeiouyäö")
# Strong grade → weak grade, longest first.
_GRADATION = (
    ("nk", "ng"),
    ("mp", "mm"),
    ("lt", "ll"),
    ("nt", "nn"),
    ("rt", "rr"),
    ("ht", "hd"),
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("p", "v"),
    ("t", "d"),
)
MIN_PREFIX = 4


def inflection_prefixes(word: str) -> list[str]:
    """Prefixes that inflected forms of `word` stem to, beyond its own stem."""
    word = word.lower()
    found: list[str] = []
    if len(word) >= 4 and word.endswith("nen"):
        found.append(word[:-3] + "s")
    elif len(word) >= 4 and word[-1] == "s" and word[-2] in VOWELS:
        found.append(word[:-1] + "ks")
    elif len(word) >= 4 and word[-1] in VOWELS and word[-2] not in VOWELS:
        body = word[:-1]
        for strong, weak in _GRADATION:
            if body.endswith(strong):
                found.append(body[: -len(strong)] + weak)
                break
    return [prefix for prefix in found if len(prefix) >= MIN_PREFIX and prefix != word]
