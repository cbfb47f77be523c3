"""Staff accounts: create, disable, enable, revoke tokens, reset password, change role.

The API, the `press users` commands and the console call these same functions, each in the
caller's transaction and audited in it. `actor` is the signed-in admin, or None for the
shell (audited as "system"): whoever can run `press` on the server owns the database anyway.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from press.errors import Conflict, NotFound
from press.staff import repository
from press.staff.auth import hash_password, require
from press.staff.passwords import check_password
from press.staff.schemas import Role, RoleName, StaffUser, StaffUserCreate


def _require_admin(actor: StaffUser | None, action: str) -> None:
    if actor is not None:
        require(actor, Role.admin, action)


async def _locked(conn: asyncpg.Connection, user_id: UUID) -> StaffUser:
    user = await repository.lock_staff_user(conn, user_id)
    if user is None:
        raise NotFound("No staff user has this id.")
    return user


async def _locked_keeping_an_admin(
    conn: asyncpg.Connection, user_id: UUID, change: str
) -> StaffUser:
    """The user, locked, where `change` must not leave the service without an active admin
    (nobody could then manage it short of SQL). The admins' rows are locked first, in id
    order, so two such changes take turns (never deadlock) and the second sees the first's."""
    admins = await repository.lock_active_admins(conn)
    user = await _locked(conn, user_id)
    if admins == [user.id]:
        raise Conflict(
            f"{user.email} is the last active admin and may not be {change}; "
            "make another user admin first."
        )
    return user


async def create_user(
    conn: asyncpg.Connection, actor: StaffUser | None, data: StaffUserCreate
) -> StaffUser:
    _require_admin(actor, "create staff users")
    check_password(data.password, data.email, data.name)
    password_hash = await hash_password(data.password)
    user = await repository.create_staff_user(conn, data.email, data.name, data.role, password_hash)
    await repository.record_audit(
        conn, actor, "staff.create", "staff_user", user.id, {"email": user.email, "role": user.role}
    )
    return user


async def disable_user(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID
) -> StaffUser:
    """Stop the account at once: it cannot sign in, and every token it has is revoked."""
    _require_admin(actor, "disable staff users")
    user = await _locked_keeping_an_admin(conn, user_id, "disabled")
    if user.disabled_at is not None:
        return user
    after = await repository.set_staff_disabled(conn, user_id, True)
    revoked = await repository.revoke_staff_tokens(conn, user_id)
    await repository.record_audit(
        conn, actor, "staff.disable", "staff_user", user_id, {"tokens_revoked": revoked}
    )
    return after


async def enable_user(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID
) -> StaffUser:
    """Let the account sign in again; the tokens it had stay revoked."""
    _require_admin(actor, "enable staff users")
    user = await _locked(conn, user_id)
    if user.disabled_at is None:
        return user
    after = await repository.set_staff_disabled(conn, user_id, False)
    await repository.record_audit(conn, actor, "staff.enable", "staff_user", user_id)
    return after


async def revoke_user_tokens(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID
) -> int:
    """Sign the user out everywhere; returns how many tokens were live."""
    _require_admin(actor, "revoke staff users' tokens")
    await _locked(conn, user_id)
    revoked = await repository.revoke_staff_tokens(conn, user_id)
    await repository.record_audit(
        conn, actor, "staff.revoke_tokens", "staff_user", user_id, {"tokens_revoked": revoked}
    )
    return revoked


async def set_user_password(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID, password: str
) -> StaffUser:
    """A new password (held to the password rule); the user's tokens are revoked, and
    failed sign-ins forgotten."""
    _require_admin(actor, "reset staff passwords")
    user = await _locked(conn, user_id)
    check_password(password, user.email, user.name)
    await repository.set_staff_password(conn, user_id, await hash_password(password))
    revoked = await repository.revoke_staff_tokens(conn, user_id)
    await repository.clear_login_failures(conn, user.email)
    # The password itself, or its hash, is never audited.
    await repository.record_audit(
        conn, actor, "staff.set_password", "staff_user", user_id, {"tokens_revoked": revoked}
    )
    return user


async def set_user_role(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID, role: RoleName
) -> StaffUser:
    """A new role, in force with the user's next request."""
    _require_admin(actor, "change staff roles")
    if role == "admin":
        user = await _locked(conn, user_id)
    else:
        user = await _locked_keeping_an_admin(conn, user_id, "demoted")
    if user.role == role:
        return user
    after = await repository.set_staff_role(conn, user_id, role)
    await repository.record_audit(
        conn, actor, "staff.set_role", "staff_user", user_id, {"role": [user.role, role]}
    )
    return after


async def reset_second_factor(
    conn: asyncpg.Connection, actor: StaffUser | None, user_id: UUID
) -> bool:
    """An administrator's reset (a lost phone): the user signs in with the password alone
    until they set up a new second factor. Returns whether one was on."""
    _require_admin(actor, "reset staff users' second factor")
    await _locked(conn, user_id)
    was_on = await repository.reset_second_factor(conn, user_id)
    await repository.record_audit(
        conn, actor, "staff.second_factor_reset", "staff_user", user_id, {"was_on": was_on}
    )
    return was_on
