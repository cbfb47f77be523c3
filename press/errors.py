"""One error tree for press, rendered as RFC 9457 problem details.

Handlers raise a `PressError`; they never build error responses themselves. Litestar's own
exceptions (404 for an unknown route, 405, validation errors) and anything unexpected are
turned into the same shape here, so a client sees one error format everywhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, ClassVar

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.utils.scope.state import ScopeState

from press.body_paths import name_dict_keys
from press.text import SINGLE_LINE_PATTERN, SINGLE_LINE_RULE

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://press.example/problems/"
log = logging.getLogger("press")


class PressError(Exception):
    """Something went wrong."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal server error"
    type: ClassVar[str] = "internal"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or (self.__doc__ or self.title).strip()
        self.extra = extra
        self.headers: dict[str, str] = {}
        super().__init__(self.detail)


class InvalidInput(PressError):
    """The request is not valid."""

    status = 422
    title = "Invalid input"
    type = "invalid-input"


class BadRequest(PressError):
    """The request could not be read."""

    status = 400
    title = "Bad request"
    type = "bad-request"


class NotAuthenticated(PressError):
    """A valid bearer token is needed."""

    status = 401
    title = "Not authenticated"
    type = "not-authenticated"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = 'Bearer realm="press"'


class Forbidden(PressError):
    """Your role does not allow this."""

    status = 403
    title = "Forbidden"
    type = "forbidden"


class NotFound(PressError):
    """Nothing is published at this address."""

    status = 404
    title = "Not found"
    type = "not-found"


class Gone(PressError):
    """This release has been withdrawn."""

    status = 410
    title = "Gone"
    type = "withdrawn"


class Conflict(PressError):
    """The request conflicts with the current state."""

    status = 409
    title = "Conflict"
    type = "conflict"


class InvalidTransition(Conflict):
    """The release cannot make this move from its current state."""

    type = "invalid-transition"


class PreconditionFailed(PressError):
    """The resource changed since you read it; fetch it again and reapply your change."""

    status = 412
    title = "Precondition failed"
    type = "precondition-failed"


class PreconditionRequired(PressError):
    """Send If-Match with the ETag you read, so that no one else's change is overwritten."""

    status = 428
    title = "Precondition required"
    type = "precondition-required"


class TooManyRequests(PressError):
    """Too many attempts; wait before trying again."""

    status = 429
    title = "Too many requests"
    type = "too-many-requests"


class PayloadTooLarge(PressError):
    """The upload is larger than allowed."""

    status = 413
    title = "Payload too large"
    type = "payload-too-large"


class UnsupportedMediaType(PressError):
    """This kind of file or body is not accepted."""

    status = 415
    title = "Unsupported media type"
    type = "unsupported-media-type"


class OverLimit(InvalidInput):
    """The input is over one of press's limits; `limit` names which, `maximum` its value."""

    title = "Over a limit"
    type = "over-limit"

    def __init__(self, detail: str, *, limit: str, maximum: int, **extra: Any) -> None:
        super().__init__(detail, limit=limit, maximum=maximum, **extra)


def problem(
    status: int,
    title: str,
    type_: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[bytes]:
    body = {"type": TYPE_BASE + type_, "title": title, "status": status, "detail": detail, **extra}
    merged = {"Cache-Control": "no-store", **(headers or {})}
    return Response(
        msgspec.json.encode(body), status_code=status, media_type=PROBLEM_JSON, headers=merged
    )


def press_error_handler(_: Request[Any, Any, Any], exc: PressError) -> Response[bytes]:
    return problem(exc.status, exc.title, exc.type, exc.detail, exc.headers, **exc.extra)


def validation_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[bytes]:
    # Litestar says 400 for input that does not fit its schema; the contract says 422 and
    # names the field: "translations.fi.title: Expected `str` of length >= 1".
    errors = _validation_errors(exc, lambda path: _with_dict_keys(request, path))
    detail = "; ".join(f"{e['key']}: {e['message']}" if e["key"] else e["message"] for e in errors)
    return problem(
        422, "Invalid input", "invalid-input", detail or "The input is not valid.", errors=errors
    )


# msgspec names the pattern a value missed; for one-line text, say the rule instead.
_PATTERN_RULES = {f"Expected `str` matching regex {SINGLE_LINE_PATTERN!r}": SINGLE_LINE_RULE}
_MSGSPEC_PATH = re.compile(r" - at (?:`key` in )?`\$(?:\.data)?\.?([^`]*)`$")


def _validation_errors(
    exc: ValidationException, named: Callable[[str], str]
) -> list[dict[str, str]]:
    cause_path = ""
    if isinstance(exc.__cause__, msgspec.ValidationError):
        match = _MSGSPEC_PATH.search(str(exc.__cause__))
        cause_path = named(match.group(1)) if match else ""
    out = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        message = _PATTERN_RULES.get(message, message)
        key = str(item.get("key", ""))
        if item.get("source") == "body":
            key = cause_path
        out.append({"key": key, "message": message})
    if not out:
        out.append({"key": "", "message": str(exc.detail)})
    return out


def _with_dict_keys(request: Request[Any, Any, Any], path: str) -> str:
    """The path with the keys msgspec leaves out (`[...]`), from the body the handler read."""
    if "[...]" not in path:
        return path
    body = ScopeState.from_scope(request.scope).body
    data_field = request.route_handler.parsed_data_field
    if not isinstance(body, bytes) or data_field is None:
        return path
    return name_dict_keys(path, body, data_field.annotation)


def http_exception_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    titles = {
        404: "Not found",
        405: "Method not allowed",
        400: "Bad request",
        401: "Not authenticated",
        403: "Forbidden",
        413: "Payload too large",
        415: "Unsupported media type",
    }
    title = titles.get(status, "Error")
    detail = str(exc.detail) if exc.detail else title
    if status == 404:
        detail = NotFound.__doc__ or "Not found"
    headers = dict(exc.headers or {})
    return problem(status, title, title.lower().replace(" ", "-"), detail, headers)


def unique_violation_handler(
    _: Request[Any, Any, Any], exc: asyncpg.UniqueViolationError
) -> Response[bytes]:
    # Map the constraint name to a precise 409 without echoing the conflicting row's content.
    constraint = exc.constraint_name or ""
    messages = {
        "staff_users_email_key": "A user with this e-mail address exists already.",
        "release_translations_slug_key": "Another release already uses this slug.",
        "contacts_email_key": "Another contact has this e-mail address; merge the two instead.",
        "outlets_name_key": "An outlet with this name exists already.",
    }
    return problem(409, "Conflict", "conflict", messages.get(constraint, "This already exists."))


def data_error_handler(_: Request[Any, Any, Any], exc: asyncpg.DataError) -> Response[bytes]:
    # A value PostgreSQL cannot hold (a NUL character, a year beyond 294276, …). The
    # database's own message may quote stored data, so it is not passed on.
    return problem(
        422,
        "Invalid input",
        "invalid-input",
        "A value in the request cannot be stored (for example a NUL character or "
        "an out-of-range date).",
    )


def recursion_handler(request: Request[Any, Any, Any], exc: RecursionError) -> Response[bytes]:
    # msgspec's JSON decoder gives up on arrays and objects nested past the interpreter's
    # recursion limit (about a thousand levels) with this error, before any schema is applied:
    # that is input we cannot read, not our failure. Any other RecursionError is a bug.
    if "while deserializing" not in str(exc):
        return internal_error_handler(request, exc)
    return problem(
        400,
        "Bad request",
        "bad-request",
        "The request body nests JSON arrays or objects too deeply to be read.",
        errors=[{"key": "body", "message": "nested too deeply"}],
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "Internal server error",
        "internal",
        "Something went wrong on our side; it has been logged.",
    )


exception_handlers: dict[Any, Any] = {
    PressError: press_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_exception_handler,
    asyncpg.UniqueViolationError: unique_violation_handler,
    asyncpg.DataError: data_error_handler,
    RecursionError: recursion_handler,
    Exception: internal_error_handler,
}

__all__ = ["PROBLEM_JSON", "MediaType", "exception_handlers"]
