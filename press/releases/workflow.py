"""The release workflow: which move is allowed from which state, for which role. Pure.

    draft → in_review → approved → scheduled → published → withdrawn
                 ↘ draft (returned)      ↘ published (now)

A scheduled release whose `publish_at` has passed is public already, whatever the lift loop has
recorded: `effective_state` says so, and the rules below treat it as published.

Two rules hold whatever route a change takes (API, console, a script):
- **The embargo promise.** A release scheduled under embargo is promised to journalists until
  its embargo instant, and stays promised until it is public: unscheduling, returning it to
  draft or approving it again do not erase the promise. Any move whose resulting public
  instant is earlier than the promise is an approver's decision with a reason
  (`check_embargo_kept`).
- **Four eyes.** No one who changed a release's content since its last approval may approve
  it (nor its writer or submitter); a change of a scheduled or published release's content
  waits for another approver (`change_is_held`). PRESS_ALLOW_SELF_APPROVAL is the one
  exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from press.errors import Forbidden, InvalidInput, InvalidTransition
from press.staff.schemas import Role

ACTIONS = ("submit", "return", "approve", "publish", "unschedule", "correct", "withdraw")


@dataclass(frozen=True)
class Rule:
    from_states: frozenset[str]
    role: Role


RULES: dict[str, Rule] = {
    "submit": Rule(frozenset({"draft"}), Role.editor),
    "return": Rule(frozenset({"in_review", "approved"}), Role.approver),
    "approve": Rule(frozenset({"in_review"}), Role.approver),
    "publish": Rule(frozenset({"approved", "scheduled"}), Role.editor),
    "unschedule": Rule(frozenset({"scheduled"}), Role.editor),
    "correct": Rule(frozenset({"published"}), Role.editor),
    "withdraw": Rule(frozenset({"scheduled", "published"}), Role.editor),
}


def effective_state(state: str, publish_at: datetime | None, now: datetime) -> str:
    """The state as the public sees it: a scheduled release past its time is published."""
    if state == "scheduled" and publish_at is not None and publish_at <= now:
        return "published"
    return state


def allowed_actions(state: str, role: Role) -> list[str]:
    return [name for name, rule in RULES.items() if state in rule.from_states and role >= rule.role]


def pending_change_actions(role: Role, is_author: bool) -> list[str]:
    """What this person may do with a release's pending change: another approver approves
    it; its author or an approver rejects it."""
    actions = ["approve-change"] if role >= Role.approver and not is_author else []
    if role >= Role.approver or is_author:
        actions.append("reject-change")
    return actions


def check_transition(action: str, state: str) -> None:
    """Raise a 409 naming what is allowed when `action` cannot be taken from `state`."""
    rule = RULES[action]
    if state in rule.from_states:
        return
    possible = [name for name, r in RULES.items() if state in r.from_states]
    allowed = ", ".join(possible) if possible else "nothing"
    raise InvalidTransition(
        f"A release that is {state.replace('_', ' ')} cannot be {_past(action)}; "
        f"allowed now: {allowed}.",
        state=state,
        allowed=possible,
    )


def _past(action: str) -> str:
    return {
        "submit": "submitted",
        "return": "returned to draft",
        "approve": "approved",
        "publish": "published",
        "unschedule": "unscheduled",
        "correct": "corrected",
        "withdraw": "withdrawn",
    }[action]


def may_approve_own(role: Role, allow_self_approval: bool) -> bool:
    """Whether this person's own change counts as approved: only an approver's (or admin's),
    and only where PRESS_ALLOW_SELF_APPROVAL lets one person do both."""
    return allow_self_approval and role >= Role.approver


def state_after_edit(state: str, editor_role: Role, allow_self_approval: bool = False) -> str:
    """Approval covers the text: a change to an approved release needs approval again, by
    someone other than who made it, unless that person may approve their own changes."""
    if state == "approved" and not may_approve_own(editor_role, allow_self_approval):
        return "in_review"
    return state


def change_is_held(state: str, editor_role: Role, allow_self_approval: bool) -> bool:
    """A change of a scheduled or published release's content waits as a pending change
    until another approver approves it: approval covers the text the public will read."""
    return state in ("scheduled", "published") and not may_approve_own(
        editor_role, allow_self_approval
    )


def check_four_eyes(
    approver: UUID, authors: Iterable[UUID | None], allow_self_approval: bool, what: str
) -> None:
    """Raise 403 when the approver wrote, submitted or changed what they approve."""
    if approver in set(authors) and not allow_self_approval:
        raise Forbidden(
            f"You cannot approve {what} you wrote, submitted or changed since its last "
            "approval; another approver must."
        )


def breaks_embargo(promised_at: datetime | None, public_at: datetime | None) -> bool:
    """Whether a move makes the release public before the embargo it was promised under."""
    return promised_at is not None and public_at is not None and public_at < promised_at


def check_embargo_kept(
    promised_at: datetime | None, public_at: datetime | None, role: Role, reason: str | None
) -> None:
    """The embargo rule of every move: one making the release public (`public_at`, None when
    the move leaves it unpublished) before its promised embargo instant needs an approver
    and a reason."""
    if not breaks_embargo(promised_at, public_at):
        return
    assert promised_at is not None
    if role < Role.approver:
        raise Forbidden(
            "This release was promised under embargo until "
            f"{promised_at.isoformat()}; making it public earlier needs an approver."
        )
    if not (reason and reason.strip()):
        raise InvalidInput(
            "Making a release public before its embargo lifts needs a `reason`.",
            errors=[{"key": "reason", "message": "required"}],
        )


def promise_after(
    promised_at: datetime | None, public_at: datetime | None, embargo: bool
) -> datetime | None:
    """The embargo instant a release is promised under after a move: a new embargo promises
    its own instant; otherwise the promise stands, lowered only to an instant already
    allowed to break it."""
    if public_at is None:
        return promised_at
    if embargo:
        return public_at
    return min(promised_at, public_at) if promised_at is not None else None
