"""Conditional GET: ETags from the body, 304s that match the 200, and cache lifetimes.

A public response's ETag is a hash of exactly what it shows, so it changes when the visible
set changes (a lift included) and never when a hidden release is edited. Its max-age never
reaches past the next scheduled lift, so no cache keeps a page that is about to change.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response

PUBLIC_MAX_AGE = 60
NO_STORE = "no-store"
PRIVATE = "private, no-store"


def etag_of(body: bytes) -> str:
    # SHA-256 runs on the CPU's SHA instructions where there are some: twice as fast as
    # BLAKE2 here, which counts for a 50 kB page hashed on every build. 128 bits are kept.
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def public_cache_control(seconds_to_next_lift: float | None) -> str:
    max_age = PUBLIC_MAX_AGE
    if seconds_to_next_lift is not None:
        max_age = max(0, min(max_age, int(seconds_to_next_lift)))
    return f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"


def etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return etag in candidates


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def surrogate_key(path: str) -> str:
    """The Surrogate-Key header of a public answer at `path`: what it shows, for a CDN that
    purges by key (press.cdn). Release answers carry `events` too: they show related events."""
    if path.startswith(("/api/v1/events", "/feeds/events")):
        return "press events"
    return "press releases events"


def gzip_accepted(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (q=0 refuses it)."""
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() == "gzip":
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def is_fresh(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str,
    last_modified: datetime | None,
) -> bool:
    """Whether the client's copy is current, so the answer is a 304 (RFC 9110 13.2.2:
    If-None-Match decides when present; If-Modified-Since only without it)."""
    if if_none_match is not None:
        return if_none_match == etag or etag_matches(if_none_match, etag)
    if if_modified_since is not None and last_modified is not None:
        return _not_modified_since(if_modified_since, last_modified)
    return False


def conditional_response(
    request: Request[Any, Any, Any],
    body: bytes,
    *,
    media_type: str = "application/json",
    cache_control: str,
    last_modified: datetime | None = None,
    headers: dict[str, str] | None = None,
    status_code: int = 200,
    etag: str | None = None,
) -> Response[bytes]:
    """A 200 with ETag, or a 304 carrying the same validators and caching headers."""
    etag = etag or etag_of(body)
    common = {
        "ETag": etag,
        "Cache-Control": cache_control,
        "Vary": "Accept-Language",
        **(headers or {}),
    }
    if cache_control.startswith("public"):
        common["Surrogate-Key"] = surrogate_key(request.scope["path"])
    if last_modified is not None:
        common["Last-Modified"] = format_datetime(last_modified.replace(microsecond=0), usegmt=True)
    fresh = is_fresh(
        request.headers.get("if-none-match"),
        request.headers.get("if-modified-since"),
        etag,
        last_modified,
    )
    if fresh and status_code == 200:
        return Response(b"", status_code=304, headers=common, media_type=media_type)
    return Response(body, status_code=status_code, headers=common, media_type=media_type)


def private_json(item: Any, etag: str | None = None, status_code: int = 200) -> Response[bytes]:
    """A staff or journalist answer: JSON (with its ETag), never stored by a shared cache."""
    headers = {"Cache-Control": PRIVATE}
    if etag is not None:
        headers["ETag"] = etag
    return Response(
        msgspec.json.encode(item),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )


def version_etag(item_id: UUID, version: int) -> str:
    """The ETag of a versioned row (what If-Match is checked against on PATCH)."""
    return f'"{item_id.hex[:8]}-{version}"'
