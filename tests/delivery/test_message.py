"""The release message as mail readers parse it: written once per send-out and filled in per
reader, it must read back exactly like a message the email package composed itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from uuid import uuid4

import pytest

from press.delivery.message import Recipient, ReleaseMail, ReleaseText

TITLE = "Kaupunginhallitus päätti: talousarvio = 1,2 mrd € ja " + "pitkä otsikko " * 6
BODY = "Päätös tehtiin yksimielisesti. " * 40 + "\n\nRivi, jossa on piste\n.\nja = merkki."
UNSUBSCRIBE = "https://press.example/unsubscribe/abc=def?x=1&y=2"
PREFERENCES = "https://press.example/fi/preferences/" + "t" * 90


def _mail(embargoed: bool = False) -> ReleaseMail:
    text = ReleaseText(
        release_id=uuid4(),
        lang="fi",
        title=TITLE,
        lead="Ingressi ääkkösin",
        body=BODY,
        body_html="<p>Päätös &amp; perustelut</p>",
        url="https://press.example/fi/tiedotteet/1",
        publish_at=datetime.now(UTC) + timedelta(hours=3),
        embargo_terms="Ei julkaista ennen lupaa.",
    )
    return ReleaseMail(text, sender="Kaupunki <press@city.example>", embargoed=embargoed)


def _read(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize("name", ["Reader 1", "Jääskeläinen, Päivi", 'Eve "the" Reporter', ""])
def test_each_reader_gets_headers_and_links_of_their_own_that_read_back(name: str) -> None:
    mail, contact = _mail(embargoed=True), uuid4()
    to = Recipient(contact, name, "reader@news.example")
    event = uuid4()
    data = mail.render(
        to,
        unsubscribe_url=UNSUBSCRIBE,
        preferences_url=PREFERENCES,
        now=datetime.now(UTC),
        event_id=event,
    )
    # 7-bit and within SMTP's line limit: any relay takes it as it is.
    assert data.isascii()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert b"\n" not in data.replace(b"\r\n", b"")
    message = _read(data)
    assert message["To"].addresses[0].display_name == name
    assert message["To"].addresses[0].addr_spec == "reader@news.example"
    assert message["Subject"].startswith("EMBARGO ")
    assert message["Subject"].endswith(TITLE)
    assert message["Message-ID"] == (
        f"<embargo.{event}.{mail.text.release_id}.{contact}@city.example>"
    )
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["Content-Language"] == "fi"
    plain = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert plain is not None
    assert page is not None
    text = plain.get_content().replace("\r\n", "\n")  # as a mail reader shows it
    assert BODY in text
    assert "EMBARGO: julkaistavissa aikaisintaan" in text
    assert f"Peru tilaus: {UNSUBSCRIBE}\n" in text
    assert f"Muuta tilaustasi: {PREFERENCES}" in text
    assert 'href="https://press.example/unsubscribe/abc=def?x=1&amp;y=2"' in page.get_content()


def test_two_readers_of_one_send_out_share_nothing_personal() -> None:
    mail, now, event = _mail(), datetime.now(UTC), uuid4()
    first, second = (
        _read(
            mail.render(
                Recipient(uuid4(), who, f"{who.lower()}@news.example"),
                unsubscribe_url=f"{UNSUBSCRIBE}{who}",
                preferences_url=f"{PREFERENCES}{who}",
                now=now,
                event_id=event,
            )
        )
        for who in ("Aino", "Eino")
    )
    assert "Eino" not in first.as_string()
    assert "Aino" not in second.as_string()
    assert first["Subject"] == second["Subject"] == TITLE
    assert first["Message-ID"] != second["Message-ID"]


def test_an_embargo_mail_sent_again_is_the_same_message_and_each_move_a_new_one() -> None:
    mail, to = _mail(embargoed=True), Recipient(uuid4(), "Aino", "aino@news.example")
    text = mail.text
    assert text.publish_at is not None
    moved = ReleaseText(**{**text.__dict__, "publish_at": text.publish_at + timedelta(hours=1)})
    sender = "Kaupunki <press@city.example>"
    scheduled, moved_later, moved_back = uuid4(), uuid4(), uuid4()  # the outbox's events
    first, again, notice, back = (
        _read(
            each.render(
                to, unsubscribe_url=UNSUBSCRIBE, preferences_url=PREFERENCES, now=now,
                event_id=event,
            )
        )
        for each, now, event in (
            (mail, datetime.now(UTC), scheduled),
            (ReleaseMail(text, sender=sender, embargoed=True),
             datetime.now(UTC) + timedelta(minutes=5), scheduled),
            (ReleaseMail(moved, sender=sender, embargoed=True), datetime.now(UTC), moved_later),
            (ReleaseMail(text, sender=sender, embargoed=True), datetime.now(UTC), moved_back),
        )
    )  # fmt: skip
    # A retry of the same notice: a reader may drop it as a repeat.
    assert again["Message-ID"] == first["Message-ID"]
    # The notice of a moved lift: no reader may take it for a repeat of the first.
    assert notice["Message-ID"] != first["Message-ID"]
    assert notice["Subject"] != first["Subject"]
    # Moved back to the first time: the same words as the first, yet a message of its own.
    assert back["Subject"] == first["Subject"]
    assert back["Message-ID"] not in (first["Message-ID"], notice["Message-ID"])


def test_a_line_break_in_a_name_or_title_is_refused_with_the_email_packages_words() -> None:
    mail = _mail()
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        mail.render(
            Recipient(uuid4(), "Eve\r\nBcc: all@x.example", "eve@x.example"),
            unsubscribe_url=UNSUBSCRIBE,
            preferences_url=PREFERENCES,
            now=datetime.now(UTC),
            event_id=uuid4(),
        )
    text = _mail().text
    broken = ReleaseText(**{**text.__dict__, "title": "Otsikko\nBcc: all@x.example"})
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        ReleaseMail(broken, sender="press@city.example", embargoed=False)
