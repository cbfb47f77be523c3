"""The release workflow: which move is allowed from which state, for which role. Pure.

    draft → in_review → approved → scheduled → published → withdrawn
                 ↘ draft (returned)      ↘ published (now)

A scheduled release whose `publish_at` has passed is public already, whatever the lift loop has
recorded: `effective_state` says so, and the rules below treat it as published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from press.errors import InvalidTransition
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


def state_after_edit(state: str, editor_role: Role) -> str:
    """Approval covers the text: an editor's change to an approved release needs approval
    again. Approvers' and admins' changes keep the state."""
    if state == "approved" and editor_role < Role.approver:
        return "in_review"
    return state
