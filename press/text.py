"""Text that must stay on one line: names, titles, subjects, places, labels.

Such a value ends up in an e-mail header, a CSV cell, an HTTP header or a feed title, where a
line break or another control character ends the header early, starts a forged one or makes
the whole message impossible to build. The API refuses them at the edge (a 422 naming the
field), so nothing new can hold one; what old rows may still hold is handled where it is used.
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

# C0 controls (TAB, LF and CR among them), DEL, C1 controls (NEL among them) and the Unicode
# line and paragraph separators: everything that breaks a line or is not text.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
SINGLE_LINE_PATTERN = f"^[^{CONTROL_CHARACTERS}]*$"
SINGLE_LINE_RULE = "must be one line of text, without line breaks or control characters"

SingleLine = Annotated[
    str,
    msgspec.Meta(
        pattern=SINGLE_LINE_PATTERN,
        description="One line of text, without line breaks or control characters.",
    ),
]
"""A str that holds no control character; add length limits with another Meta:
`Annotated[SingleLine, msgspec.Meta(max_length=200)]`."""

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def is_single_line(text: str) -> bool:
    """True when `text` holds no line break or other control character."""
    return _CONTROL.search(text) is None
