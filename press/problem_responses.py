"""The problem details each operation may answer, written into the OpenAPI document.

Litestar documents a 400 of its own shape (`status_code`, `detail`) for every operation that
takes input; press answers RFC 9457 problem details instead (press.errors), and integrators
generate clients from the document. What follows from an operation's shape is added to every
operation by `ProblemResponses`; a handler declares the rest itself, e.g.
`responses={200: ResponseSpec(Release), **problems(409, 412, 428)}`.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi import ResponseSpec
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import HTTPRoute

from press.errors import PROBLEM_JSON

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


NOT_MODIFIED = {304: ResponseSpec(None, description="Not modified since the ETag sent")}


class ProblemResponses(ReceiveRoutePlugin):
    """Document on every operation the problems its shape implies: 400 and 422 where it takes
    input, 401 and 403 where someone must sign in (and 409 where such a one writes), 404 where
    its path names something, and the 304 of a conditional GET. A handler's own `responses`
    win."""

    def receive_route(self, route: Any) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema is False:
                continue
            takes = handler.parsed_fn_signature.parameters
            statuses = []
            if route.path_parameters or set(takes) - {"self", "request", "state", "conn"}:
                statuses += [400, 422]
            if _SIGNED_IN & set(takes):
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
