"""Signed links in e-mails: confirm a subscription, unsubscribe or change one's preferences,
act on a privacy request, sign in to the embargo reading room. Pure functions.

A link carries the contact id (and, for confirmation, the request's nonce) and an
HMAC-SHA256 over them keyed with the secret key, so it cannot be forged or pointed at
another person. Nothing secret is stored: the link is recomputed when a mail is rendered.

Links a person opens lead to the journalist's desk, pages in the e-mail's language
(`/{lang}/desk/…`); the API keeps answering the same tokens at its own addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from uuid import UUID


def _mac(secret_key: str, message: str) -> str:
    digest = hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def unsubscribe_token(secret_key: str, contact_id: UUID) -> str:
    return f"{contact_id.hex}.{_mac(secret_key, 'unsubscribe:' + contact_id.hex)}"


def confirm_token(secret_key: str, contact_id: UUID, nonce: UUID) -> str:
    message = f"confirm:{contact_id.hex}:{nonce.hex}"
    return f"{contact_id.hex}.{nonce.hex}.{_mac(secret_key, message)}"


def read_unsubscribe_token(secret_key: str, token: str) -> UUID | None:
    parts = token.split(".")
    if len(parts) != 2:
        return None
    contact_id = _uuid(parts[0])
    if contact_id is None or not hmac.compare_digest(
        token, unsubscribe_token(secret_key, contact_id)
    ):
        return None
    return contact_id


def read_confirm_token(secret_key: str, token: str) -> tuple[UUID, UUID] | None:
    return _read_nonce_token(secret_key, token, confirm_token)


def _read_nonce_token(
    secret_key: str, token: str, make: Callable[[str, UUID, UUID], str]
) -> tuple[UUID, UUID] | None:
    """The (contact id, nonce) of a token made by `make`, if it is genuine."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    contact_id, nonce = _uuid(parts[0]), _uuid(parts[1])
    if contact_id is None or nonce is None:
        return None
    if not hmac.compare_digest(token, make(secret_key, contact_id, nonce)):
        return None
    return contact_id, nonce


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(hex=text)
    except ValueError:
        return None


def unsubscribe_url(public_url: str, secret_key: str, contact_id: UUID, lang: str) -> str:
    """The page (and RFC 8058 one-click target) that stops all mail to the person."""
    return f"{public_url}/{lang}/desk/unsubscribe/{unsubscribe_token(secret_key, contact_id)}"


def preferences_url(public_url: str, secret_key: str, contact_id: UUID, lang: str) -> str:
    """The person's preferences page: the same key as unsubscribing, which it also offers."""
    return f"{public_url}/{lang}/desk/preferences/{unsubscribe_token(secret_key, contact_id)}"


def confirm_url(public_url: str, secret_key: str, contact_id: UUID, nonce: UUID, lang: str) -> str:
    token = confirm_token(secret_key, contact_id, nonce)
    return f"{public_url}/{lang}/desk/confirm/{token}"


def privacy_token(secret_key: str, contact_id: UUID, nonce: UUID) -> str:
    message = f"privacy:{contact_id.hex}:{nonce.hex}"
    return f"{contact_id.hex}.{nonce.hex}.{_mac(secret_key, message)}"


def read_privacy_token(secret_key: str, token: str) -> tuple[UUID, UUID] | None:
    return _read_nonce_token(secret_key, token, privacy_token)


def privacy_url(public_url: str, secret_key: str, contact_id: UUID, nonce: UUID, lang: str) -> str:
    return f"{public_url}/{lang}/desk/privacy/{privacy_token(secret_key, contact_id, nonce)}"


def sign_in_token(secret_key: str, contact_id: UUID, nonce: UUID) -> str:
    message = f"sign-in:{contact_id.hex}:{nonce.hex}"
    return f"{contact_id.hex}.{nonce.hex}.{_mac(secret_key, message)}"


def read_sign_in_token(secret_key: str, token: str) -> tuple[UUID, UUID] | None:
    return _read_nonce_token(secret_key, token, sign_in_token)


def sign_in_url(public_url: str, secret_key: str, contact_id: UUID, nonce: UUID, lang: str) -> str:
    """The reading room's magic link: one sign-in, within minutes of asking for it."""
    return f"{public_url}/{lang}/desk/room/sign-in/{sign_in_token(secret_key, contact_id, nonce)}"
