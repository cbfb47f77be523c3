"""Where mail goes: PRESS_SMTP_URL parsed into what aiosmtplib needs. Pure.

smtp://host:25              plain SMTP (a local relay; no TLS)
smtp+starttls://user:pw@host:587   STARTTLS, then AUTH
smtps://user:pw@host:465    TLS from the first byte
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": (25, "none"), "smtp+starttls": (587, "starttls"), "smtps": (465, "tls")}


class SmtpUrlError(ValueError):
    """PRESS_SMTP_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    security: str  # none | starttls | tls
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise SmtpUrlError(
            f"PRESS_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://, not {url!r}"
        )
    if not parts.hostname:
        raise SmtpUrlError("PRESS_SMTP_URL has no host, e.g. smtp://127.0.0.1:25")
    default_port, security = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise SmtpUrlError("PRESS_SMTP_URL has a port that is not a number") from None
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
