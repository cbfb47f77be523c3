"""The workflow rules, without I/O: every action from every state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from press.errors import InvalidTransition
from press.releases.workflow import (
    RULES,
    allowed_actions,
    check_transition,
    effective_state,
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


def test_editor_changing_approved_text_sends_it_back_to_review() -> None:
    assert state_after_edit("approved", Role.editor) == "in_review"
    assert state_after_edit("approved", Role.approver) == "approved"
    assert state_after_edit("draft", Role.editor) == "draft"
