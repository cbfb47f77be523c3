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
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from press.outbox import add_event, add_release_event, publication_key
from press.releases import repository
from press.releases.schemas import (
    CorrectRequest,
    PendingChange,
    PublishRequest,
    Release,
    ReleaseCreate,
    ReleaseUpdate,
)
from press.releases.workflow import (
    allowed_actions,
    breaks_embargo,
    change_is_held,
    check_embargo_kept,
    check_four_eyes,
    check_transition,
    effective_state,
    pending_change_actions,
    promise_after,
    state_after_edit,
)
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

_UNTRACKED = {"updated_at", "version", "allowed_actions", "pending_change"}
SELF_APPROVED = "self (PRESS_ALLOW_SELF_APPROVAL)"
# The moves staff are e-mailed about, and the outbox event each writes. Not public events:
# webhooks, WebSub and CDN purges never hear of them (webhook_event_is_public).
WORKFLOW_MAIL = {
    "submit": "release.submitted",
    "return": "release.returned",
    "approve": "release.approved",
}


def release_etag(release: Release) -> str:
    return version_etag(release.id, release.version)


def with_actions(release: Release, now: datetime, user: StaffUser) -> Release:
    state = effective_state(release.state, release.publish_at, now)
    possible = allowed_actions(state, user.rank)
    if release.pending_change is not None:
        is_author = release.pending_change.proposed_by == user.id
        possible += pending_change_actions(user.rank, is_author)
    return msgspec.structs.replace(release, allowed_actions=possible)


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
    settings: Any,
    correction_note: str | None = None,
) -> tuple[Release, bool]:
    """A change of content, and whether it is held: a change of a scheduled or published
    release waits for another approver (`approve_change`) unless its author may approve
    their own changes; any other change applies at once."""
    require(user, Role.editor, "edit releases")
    before, now = await load(conn, release_id, lock=True)
    if correction_note is None:
        _check_if_match(before, if_match)
    state = effective_state(before.state, before.publish_at, now)
    if state == "withdrawn":
        raise InvalidTransition("A withdrawn release cannot be edited.", state=state, allowed=[])
    if change_is_held(state, user.rank, settings.allow_self_approval):
        return await _hold_change(conn, before, data, user, correction_note), True
    approval = None
    if state in ("scheduled", "published"):
        approval = {"approved_by": str(user.id), "approval": SELF_APPROVED}
    after = await _apply_change(
        conn,
        before,
        state,
        data,
        user,
        correction_note,
        author=user.id,
        new_state=state_after_edit(before.state, user.rank, settings.allow_self_approval),
        approval=approval,
    )
    return after, False


async def _apply_change(
    conn: asyncpg.Connection,
    before: Release,
    state: str,
    data: ReleaseUpdate,
    user: StaffUser,
    correction_note: str | None,
    *,
    author: UUID | None,
    new_state: str,
    approval: dict[str, Any] | None,
    approved_change: bool = False,
) -> Release:
    """Write a change of content by `author`; `user` is who makes it take effect (the author,
    or the approver of their pending change: `approved_change`, which needs no approval
    more)."""
    public = state == "published"
    await _apply_changes(conn, before, data, keep_slugs=public or state == "scheduled")
    if public or state == "scheduled":
        await repository.settle_slugs(conn, before.id)  # a language added: its slug claimed
    await repository.update_release_fields(
        conn,
        before.id,
        source=before.source if data.source is msgspec.UNSET else data.source,
        decision=before.decision if data.decision is msgspec.UNSET else data.decision,
        embargo_terms=before.embargo_terms
        if data.embargo_terms is msgspec.UNSET
        else data.embargo_terms,
        state=new_state,
        changed_by=author,
        needs_approval=not approved_change,
    )
    if public:
        kind = "correction" if correction_note is not None else "edit"
        await repository.insert_revision(conn, before, kind, correction_note or "", author)
    after = await _reload(conn, before.id, user)
    if public:
        await _event(conn, "release.updated", after, f"release.updated:{after.id}:{after.version}")
    action = "correct" if correction_note is not None else "update"
    await _audit(conn, user, action, before, after, note=correction_note, approval=approval)
    return after


async def _hold_change(
    conn: asyncpg.Connection,
    before: Release,
    data: ReleaseUpdate,
    user: StaffUser,
    correction_note: str | None,
) -> Release:
    await _check_changes(conn, before, data)
    changes = msgspec.to_builtins(data)
    if not await repository.hold_pending_change(conn, before.id, changes, correction_note, user.id):
        raise Conflict(
            "A change of this release is waiting for approval already: an approver approves "
            "it (POST …/approve-change) or it is rejected (POST …/reject-change) first."
        )
    after = await _reload(conn, before.id, user)
    await record_audit(
        conn,
        user,
        "release.propose_change",
        "release",
        before.id,
        {
            "proposed": changes,
            "note": correction_note,
            "kind": "correction" if correction_note is not None else "edit",
            "approval": "held for another approver",
        },
    )
    return after


async def _load_pending(
    conn: asyncpg.Connection, release_id: UUID
) -> tuple[Release, datetime, PendingChange]:
    """The release, locked, with its pending change; 409 when none waits."""
    before, now = await load(conn, release_id, lock=True)
    if before.pending_change is None:
        raise Conflict("No change of this release is waiting for approval.")
    return before, now, before.pending_change


async def approve_change(
    conn: asyncpg.Connection, release_id: UUID, user: StaffUser, *, settings: Any
) -> Release:
    """Apply a release's pending change: an approver other than its author takes it live."""
    require(user, Role.approver, "approve changes of releases")
    before, now, pending = await _load_pending(conn, release_id)
    check_four_eyes(user.id, [pending.proposed_by], settings.allow_self_approval, "a change")
    await repository.drop_pending_change(conn, release_id)
    return await _apply_change(
        conn,
        before,
        effective_state(before.state, before.publish_at, now),
        msgspec.convert(pending.changes, ReleaseUpdate),
        user,
        pending.note,
        author=pending.proposed_by,
        new_state=before.state,
        approval={
            "proposed_by": str(pending.proposed_by) if pending.proposed_by else None,
            "approved_by": str(user.id),
        },
        approved_change=True,
    )


async def reject_change(
    conn: asyncpg.Connection, release_id: UUID, user: StaffUser, reason: str | None
) -> Release:
    """Drop a release's pending change: its author takes it back, or an approver refuses it."""
    require(user, Role.editor, "take back changes of releases")
    _, _, pending = await _load_pending(conn, release_id)
    if pending.proposed_by != user.id:
        require(user, Role.approver, "reject someone else's change")
    await repository.drop_pending_change(conn, release_id)
    after = await _reload(conn, release_id, user)
    await record_audit(
        conn,
        user,
        "release.reject_change",
        "release",
        release_id,
        {
            "rejected": pending.changes,
            "note": pending.note,
            "proposed_by": str(pending.proposed_by) if pending.proposed_by else None,
            "reason": reason,
        },
    )
    return after


def _check_if_match(release: Release, if_match: str | None) -> None:
    if if_match is None:
        raise PreconditionRequired()
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",")]
    if "*" not in tags and release_etag(release) not in tags:
        raise PreconditionFailed()


async def _check_changes(conn: asyncpg.Connection, before: Release, data: ReleaseUpdate) -> None:
    """422 for a change that could not be applied: unknown references, no language left."""
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


async def _apply_changes(
    conn: asyncpg.Connection, before: Release, data: ReleaseUpdate, *, keep_slugs: bool
) -> None:
    await _check_changes(conn, before, data)
    if data.translations is not msgspec.UNSET:
        removed = [lang for lang, text in data.translations.items() if text is None]
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


# The states in which a release may claim its slugs (repository.settle_slugs): moving into
# or out of one settles them.
_CLAIMING_SLUGS = frozenset(("scheduled", "published", "withdrawn"))


async def _set_state(
    conn: asyncpg.Connection,
    before: Release,
    user: StaffUser,
    state: str,
    *,
    publish_at: datetime | None = None,
    embargo: bool = False,
    why: str | None = None,
    **marks: Any,
) -> dict[str, Any] | None:
    """Every workflow move's write (without `publish_at`: not public). The embargo rule is
    checked here, on where the move leaves the release, so that no route makes it public
    before the embargo it was promised under without an approver and a reason (`why`).
    Returns what the audit entry records of a promise so broken."""
    public_at = publish_at if state in ("scheduled", "published") else None
    promised = before.embargo_promised_at
    check_embargo_kept(promised, public_at, user.rank, why)
    await repository.set_release_state(
        conn,
        before.id,
        state,
        publish_at=publish_at,
        embargo=embargo,
        promised_at=promise_after(promised, public_at, embargo),
        **marks,
    )
    if state in _CLAIMING_SLUGS or before.state in _CLAIMING_SLUGS:
        await repository.settle_slugs(conn, before.id, published_now=state == "published")
    if not breaks_embargo(promised, public_at):
        return None
    assert promised is not None
    assert public_at is not None
    return {"promised_at": promised.isoformat(), "public_at": public_at.isoformat(), "reason": why}


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
        await _set_state(conn, before, user, "in_review", submitted_by=user.id)
    elif action == "return":
        require(user, Role.approver, "return releases to draft")
        await _set_state(conn, before, user, "draft")
    elif action == "approve":
        require(user, Role.approver, "approve releases")
        authors = [before.created_by, before.submitted_by, *before.changed_since_approval_by]
        check_four_eyes(user.id, authors, settings.allow_self_approval, "a release")
        await _set_state(conn, before, user, "approved", approved_by=user.id)
    elif action == "unschedule":
        # Back to approved; the embargo promise stays with the release until it is public.
        require(user, Role.editor, "unschedule releases")
        await _set_state(conn, before, user, "approved")
    after = await _reload(conn, release_id, user)
    await _audit(conn, user, action, before, after, reason=reason)
    if action in WORKFLOW_MAIL:
        # Approvers hear that a release waits, its author that it came back or passed:
        # e-mailed from the outbox, so only a move that commits is told of.
        event_type = WORKFLOW_MAIL[action]
        payload = {"id": str(release_id), "by": str(user.id), "comment": reason or ""}
        key = f"{event_type}:{release_id}:{after.version}"
        await add_event(conn, event_type, release_id, key, payload)
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
    if data.at is None:
        broken = await _set_state(
            conn, before, user, "published", publish_at=now, embargo=False, why=data.reason
        )
    else:
        broken = await _set_state(
            conn, before, user, "scheduled", publish_at=data.at, embargo=data.embargo,
            why=data.reason,
        )  # fmt: skip
    after = await _reload(conn, release_id, user)
    if data.at is None:
        await _event(conn, "release.published", after, publication_key(after.id, now))
    elif data.embargo and not _already_embargoed_until(before, data.at):
        # Internal: tells distribution that accredited journalists may now get the release,
        # and the journalists when it lifts. Keyed by the version the move made, not by the
        # instant: a lift moved back to a time it had before (T1, T2, T1) or scheduled again
        # after an unschedule must be told again, and in a message of its own.
        await _event(
            conn, "release.embargoed", after, f"release.embargoed:{after.id}:{after.version}"
        )
    action = "publish" if data.at is None else "schedule"
    await _audit(conn, user, action, before, after, reason=data.reason, embargo_break=broken)
    return after


def _already_embargoed_until(before: Release, at: datetime) -> bool:
    """Whether the release was scheduled under embargo for `at` already: a form sent twice
    changes nothing the journalists were told, so it writes no event and mails no one."""
    return before.state == "scheduled" and before.embargo and before.publish_at == at


async def correct_release(
    conn: asyncpg.Connection,
    release_id: UUID,
    data: CorrectRequest,
    user: StaffUser,
    *,
    settings: Any,
) -> tuple[Release, bool]:
    before, now = await load(conn, release_id)
    check_transition("correct", effective_state(before.state, before.publish_at, now))
    return await update_release(
        conn, release_id, data.changes, user, None, settings=settings, correction_note=data.note
    )


async def withdraw_release(
    conn: asyncpg.Connection,
    release_id: UUID,
    reason: str,
    user: StaffUser,
    *,
    public_note: str | None = None,
) -> Release:
    """Withdraw for `reason` (staff only); the public tombstone shows `public_note`."""
    require(user, Role.editor, "withdraw releases")
    before, now = await load(conn, release_id, lock=True)
    state = effective_state(before.state, before.publish_at, now)
    check_transition("withdraw", state)
    was_public = state == "published"
    await repository.drop_pending_change(conn, release_id)
    await _set_state(
        conn,
        before,
        user,
        "withdrawn",
        publish_at=before.publish_at,
        embargo=before.embargo,
        reason=reason,
        public_note=public_note,
    )
    if was_public:
        await repository.insert_revision(conn, before, "withdrawal", reason, user.id)
    after = await _reload(conn, release_id, user)
    if was_public:
        await _event(conn, "release.withdrawn", after, f"release.withdrawn:{after.id}")
    await _audit(conn, user, "withdraw", before, after, reason=reason)
    return after
