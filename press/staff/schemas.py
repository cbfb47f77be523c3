"""What goes over the wire for staff, tokens and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from press.staff.passwords import MIN_LENGTH
from press.text import SingleLine

RoleName = Literal["admin", "approver", "editor", "viewer"]
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


class Role(IntEnum):
    """Roles in order of power: each may do what the ones below it may."""

    viewer = 1
    editor = 2
    approver = 3
    admin = 4


class StaffUser(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    name: str
    role: RoleName
    created_at: datetime
    # Set while the account is disabled: it cannot sign in, and its tokens open nothing.
    disabled_at: datetime | None = None

    @property
    def rank(self) -> Role:
        return Role[self.role]


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]
    # The second factor's code (TOTP or recovery code) of a user who has it on; ignored for
    # a user who has not. 64 is what the check reads of a code (press.staff.second_factor).
    code: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class TokenResponse(msgspec.Struct):
    access_token: str
    expires_at: datetime
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret


# A password being set. Only its upper bound is msgspec's; the minimum length is stated for the
# document (`extra` goes into its schema) and checked, with the strength, by
# press.staff.passwords, whose 422 says what to change.
NewPassword = Annotated[
    str, msgspec.Meta(max_length=1024, extra_json_schema={"extra": {"min_length": MIN_LENGTH}})
]


class StaffUserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    role: RoleName
    # Length and strength are press.staff.passwords' rule, which says why in its 422.
    password: NewPassword
    name: Annotated[SingleLine, msgspec.Meta(max_length=200)] = ""


class StaffUserPage(msgspec.Struct):
    items: list[StaffUser]
    next: str | None = None


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    password: NewPassword


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: RoleName


class TokensRevoked(msgspec.Struct):
    revoked: int


class AuditEntry(msgspec.Struct):
    id: int
    at: datetime
    actor_id: UUID | None
    actor: str
    action: str
    entity: str
    entity_id: str | None
    changes: dict[str, Any]


class AuditPage(msgspec.Struct):
    items: list[AuditEntry]
    next: str | None
