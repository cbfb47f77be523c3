"""The staff password rule, without I/O: long enough, not common or trivial, not made of
its own context."""

from __future__ import annotations

import pytest

from press.staff.passwords import password_problem

EMAIL, NAME = "olli.virtanen@city.example", "Olli Virtanen"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password1234", "common"),
        ("Password1234", "common"),
        ("qwertyuiop123", "common"),
        (" " * 12, "only spaces"),
        ("eleven char", "at least 12"),
        ("zzzzzzzzzzzzzzzz", "repeats"),
        ("0123456789abcdef", "sequence"),
        ("olli.virtanen@city.example", "e-mail"),
        ("OlliVirtanen2024", "e-mail"),
        ("press press press", "press"),
    ],
)
def test_common_trivial_and_context_passwords_are_refused_saying_why(
    password: str, reason: str
) -> None:
    problem = password_problem(password, EMAIL, NAME)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "tram seven to the market square",
        "press-office-2024 lunch",
        "Kaupunginhallitus kokoontuu",
        "ä ö å and an emoji 🦉 too",
    ],
)
def test_long_phrases_pass_without_rules_of_composition(password: str) -> None:
    assert password_problem(password, EMAIL, NAME) is None
