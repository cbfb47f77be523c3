"""Forms of the journalist's desk: anonymous POSTs protected from other sites, read plainly.

A form that anyone may send (subscribe, ask for a privacy link, ask for a magic link, sign
out) carries a signed token in a hidden field: an HMAC over the form's path and the time it
was shown, keyed with the secret key, accepted for two hours. Another site can neither read
nor forge it, and press keeps nothing per visitor. A page reached by a signed link (confirm,
preferences, privacy, sign-in) needs no such field: the secret in its URL is the same proof,
which another site does not have either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from litestar import Request

FORM_SECONDS = 2 * 60 * 60


def _mac(secret_key: str, path: str, issued: int) -> str:
    digest = hmac.new(secret_key.encode(), f"form:{path}:{issued}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def form_token(secret_key: str, path: str, now: float | None = None) -> str:
    """The hidden field of the form posted to `path`."""
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_mac(secret_key, path, issued)}"


def form_token_valid(secret_key: str, path: str, token: str, now: float | None = None) -> bool:
    issued_text, _, mac = token.partition(".")
    if not issued_text.isdigit():
        return False
    issued = int(issued_text)
    age = (time.time() if now is None else now) - issued
    fresh = -60 <= age <= FORM_SECONDS  # a minute of leeway between instances' clocks
    return fresh and hmac.compare_digest(mac, _mac(secret_key, path, issued))


class Form:
    """A posted form's fields: one value, or every value of a checkbox group."""

    def __init__(self, fields: Any) -> None:
        self._fields = fields

    @classmethod
    async def read(cls, request: Request[Any, Any, Any]) -> Form:
        return cls(await request.form())

    def one(self, name: str) -> str:
        value = self._fields.get(name)
        return value.strip() if isinstance(value, str) else ""

    def every(self, name: str) -> list[str]:
        return [v for v in self._fields.getall(name, []) if isinstance(v, str)]

    def signed(self, request: Request[Any, Any, Any]) -> bool:
        """The form was shown by press, to this path, lately."""
        secret_key: str = request.app.state.settings.secret_key
        return form_token_valid(secret_key, request.scope["path"], self.one("form_token"))
