"""The problem details each operation may answer, and who signs in to it, written into the
OpenAPI document.

Litestar documents a 400 of its own shape (`status_code`, `detail`) for every operation that
takes input; press answers RFC 9457 problem details instead (press.errors), and integrators
generate clients from the document. What follows from an operation's shape is added to every
operation by `ProblemResponses`; a handler declares the rest itself, e.g.
`responses={200: ResponseSpec(Release), **problems(409, 412, 428)}`. It also names the
`Idempotency-Key` header on the writes that take it (press.staff.idempotency).

The same plugin names the security scheme of every operation that takes the `staff` or
`journalist` dependency, so that a generated client sends the right bearer token; public
operations name none. A handler that authenticates by hand declares `security=` itself, and
one that reads its body by hand (an upload) says so with `operation_class=FileUpload`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import HTTPRoute

from press.errors import PROBLEM_JSON
from press.staff.idempotency import IdempotentWrite, takes_idempotency_key

_DESCRIPTIONS = {
    400: "The request could not be read (bad-request)",
    401: "A valid bearer token is needed (not-authenticated)",
    403: "The token's role does not allow this (forbidden)",
    404: "Nothing is at this address, or nothing the caller may see (not-found)",
    409: "The request conflicts with the current state (conflict, invalid-transition)",
    410: "The release has been withdrawn (withdrawn); the body carries its tombstone",
    412: "The resource changed since it was read (precondition-failed)",
    413: "The upload is larger than allowed (payload-too-large)",
    415: "This kind of file or body is not accepted (unsupported-media-type)",
    422: "The input is not valid (invalid-input, over-limit); `errors` names the fields",
    428: "Send If-Match with the ETag read (precondition-required)",
    429: "Too many attempts; `Retry-After` says when to try again (too-many-requests)",
    503: "The service cannot answer now",
}
# Who signs in to an operation: a handler that takes one of these dependencies can refuse.
_SIGNED_IN = frozenset({"staff", "journalist"})

SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "staffToken": SecurityScheme(
        type="http",
        scheme="bearer",
        description=(
            "A staff user's token (`pst_...`), from `POST /api/v1/auth/token`; valid until its"
            " `expires_at`, revoked by `DELETE /api/v1/auth/token`."
        ),
    ),
    "journalistToken": SecurityScheme(
        type="http",
        scheme="bearer",
        description=(
            "An accredited journalist's token, issued by staff at"
            " `POST /api/v1/manage/contacts/{contact_id}/tokens` or by the journalist at"
            " `POST /api/v1/journalist/tokens`; shown once."
        ),
    ),
}
STAFF: list[SecurityRequirement] = [{"staffToken": []}]
JOURNALIST: list[SecurityRequirement] = [{"journalistToken": []}]
# For what anyone may read, and a journalist's token shows more of (an embargoed file).
JOURNALIST_OPTIONAL: list[SecurityRequirement] = [{}, {"journalistToken": []}]
_SECURITY = {"staff": STAFF, "journalist": JOURNALIST}


class FieldError(msgspec.Struct):
    key: str
    message: str


class Problem(msgspec.Struct):
    """RFC 9457 problem details. `type` is a stable URL to branch on; some problems add
    members of their own (`limit` and `maximum` of an over-limit, a tombstone)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` entries for problem details answered with these statuses."""
    return {
        status: ResponseSpec(
            Problem,
            description=_DESCRIPTIONS[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


@dataclass
class FileUpload(Operation):
    """An operation whose body is a file in the multipart field `file`, which the handler
    reads itself (streamed, after authentication), so Litestar cannot see it."""

    def __post_init__(self) -> None:
        upload = Schema(
            type=OpenAPIType.OBJECT,
            properties={"file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)},
            required=["file"],
        )
        self.request_body = RequestBody(
            content={"multipart/form-data": OpenAPIMediaType(schema=upload)}, required=True
        )


@dataclass
class IdempotentFileUpload(FileUpload, IdempotentWrite):
    """An upload that takes the Idempotency-Key header."""

    def __post_init__(self) -> None:
        FileUpload.__post_init__(self)
        IdempotentWrite.__post_init__(self)


# The operation class of a write that takes Idempotency-Key, by the class it would have.
_IDEMPOTENT: dict[type[Operation], type[Operation]] = {
    Operation: IdempotentWrite,
    FileUpload: IdempotentFileUpload,
}

NOT_MODIFIED = {304: ResponseSpec(None, description="Not modified since the ETag sent")}


class ProblemResponses(ReceiveRoutePlugin):
    """Document on every operation the problems its shape implies: 400 and 422 where it takes
    input, 401 and 403 where someone must sign in (and 409 where such a one writes), 404 where
    its path names something, and the 304 of a conditional GET; and the token scheme of who
    signs in. A handler's own `responses` and `security` win."""

    def receive_route(self, route: Any) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema is False:
                continue
            takes = handler.parsed_fn_signature.parameters
            statuses = []
            signs_in = _SIGNED_IN & set(takes)
            if signs_in and not handler.security:
                handler.security = [r for who in sorted(signs_in) for r in _SECURITY[who]]
            if route.path_parameters or set(takes) - {"self", "request", "state", "conn"}:
                statuses += [400, 422]
            if signs_in:
                statuses += [401, 403]
                # Any write may meet a unique constraint or a state it cannot move from.
                if handler.http_methods - {"GET"}:
                    statuses.append(409)
            if route.path_parameters:
                statuses.append(404)
            implied = problems(*sorted(statuses))
            if "GET" in handler.http_methods:
                implied.update(NOT_MODIFIED)
            handler.responses = {**implied, **(handler.responses or {})}
            if takes_idempotency_key(handler):
                handler.operation_class = _IDEMPOTENT[handler.operation_class]
