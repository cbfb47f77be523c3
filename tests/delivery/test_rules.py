"""Pure rules of distribution: language choice, SMTP URLs, signed links."""

from __future__ import annotations

from uuid import uuid4

import pytest

from press.contacts import links
from press.delivery.language import choose_language
from press.delivery.smtp import SmtpTarget, SmtpUrlError, parse_smtp_url
from press.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("preferences", "available", "country", "expected"),
    [
        (["sv", "fi"], ["fi", "sv", "en"], "FI", "sv"),
        (["sv"], ["fi", "en"], "FI", "fi"),  # a Swedish-speaking Finn falls back to Finnish
        (["de"], ["fi", "sv", "en"], "DE", "en"),  # a foreign reader to English
        ([], ["sv"], "", "sv"),
        (["en"], ["fi", "sv"], "GB", "fi"),
    ],
)
def test_language_choice(
    preferences: list[str], available: list[str], country: str, expected: str
) -> None:
    assert choose_language(preferences, available, country) == expected


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("smtp://127.0.0.1:2525", SmtpTarget("127.0.0.1", 2525, "none")),
        ("smtp://relay.example", SmtpTarget("relay.example", 25, "none")),
        (
            "smtp+starttls://user%40city:p%3Ass@mail.example:587",
            SmtpTarget("mail.example", 587, "starttls", "user@city", "p:ss"),
        ),
        ("smtps://mail.example", SmtpTarget("mail.example", 465, "tls")),
    ],
)
def test_smtp_urls_are_parsed(url: str, target: SmtpTarget) -> None:
    assert parse_smtp_url(url) == target


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://h:port"])
def test_bad_smtp_url_is_refused_at_start_naming_the_variable(url: str) -> None:
    with pytest.raises(SmtpUrlError):
        parse_smtp_url(url)
    with pytest.raises(SettingsError, match="PRESS_SMTP_URL"):
        Settings.from_env({"PRESS_SMTP_URL": url})


def test_signed_links_cannot_be_moved_to_another_person_or_reused_with_another_key() -> None:
    alice, bob, nonce = uuid4(), uuid4(), uuid4()
    token = links.unsubscribe_token("key", alice)
    assert links.read_unsubscribe_token("key", token) == alice
    assert links.read_unsubscribe_token("other-key", token) is None
    moved = bob.hex + token[len(alice.hex) :]
    assert links.read_unsubscribe_token("key", moved) is None
    confirm = links.confirm_token("key", alice, nonce)
    assert links.read_confirm_token("key", confirm) == (alice, nonce)
    assert links.read_confirm_token("key", confirm.replace(nonce.hex, uuid4().hex)) is None
