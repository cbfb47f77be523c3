"""The e-mails themselves: a release to one reader, a subscription confirmation, a privacy
request's link. Pure: everything they need is passed in, so they are tested without a server.

One message per recipient (never a visible list), multipart text + HTML, in the reader's
language, with a Message-ID derived from release and contact (a retried send carries the
same id, so receiving systems can drop a repeat) and, under embargo, the outbox event that
told of the embargo (each move of the lift is an event of its own, so its notice is a new
message that no reader may drop as a repeat, even when it states a time told before), one-click
unsubscribe (RFC 8058), and the embargo — when there is one — in the subject and at the top
of the body, with the lift time in Europe/Helsinki, its zone name and UTC offset.
"""

from __future__ import annotations

import binascii
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, SMTPUTF8, EmailPolicy, default
from email.utils import format_datetime, formataddr, parseaddr
from uuid import UUID
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

HELSINKI = ZoneInfo("Europe/Helsinki")
# The city's conventions in each language: Finland's Finnish and Swedish, British English.
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@dataclass(frozen=True)
class ReleaseText:
    release_id: UUID
    lang: str
    title: str
    lead: str
    body: str
    body_html: str
    url: str
    publish_at: datetime | None
    embargo_terms: str = ""


@dataclass(frozen=True)
class Recipient:
    contact_id: UUID
    name: str
    email: str


def utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def embargo_line(lift: datetime, lang: str) -> str:
    """When the embargo lifts, in Helsinki time with zone and offset, in the reader's
    language. The offset is computed for that instant, so it is right on both sides of DST."""
    local = lift.astimezone(HELSINKI)
    zone = f"Europe/Helsinki, {utc_offset(local)}"
    locale = BABEL_LOCALES.get(lang, BABEL_LOCALES["en"])
    # Babel writes the day and the clock as the language does (6.1.2027 klo 10.30,
    # 10 January 2027 at 10:30): no month names kept here by hand.
    day = format_date(local, "short" if lang in ("fi", "sv") else "long", locale=locale)
    clock = format_time(local, "short", locale=locale)
    if lang == "fi":
        return f"EMBARGO: julkaistavissa aikaisintaan {day} klo {clock} ({zone})"
    if lang == "sv":
        return f"EMBARGO: får publiceras tidigast {day} kl. {clock} ({zone})"
    return f"EMBARGO: not for publication before {day} at {clock} ({zone})"


def embargo_subject_prefix(lift: datetime) -> str:
    local = lift.astimezone(HELSINKI)
    return (
        f"EMBARGO {local.day}.{local.month}.{local.year} {local.hour:02d}.{local.minute:02d} "
        f"{utc_offset(local)}"
    )


FOOTER = {
    "fi": ("Saat tämän viestin, koska olet tilannut kaupungin tiedotteet.",
           "Peru tilaus", "Lue tiedote verkossa", "Muuta tilaustasi"),
    "sv": ("Du får detta meddelande eftersom du prenumererar på stadens pressmeddelanden.",
           "Avsluta prenumerationen", "Läs meddelandet på webben", "Ändra din prenumeration"),
    "en": ("You receive this message because you subscribed to the city's press releases.",
           "Unsubscribe", "Read the release online", "Change your subscription"),
}  # fmt: skip


def _base(sender: str, to: Recipient, subject: str, message_id: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((to.name, to.email)) if to.name else to.email
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    return message


class ReleaseMail:
    """One release in one language, made once for a whole send-out; `render` writes out the
    message of one reader. Only what differs between readers is made per reader: the To
    header, the Message-ID, the date and the two links of the footer. The bodies are
    quoted-printable (C code, microseconds), so the per-reader cost stays flat however long
    the release is; building an EmailMessage per reader cost about a millisecond.

    A title that cannot go into a header raises ValueError here, once per reader asked."""

    def __init__(self, text: ReleaseText, *, sender: str, embargoed: bool) -> None:
        _refuse_line_breaks(sender, text.lang, text.title)
        self.text = text
        self.domain = sender.rsplit("@", 1)[-1].strip(">") or "press.invalid"
        self.kind = "embargo" if embargoed else "release"
        subject, notice = text.title, ""
        self.embargoed = embargoed and text.publish_at is not None
        if embargoed and text.publish_at is not None:
            subject = f"{embargo_subject_prefix(text.publish_at)}: {text.title}"
            notice = embargo_line(text.publish_at, text.lang)
            if text.embargo_terms:
                notice += f"\n{text.embargo_terms}"
        # The policy folds and encodes (RFC 2047) the headers that are the same for everyone,
        # and refuses a line break in them.
        self.head = (
            _address_line("From", *parseaddr(sender)) + _text_line("Subject", subject)
        ).encode()
        self.words = FOOTER.get(text.lang, FOOTER["en"])
        why, _, online, _ = self.words
        self.plain_head = "\n\n".join(
            p for p in (notice, text.title, text.lead, text.body, f"{online}: {text.url}") if p
        )
        e = html.escape
        notice_html = (
            f'<p style="font-weight:bold;color:#b00">{e(notice).replace(chr(10), "<br>")}</p>'
            if notice
            else ""
        )
        self.html_head = (
            f'<!doctype html><html lang="{e(text.lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(subject)}</title></head><body>{notice_html}<h1>{e(text.title)}</h1>"
            f"<p><strong>{e(text.lead)}</strong></p>{text.body_html}"
            f'<p><a href="{e(text.url)}">{e(online)}</a></p><hr>'
            f"<p><small>{e(why)} "
        )
        # "=_" never occurs in quoted-printable text ("=" is written =3D there), so no body
        # can contain the boundary.
        self.boundary = f"=_press_{text.release_id.hex}_{text.lang}"

    def render(
        self,
        to: Recipient,
        *,
        unsubscribe_url: str,
        preferences_url: str,
        now: datetime,
        event_id: UUID,
    ) -> bytes:
        """The message of one reader; `event_id` is the outbox event the mail was queued for."""
        _refuse_line_breaks(to.name, to.email, unsubscribe_url, preferences_url)
        why, unsubscribe, _, preferences = self.words
        plain = (
            f"{self.plain_head}\n\n-- \n{why}\n{preferences}: {preferences_url}\n"
            f"{unsubscribe}: {unsubscribe_url}\n"
        )
        e = html.escape
        page = (
            f'{self.html_head}<a href="{e(preferences_url)}">{e(preferences)}</a> · '
            f'<a href="{e(unsubscribe_url)}">{e(unsubscribe)}</a></small></p></body></html>\n'
        )
        boundary = self.boundary
        # Many readers drop a message whose Message-ID they have seen. Under embargo the id
        # names the event, not the lift: a lift moved and moved back (T1, T2, T1) states T1
        # twice, and the second notice must not be taken for a repeat of the first. A retry
        # of one delivery is the same event, hence the same id.
        kind = f"{self.kind}.{event_id}" if self.embargoed else self.kind
        headers = (
            f"{_to_header(to)}"
            f"Date: {format_datetime(now)}\r\n"
            f"Message-ID: <{kind}.{self.text.release_id}.{to.contact_id}@{self.domain}>\r\n"
            "Auto-Submitted: auto-generated\r\n"
            f"List-Unsubscribe: <{unsubscribe_url}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            "Precedence: bulk\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
            f"Content-Language: {self.text.lang}\r\n\r\n"
            f"--{boundary}\r\n"
            'Content-Type: text/plain; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        return b"".join(
            (
                self.head,
                headers.encode("utf-8"),
                _quoted_printable(plain),
                f"\r\n--{boundary}\r\n".encode("ascii"),
                b'Content-Type: text/html; charset="utf-8"\r\n',
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                _quoted_printable(page),
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            )
        )


# A display name that needs neither quoting nor encoding (RFC 5322 atext and spaces).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


def _to_header(to: Recipient) -> str:
    return _address_line("To", to.name, to.email)


def _address_line(field: str, name: str, address: str) -> str:
    """`field: name <address>` as one header line, the name quoted or encoded as it needs."""
    _refuse_line_breaks(name, address)
    if not address.isascii():
        # Under SMTPUTF8 headers are UTF-8 as written: nothing to encode.
        return _header(SMTPUTF8, field, formataddr((name, address)) if name else address)
    if not name or _PLAIN_NAME.fullmatch(name):
        return f"{field}: {name} <{address}>\r\n" if name else f"{field}: {address}\r\n"
    if name.isascii():
        return f"{field}: {formataddr((name, address))}\r\n"  # quoted, escaped
    return f"{field}: {_encoded_words(field, name)} <{address}>\r\n"


def _text_line(field: str, value: str) -> str:
    """An unstructured header (Subject) as one folded line; non-ASCII as RFC 2047 words."""
    if value.isascii():
        return _header(SMTP, field, value)
    return f"{field}: {_encoded_words(field, value)}\r\n"


def _encoded_words(field: str, text: str) -> str:
    """RFC 2047 words that keep every space of `text`. The email package's folder puts the
    space between two encoded words outside them, where readers must drop it ("1,2 mrd"
    arrived as "1,2mrd"); the Header class keeps spaces inside the words."""
    _refuse_line_breaks(text)
    return Header(text, "utf-8", header_name=field).encode(linesep="\r\n")


def _header(policy: EmailPolicy[EmailMessage], name: str, value: str) -> str:
    """One header line as the email package writes it: folded (and UTF-8 under SMTPUTF8);
    a line break in the value raises ValueError."""
    line: str = policy.fold(*policy.header_store_parse(name, value))
    return line


def _quoted_printable(text: str) -> bytes:
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def _refuse_line_breaks(*values: str) -> None:
    for value in values:
        if "\r" in value or "\n" in value:
            # The email package's own words, which staff see as the reason it failed.
            raise ValueError("Header values may not contain linefeed or carriage return characters")


def release_message(
    text: ReleaseText,
    to: Recipient,
    *,
    sender: str,
    embargoed: bool,
    unsubscribe_url: str,
    preferences_url: str,
    now: datetime,
    event_id: UUID,
) -> EmailMessage:
    """The message `ReleaseMail` sends, read back as an EmailMessage."""
    data = ReleaseMail(text, sender=sender, embargoed=embargoed).render(
        to,
        unsubscribe_url=unsubscribe_url,
        preferences_url=preferences_url,
        now=now,
        event_id=event_id,
    )
    message = BytesParser(policy=default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


CONFIRM = {
    "fi": ("Vahvista tiedotteiden tilaus",
           "Vahvista kaupungin tiedotteiden tilaus avaamalla linkki. Jos et tilannut "
           "tiedotteita, voit jättää tämän viestin huomiotta.", "Vahvista tilaus"),
    "sv": ("Bekräfta prenumerationen på pressmeddelanden",
           "Bekräfta prenumerationen på stadens pressmeddelanden genom att öppna länken. Om du "
           "inte har beställt dem kan du lämna meddelandet utan åtgärd.", "Bekräfta"),
    "en": ("Confirm your subscription to press releases",
           "Confirm your subscription to the city's press releases by opening the link. If "
           "you did not ask for it, you can ignore this message.", "Confirm"),
}  # fmt: skip


def confirmation_message(
    to: Recipient, lang: str, confirm_url: str, *, sender: str, nonce: UUID, now: datetime,
    preferences_url: str,
) -> EmailMessage:  # fmt: skip
    subject, text, button = CONFIRM.get(lang, CONFIRM["en"])
    return _link_message(
        to, lang, (subject, text, button), (confirm_url, preferences_url), sender,
        f"confirm.{nonce}", now,
    )  # fmt: skip


PREFERENCES_LINK = {
    "fi": "Asetuksesi ja sinusta tallennetut tiedot",
    "sv": "Dina inställningar och uppgifterna vi har om dig",
    "en": "Your preferences and the data we hold about you",
}


def _link_message(
    to: Recipient,
    lang: str,
    words: tuple[str, str, str],
    urls: tuple[str, str],
    sender: str,
    message_key: str,
    now: datetime,
) -> EmailMessage:
    """A short message whose point is one link (`words`: subject, text, the link's label;
    `urls`: the link, and the reader's preferences page, which every e-mail links)."""
    subject, text, button = words
    link, preferences_url = urls
    preferences = PREFERENCES_LINK.get(lang, PREFERENCES_LINK["en"])
    domain = sender.rsplit("@", 1)[-1].strip(">") or "press.invalid"
    message = _base(sender, to, subject, f"<{message_key}.{to.contact_id}@{domain}>", now)
    message.set_content(f"{text}\n\n{button}: {link}\n\n-- \n{preferences}: {preferences_url}\n")
    e = html.escape
    message.add_alternative(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        f'<p>{e(text)}</p><p><a href="{e(link)}">{e(button)}</a></p><hr>'
        f'<p><small><a href="{e(preferences_url)}">{e(preferences)}</a></small></p>'
        "</body></html>",
        subtype="html",
    )
    message["Content-Language"] = lang
    return message


PRIVACY = {
    "access": {
        "fi": ("Omat tietosi rekisterissämme",
               "Pyysit nähdäksesi tiedot, joita kaupungin viestintä on tallentanut sinusta. "
               "Lataa ne avaamalla linkki; se toimii kerran ja vuorokauden ajan. Jos et "
               "pyytänyt tietojasi, voit jättää viestin huomiotta.", "Lataa tietosi"),
        "sv": ("Dina uppgifter i vårt register",
               "Du bad att få se uppgifterna stadens kommunikation har om dig. Ladda ner dem "
               "via länken; den fungerar en gång under ett dygn. Om du inte bad om det kan du "
               "lämna meddelandet utan åtgärd.", "Ladda ner dina uppgifter"),
        "en": ("Your data in our registry",
               "You asked to see what the city's communications hold about you. Download it "
               "from the link; it works once, for 24 hours. If you did not ask, you can "
               "ignore this message.", "Download your data"),
    },
    "erasure": {
        "fi": ("Tietojesi poistaminen rekisteristämme",
               "Pyysit poistamaan tietosi kaupungin viestinnän rekisteristä. Vahvista poisto "
               "avaamalla linkki; se toimii kerran ja vuorokauden ajan. Jos et pyytänyt "
               "poistoa, voit jättää viestin huomiotta.", "Poista tietosi"),
        "sv": ("Radering av dina uppgifter ur vårt register",
               "Du bad att dina uppgifter raderas ur stadens kommunikations register. Bekräfta "
               "via länken; den fungerar en gång under ett dygn. Om du inte bad om det kan du "
               "lämna meddelandet utan åtgärd.", "Radera dina uppgifter"),
        "en": ("Erasing your data from our registry",
               "You asked us to erase your data from the city's communications registry. "
               "Confirm it from the link; it works once, for 24 hours. If you did not ask, "
               "you can ignore this message.", "Erase your data"),
    },
}  # fmt: skip


def privacy_message(
    to: Recipient,
    lang: str,
    kind: str,
    link: str,
    *,
    sender: str,
    nonce: UUID,
    now: datetime,
    preferences_url: str,
) -> EmailMessage:
    """The link that completes a person's own request to see or erase their data."""
    words = PRIVACY[kind].get(lang, PRIVACY[kind]["en"])
    return _link_message(to, lang, words, (link, preferences_url), sender, f"privacy.{nonce}", now)


SIGN_IN = {
    "fi": ("Kirjautuminen embargolukusaliin",
           "Pyysit kirjautumislinkkiä kaupungin viestinnän embargolukusaliin. Linkki toimii "
           "kerran ja 15 minuutin ajan. Jos et pyytänyt sitä, voit jättää viestin huomiotta.",
           "Kirjaudu lukusaliin"),
    "sv": ("Inloggning till embargoläsrummet",
           "Du bad om en inloggningslänk till stadskommunikationens embargoläsrum. Länken "
           "fungerar en gång och i 15 minuter. Om du inte bad om den kan du lämna "
           "meddelandet utan åtgärd.", "Logga in i läsrummet"),
    "en": ("Signing in to the embargo reading room",
           "You asked for a link to sign in to the city communications' embargo reading "
           "room. It works once, for 15 minutes. If you did not ask for it, you can ignore "
           "this message.", "Sign in to the reading room"),
}  # fmt: skip


def sign_in_message(
    to: Recipient, lang: str, link: str, *, sender: str, nonce: UUID, now: datetime,
    preferences_url: str,
) -> EmailMessage:  # fmt: skip
    """The reading room's magic link, for an accredited journalist who asked for it."""
    words = SIGN_IN.get(lang, SIGN_IN["en"])
    return _link_message(to, lang, words, (link, preferences_url), sender, f"sign-in.{nonce}", now)
