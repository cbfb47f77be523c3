"""The workflow rules, without I/O: every action from every state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from press.errors import Forbidden, InvalidInput, InvalidTransition
from press.releases.workflow import (
    RULES,
    allowed_actions,
    change_is_held,
    check_embargo_kept,
    check_transition,
    effective_state,
    promise_after,
    state_after_edit,
)
from press.staff.schemas import Role

STATES = ("draft", "in_review", "approved", "scheduled", "published", "withdrawn")
ALLOWED = {
    ("submit", "draft"),
    ("return", "in_review"),
    ("return", "approved"),
    ("approve", "in_review"),
    ("publish", "approved"),
    ("publish", "scheduled"),
    ("unschedule", "scheduled"),
    ("correct", "published"),
    ("withdraw", "scheduled"),
    ("withdraw", "published"),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", sorted(RULES))
def test_transition_matrix(action: str, state: str) -> None:
    if (action, state) in ALLOWED:
        check_transition(action, state)
    else:
        with pytest.raises(InvalidTransition) as caught:
            check_transition(action, state)
        assert "allowed now" in caught.value.detail
        assert caught.value.status == 409


def test_scheduled_release_past_its_time_is_published() -> None:
    now = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert effective_state("scheduled", now - timedelta(seconds=1), now) == "published"
    assert effective_state("scheduled", now, now) == "published"
    assert effective_state("scheduled", now + timedelta(seconds=1), now) == "scheduled"


def test_viewer_may_take_no_action_and_admin_every_one() -> None:
    assert allowed_actions("in_review", Role.viewer) == []
    assert allowed_actions("in_review", Role.admin) == ["return", "approve"]
    assert allowed_actions("in_review", Role.editor) == []
    assert allowed_actions("draft", Role.editor) == ["submit"]


def test_changing_approved_text_sends_it_back_to_review_unless_self_approval_is_allowed() -> None:
    assert state_after_edit("approved", Role.editor) == "in_review"
    # Four eyes: an approver's own rewrite is approved by someone else too.
    assert state_after_edit("approved", Role.approver) == "in_review"
    assert state_after_edit("approved", Role.approver, allow_self_approval=True) == "approved"
    assert state_after_edit("approved", Role.editor, allow_self_approval=True) == "in_review"
    assert state_after_edit("draft", Role.editor) == "draft"


PROMISED = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
EARLIER, LATER = PROMISED - timedelta(minutes=1), PROMISED + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("promised", "public_at", "role", "reason", "refused"),
    [
        (None, EARLIER, Role.editor, None, None),  # never promised under embargo
        (PROMISED, None, Role.editor, None, None),  # the move leaves it unpublished
        (PROMISED, PROMISED, Role.editor, None, None),  # at the promised instant
        (PROMISED, LATER, Role.editor, None, None),
        (PROMISED, EARLIER, Role.editor, "Leaked", Forbidden),
        (PROMISED, EARLIER, Role.approver, None, InvalidInput),
        (PROMISED, EARLIER, Role.approver, "  ", InvalidInput),
        (PROMISED, EARLIER, Role.approver, "Leaked", None),
        (PROMISED, EARLIER, Role.admin, "Leaked", None),
    ],
)
def test_making_a_release_public_before_its_promised_embargo_needs_an_approver_and_a_reason(
    promised: datetime | None,
    public_at: datetime | None,
    role: Role,
    reason: str | None,
    refused: type[Exception] | None,
) -> None:
    if refused is None:
        check_embargo_kept(promised, public_at, role, reason)
    else:
        with pytest.raises(refused):
            check_embargo_kept(promised, public_at, role, reason)


def test_the_promise_follows_the_embargo_and_is_never_raised_by_a_plain_schedule() -> None:
    assert promise_after(None, LATER, embargo=True) == LATER
    assert promise_after(PROMISED, None, embargo=False) == PROMISED  # unschedule, return, …
    assert promise_after(PROMISED, LATER, embargo=True) == LATER  # embargo moved later
    assert promise_after(PROMISED, LATER, embargo=False) == PROMISED
    assert promise_after(PROMISED, EARLIER, embargo=False) == EARLIER  # an allowed break
    assert promise_after(None, LATER, embargo=False) is None


def test_changes_of_scheduled_and_published_releases_are_held_for_another_approver() -> None:
    for state in ("scheduled", "published"):
        assert change_is_held(state, Role.editor, allow_self_approval=False)
        assert change_is_held(state, Role.approver, allow_self_approval=False)
        assert change_is_held(state, Role.editor, allow_self_approval=True)
        assert not change_is_held(state, Role.approver, allow_self_approval=True)
    for state in ("draft", "in_review", "approved"):
        assert not change_is_held(state, Role.editor, allow_self_approval=False)
