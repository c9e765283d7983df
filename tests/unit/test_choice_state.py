"""One choice-state enum: the decision, the WA Tool status and the suggestion share its members,
and session files keep the values they had on disk."""

from __future__ import annotations

from pydantic import TypeAdapter

from wa_review.model.choice import (
    NEEDS_REVIEWER,
    ChoiceState,
    SuggestedState,
    decided_by_suggestion,
)
from wa_review.review.session import Decision, SuggestionRecord
from wa_review.watool.payload import ChoiceStatus


def test_decision_and_wa_tool_status_are_the_choice_state() -> None:
    assert Decision is ChoiceState and ChoiceStatus is ChoiceState
    assert [s.value for s in ChoiceState] == ["SELECTED", "UNSELECTED", "NOT_APPLICABLE"]


def test_accepting_a_suggestion_gives_its_state_or_leaves_the_reviewer_to_decide() -> None:
    for state in ChoiceState:
        assert decided_by_suggestion(state) is state
    assert decided_by_suggestion(NEEDS_REVIEWER) is None


def test_suggested_states_keep_their_serialized_values() -> None:
    adapter: TypeAdapter[SuggestedState] = TypeAdapter(SuggestedState)
    for raw in ("SELECTED", "UNSELECTED", "NOT_APPLICABLE", "NEEDS_REVIEWER"):
        parsed = adapter.validate_python(raw)
        assert parsed.value == raw
        record = SuggestionRecord.model_validate({"state": raw})
        assert record.model_dump(mode="json")["state"] == raw
    assert adapter.validate_python("NEEDS_REVIEWER") is NEEDS_REVIEWER
    assert adapter.validate_python("SELECTED") is ChoiceState.SELECTED
