"""What a staff password must be, after NIST SP 800-63B: long enough, not a common or trivial
one, and not made of the words of its own context (the address, the name, "press"). No rules
of composition: a long phrase of ordinary words is a good password.

Common passwords, words, names, keyboard walks, repeats, sequences and dates are found by
zxcvbn, whose lists of leaked passwords and frequent words are maintained with it.
"""

from __future__ import annotations

import re
from typing import Any

from zxcvbn import zxcvbn

from press.errors import InvalidInput

MIN_LENGTH = 12
# zxcvbn's score 3: about 10^8 guesses, "safely unguessable" for an online attack that is
# also throttled; below that is a common, trivial or context-made password.
MIN_SCORE = 3
# zxcvbn's work grows with the length; what lies past this many characters only adds.
_SCORED_LENGTH = 64
CONTEXT_WORDS = ("press", "pressroom", "staff", "admin")
# Letters and digits a password needs besides its context words.
_OWN_CHARACTERS = 8

_REASONS = {
    "passwords": "is one of the most common passwords",
    "user_inputs": 'is built on your e-mail address, your name or the word "press"',
    "repeat": "repeats the same characters",
    "sequence": "is a sequence like abcd or 1234",
    "spatial": "is a pattern of neighbouring keys",
    "date": "is mostly a date",
}


def context_words(email: str, name: str = "") -> list[str]:
    """The words an attacker who knows whose account it is tries first."""
    local, _, domain = email.lower().partition("@")
    parts = [local, domain, *re.split(r"[^\w]+", f"{local} {domain} {name.lower()}")]
    return [w for w in dict.fromkeys([*parts, *CONTEXT_WORDS]) if len(w) >= 3]


def _without(password: str, words: list[str]) -> str:
    """The letters and digits of the password that are not one of the words."""
    rest = password.lower()
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return re.sub(r"[\W_]+", "", rest)


def password_problem(password: str, email: str, name: str = "") -> str | None:
    """Why this password may not be used, as the end of a sentence; None when it may."""
    if len(password) < MIN_LENGTH:
        return f"has {len(password)} characters; use at least {MIN_LENGTH}"
    if not password.strip():
        return "is only spaces"
    words = context_words(email, name)
    if len(_without(password, words)) < _OWN_CHARACTERS:
        return _REASONS["user_inputs"]
    result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=words)
    matches: list[dict[str, Any]] = result["sequence"]
    if result["score"] >= MIN_SCORE:
        return None
    for match in sorted(matches, key=lambda m: -len(m["token"])):
        reason = _REASONS.get(match.get("dictionary_name") or match["pattern"])
        if reason:
            return reason
    return "is too easy to guess (made of common words or names)"


def check_password(password: str, email: str, name: str = "") -> None:
    """Raise a 422 that says why, unless the password may be used."""
    problem = password_problem(password, email, name)
    if problem is not None:
        raise InvalidInput(
            f"The password {problem}. A phrase of four or more unrelated words is easy to "
            "remember and hard to guess.",
            errors=[{"key": "password", "message": problem}],
        )
