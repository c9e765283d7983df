"""Review sessions: the reviewer's decisions and notes, saved as YAML, and what follows from them."""

from __future__ import annotations

from wa_review.review.session import (
    ChoiceDecision,
    Decision,
    Environment,
    EvidenceRef,
    ReviewSession,
    SuggestionRecord,
    WaToolRecord,
    Workload,
    annotate,
    decide,
    with_applicability,
    with_position,
    with_question_notes,
)
from wa_review.review.store import last_good_copy, load_session, save_session

__all__ = [
    "ChoiceDecision",
    "Decision",
    "Environment",
    "EvidenceRef",
    "ReviewSession",
    "SuggestionRecord",
    "WaToolRecord",
    "Workload",
    "annotate",
    "decide",
    "last_good_copy",
    "load_session",
    "save_session",
    "with_applicability",
    "with_position",
    "with_question_notes",
]
