"""No secret in a URL reaches a log line press writes.

Private feed URLs carry their token in the path (feed readers and calendars send no header),
e-mailed links carry a signed token, and a client may put a bearer token in a query. The
access log writes every path it serves; so a filter on the loggers press and uvicorn write
(and on their handlers, which records of child loggers such as `press.delivery` reach)
replaces each secret with `[redacted]` before any handler formats the record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

REDACTED = "[redacted]"
LOGGERS = ("press", "uvicorn", "uvicorn.access", "uvicorn.error", "httpx")

_SECRETS = [
    # A path segment that is a credential: private feeds, e-mailed subscription and privacy
    # links.
    re.compile(
        r"(?P<keep>/feeds/private/|/api/v1/subscriptions/(?:confirm|unsubscribe)/"
        r"|/api/v1/privacy/)[^/\s?#\"']+"
    ),
    # press's own token formats, wherever they appear (staff, journalist, feed).
    re.compile(r"(?P<keep>\bp[sjf]t_)[A-Za-z0-9_-]+"),
    # A credential in a query string.
    re.compile(r"(?P<keep>[?&](?:token|access_token|api_key|key|signature|sig)=)[^&\s#\"']+", re.I),
    re.compile(r"(?P<keep>\bBearer\s+)[^\s\"',]+", re.I),
]


def might_hold_secret(text: str) -> bool:
    """Whether `text` has a sign of what the patterns above find; text without one is left
    as it is without running them (the request log asks this of every path). A query is
    looked through only when it names a credential's parameter: `?utm_source=…` or a
    cache-buster's `?_=…` is not (the patterns cost microseconds per line). Written out
    rather than a loop over the signs: this is most of what a plain path costs the log."""
    low = text.lower()
    return (
        "t_" in low  # p[sjf]t_
        or "/private/" in low
        or "/subscriptions/" in low
        or "/privacy/" in low
        or "bearer" in low
        or (
            "=" in low  # token=, access_token=, key=, api_key=, sig=, signature=
            and ("token=" in low or "key=" in low or "sig=" in low or "signature=" in low)
        )
    )


def redact(text: str) -> str:
    """The text with every secret it carries replaced by `[redacted]`."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: m["keep"] + REDACTED, text)
    return text


def _redacted(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """Redact the message and its arguments in place; uvicorn's access formatter reads the
    arguments (client, method, path, version, status), so they stay a tuple of five."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        return True


def redact_logs() -> None:
    """Put the filter on press's and uvicorn's loggers, their handlers and the root's
    handlers; once per process however often it is called (each app made adds none)."""
    names = [*LOGGERS, *(n for n in logging.root.manager.loggerDict if n.startswith("press."))]
    loggers = [logging.getLogger(name) for name in names]
    handlers = [h for logger in [*loggers, logging.root] for h in logger.handlers]
    for target in [*loggers, *handlers]:
        if not any(isinstance(f, RedactSecrets) for f in target.filters):
            target.addFilter(RedactSecrets())
