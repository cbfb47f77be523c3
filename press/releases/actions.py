"""What staff do to releases: each function is one transaction's worth of work.

Each checks the workflow and the role, changes the rows, keeps a revision when the release
is public, writes the audit entry and the outbox event — all on the caller's connection, so
they commit or roll back together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from press.archive.files import check_release_alt_texts
from press.conditional import version_etag
from press.embargo.lift import lift_release
from press.errors import (
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from press.outbox import add_release_event, publication_key
from press.releases import repository
from press.releases.schemas import (
    CorrectRequest,
    PublishRequest,
    Release,
    ReleaseCreate,
    ReleaseUpdate,
)
from press.releases.workflow import (
    allowed_actions,
    check_transition,
    effective_state,
    state_after_edit,
)
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

_UNTRACKED = {"updated_at", "version", "allowed_actions"}


def release_etag(release: Release) -> str:
    return version_etag(release.id, release.version)


def with_actions(release: Release, now: datetime, user: StaffUser) -> Release:
    state = effective_state(release.state, release.publish_at, now)
    return msgspec.structs.replace(release, allowed_actions=allowed_actions(state, user.rank))


def diff(before: Release, after: Release) -> dict[str, Any]:
    """Changed fields as {"field": {"from": …, "to": …}}, for the audit log."""
    old, new = msgspec.to_builtins(before), msgspec.to_builtins(after)
    return {
        key: {"from": old[key], "to": new[key]}
        for key in new
        if key not in _UNTRACKED and old.get(key) != new[key]
    }


async def load(
    conn: asyncpg.Connection, release_id: UUID, *, lock: bool = False
) -> tuple[Release, datetime]:
    found = await repository.fetch_release(conn, release_id, lock=lock)
    if found is None:
        raise NotFound("No release has this id.")
    release, now = found
    if lock and release.state == "scheduled" and release.publish_at and release.publish_at <= now:
        # Public by the predicate, not yet recorded by the lift loop: record the publication
        # first, so its event precedes whatever this change writes (updated, withdrawn).
        await lift_release(conn, release_id)
        found = await repository.fetch_release(conn, release_id, lock=lock)
        assert found is not None
    return found


async def _reload(conn: asyncpg.Connection, release_id: UUID, user: StaffUser) -> Release:
    release, now = await load(conn, release_id)
    return with_actions(release, now, user)


async def _audit(
    conn: asyncpg.Connection,
    user: StaffUser,
    action: str,
    before: Release | None,
    after: Release,
    **extra: Any,
) -> None:
    changes = diff(before, after) if before else {"created": msgspec.to_builtins(after)}
    changes.update({k: v for k, v in extra.items() if v is not None})
    await record_audit(conn, user, f"release.{action}", "release", after.id, changes)


async def _event(conn: asyncpg.Connection, event_type: str, release: Release, key: str) -> None:
    await add_release_event(
        conn, event_type, release.id, release.version, release.state, release.publish_at, key
    )


async def create_release(conn: asyncpg.Connection, data: ReleaseCreate, user: StaffUser) -> Release:
    require(user, Role.editor, "write releases")
    release_id = await repository.create_release(conn, data, user.id)
    release = await _reload(conn, release_id, user)
    await _audit(conn, user, "create", None, release)
    return release


async def update_release(
    conn: asyncpg.Connection,
    release_id: UUID,
    data: ReleaseUpdate,
    user: StaffUser,
    if_match: str | None,
    *,
    correction_note: str | None = None,
) -> Release:
    require(user, Role.editor, "edit releases")
    before, now = await load(conn, release_id, lock=True)
    if correction_note is None:
        _check_if_match(before, if_match)
    state = effective_state(before.state, before.publish_at, now)
    if state == "withdrawn":
        raise InvalidTransition("A withdrawn release cannot be edited.", state=state, allowed=[])
    if state == "scheduled" and user.rank < Role.approver:
        raise Forbidden("A scheduled release is edited by an approver; or unschedule it first.")
    public = state == "published"
    await _apply_changes(conn, before, data, keep_slugs=public or state == "scheduled")
    await repository.update_release_fields(
        conn,
        release_id,
        source=before.source if data.source is msgspec.UNSET else data.source,
        decision=before.decision if data.decision is msgspec.UNSET else data.decision,
        embargo_terms=before.embargo_terms
        if data.embargo_terms is msgspec.UNSET
        else data.embargo_terms,
        state=state_after_edit(before.state, user.rank),
    )
    if public:
        kind = "correction" if correction_note is not None else "edit"
        await repository.insert_revision(conn, before, kind, correction_note or "", user.id)
    after = await _reload(conn, release_id, user)
    if public:
        await _event(conn, "release.updated", after, f"release.updated:{after.id}:{after.version}")
    action = "correct" if correction_note is not None else "update"
    await _audit(conn, user, action, before, after, note=correction_note)
    return after


def _check_if_match(release: Release, if_match: str | None) -> None:
    if if_match is None:
        raise PreconditionRequired()
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if "*" not in tags and release_etag(release) not in tags:
        raise PreconditionFailed()


async def _apply_changes(
    conn: asyncpg.Connection, before: Release, data: ReleaseUpdate, *, keep_slugs: bool
) -> None:
    await repository.check_references(
        conn,
        None if data.source is msgspec.UNSET else data.source,
        None if data.topics is msgspec.UNSET else data.topics,
        None if data.contacts is msgspec.UNSET else data.contacts,
    )
    if data.translations is not msgspec.UNSET:
        removed = [lang for lang, text in data.translations.items() if text is None]
        remaining = (set(before.translations) | set(data.translations)) - set(removed)
        if not remaining:
            raise InvalidInput(
                "A release needs at least one language.",
                errors=[{"key": "translations", "message": "no language left"}],
            )
        await repository.delete_translations(conn, before.id, removed)
        for lang, text in data.translations.items():
            if text is None:
                continue
            old = before.translations.get(lang)
            # Once a release can have been seen, its addresses stay as they were.
            keep = old.slug if old and (keep_slugs or old.title == text.title) else None
            await repository.put_translation(conn, before.id, lang, text, keep_slug=keep)
    if data.topics is not msgspec.UNSET:
        await repository.replace_topics(conn, before.id, data.topics)
    if data.contacts is not msgspec.UNSET:
        await repository.replace_contacts(conn, before.id, data.contacts)


async def move(
    conn: asyncpg.Connection,
    release_id: UUID,
    action: str,
    user: StaffUser,
    *,
    settings: Any,
    reason: str | None = None,
) -> Release:
    """submit, return, approve, unschedule: moves with no parameters beyond a reason."""
    before, now = await load(conn, release_id, lock=True)
    state = effective_state(before.state, before.publish_at, now)
    check_transition(action, state)
    if action == "submit":
        require(user, Role.editor, "submit releases")
        await repository.set_release_state(
            conn, release_id, "in_review", publish_at=None, embargo=False, submitted_by=user.id
        )
    elif action == "return":
        require(user, Role.approver, "return releases to draft")
        await repository.set_release_state(
            conn, release_id, "draft", publish_at=None, embargo=False
        )
    elif action == "approve":
        require(user, Role.approver, "approve releases")
        own = user.id in (before.created_by, before.submitted_by)
        if own and not settings.allow_self_approval:
            raise Forbidden(
                "You cannot approve a release you wrote or submitted; another approver must."
            )
        await repository.set_release_state(
            conn, release_id, "approved", publish_at=None, embargo=False, approved_by=user.id
        )
    elif action == "unschedule":
        require(user, Role.editor, "unschedule releases")
        await repository.set_release_state(
            conn, release_id, "approved", publish_at=None, embargo=False
        )
    after = await _reload(conn, release_id, user)
    await _audit(conn, user, action, before, after, reason=reason)
    return after


async def publish_release(
    conn: asyncpg.Connection, release_id: UUID, data: PublishRequest, user: StaffUser
) -> Release:
    """Publish now (no `at`), or schedule for `at`, optionally under embargo."""
    before, now = await load(conn, release_id, lock=True)
    state = effective_state(before.state, before.publish_at, now)
    check_transition("publish", state)
    require(user, Role.editor, "publish releases")
    await check_release_alt_texts(conn, release_id)
    if data.at is not None and data.at <= now:
        raise InvalidInput(
            "`at` is in the past; leave it out to publish now.",
            errors=[{"key": "at", "message": "in the past"}],
        )
    if data.embargo and data.at is None:
        raise InvalidInput(
            "An embargo needs the time it lifts: give `at`.",
            errors=[{"key": "embargo", "message": "needs at"}],
        )
    new_time = data.at or now
    if (
        state == "scheduled"
        and before.embargo
        and before.publish_at is not None
        and new_time < before.publish_at
    ):
        # Breaking or shortening an embargo is an editorial decision, taken by an approver.
        require(user, Role.approver, "move an embargo earlier")
        if not data.reason:
            raise InvalidInput(
                "Moving an embargo earlier needs a `reason`.",
                errors=[{"key": "reason", "message": "required"}],
            )
    if data.at is None:
        await repository.set_release_state(
            conn, release_id, "published", publish_at=now, embargo=False
        )
    else:
        await repository.set_release_state(
            conn, release_id, "scheduled", publish_at=data.at, embargo=data.embargo
        )
    after = await _reload(conn, release_id, user)
    if data.at is None:
        await _event(conn, "release.published", after, publication_key(after.id, now))
    elif data.embargo:
        # Internal: tells distribution that accredited journalists may now get the release.
        assert after.publish_at is not None
        key = "release.embargoed:" + publication_key(after.id, after.publish_at).split(":", 1)[1]
        await _event(conn, "release.embargoed", after, key)
    await _audit(
        conn, user, "publish" if data.at is None else "schedule", before, after, reason=data.reason
    )
    return after


async def correct_release(
    conn: asyncpg.Connection, release_id: UUID, data: CorrectRequest, user: StaffUser
) -> Release:
    before, now = await load(conn, release_id)
    check_transition("correct", effective_state(before.state, before.publish_at, now))
    return await update_release(
        conn, release_id, data.changes, user, None, correction_note=data.note
    )


async def withdraw_release(
    conn: asyncpg.Connection, release_id: UUID, reason: str, user: StaffUser
) -> Release:
    require(user, Role.editor, "withdraw releases")
    before, now = await load(conn, release_id, lock=True)
    state = effective_state(before.state, before.publish_at, now)
    check_transition("withdraw", state)
    was_public = state == "published"
    await repository.set_release_state(
        conn,
        release_id,
        "withdrawn",
        publish_at=before.publish_at,
        embargo=before.embargo,
        reason=reason,
    )
    if was_public:
        await repository.insert_revision(conn, before, "withdrawal", reason, user.id)
    after = await _reload(conn, release_id, user)
    if was_public:
        await _event(conn, "release.withdrawn", after, f"release.withdrawn:{after.id}")
    await _audit(conn, user, "withdraw", before, after, reason=reason)
    return after
