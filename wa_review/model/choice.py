"""The state of one choice of a WA question: one enum for the reviewer's decision, the answer sent
to the WA Tool and the evidence's suggestion (which adds only "needs the reviewer")."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeAlias


class ChoiceState(StrEnum):
    """A choice is selected, not selected, or does not apply (the WA Tool's ChoiceStatus)."""

    SELECTED = "SELECTED"
    UNSELECTED = "UNSELECTED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class NeedsReviewer(StrEnum):
    """What a suggestion says when the evidence cannot decide: the reviewer must."""

    NEEDS_REVIEWER = "NEEDS_REVIEWER"


NEEDS_REVIEWER = NeedsReviewer.NEEDS_REVIEWER

# What the evidence suggests for a choice: a state, or "needs the reviewer".
SuggestedState: TypeAlias = ChoiceState | NeedsReviewer


def decided_by_suggestion(state: SuggestedState) -> ChoiceState | None:
    """The decision that accepting `state` gives, or None when the reviewer must decide."""
    return state if isinstance(state, ChoiceState) else None


# The words a reviewer reads for each state (reports and the TUI alike).
DECISION_TEXT: dict[ChoiceState, str] = {
    ChoiceState.SELECTED: "Selected",
    ChoiceState.UNSELECTED: "Not selected",
    ChoiceState.NOT_APPLICABLE: "Not applicable",
}
SUGGESTION_TEXT: dict[SuggestedState, str] = {
    ChoiceState.SELECTED: "Select",
    ChoiceState.UNSELECTED: "Do not select",
    ChoiceState.NOT_APPLICABLE: "Not applicable",
    NEEDS_REVIEWER: "Needs the reviewer",
}
