"""Session decisions: limits, "None of these" exclusivity, question applicability, position."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from wa_review.review.session import (
    SESSION_NOTES_MAX,
    Decision,
    ReviewSession,
    annotate,
    decide,
    with_applicability,
    with_position,
    with_question_notes,
)
from wa_review.watool.payload import WaReason

A1, A2, NO = "sec_sec_q2_a1", "sec_sec_q2_a2", "sec_sec_q2_no"
T1 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_decide_records_who_and_when(session: ReviewSession) -> None:
    after = decide(session, A1, Decision.SELECTED, by="alice", notes="scoped", at=T1)
    record = after.choice(A1)
    assert (record.decision, record.decided_by, record.decided_at, record.notes) == (
        Decision.SELECTED,
        "alice",
        T1,
        "scoped",
    )
    assert after.updated_at == T1 and after.position == A1
    assert session.choice(A1).decision is None  # sessions are values: the old one is unchanged


def test_clearing_a_decision_forgets_who_made_it(session: ReviewSession) -> None:
    after = decide(decide(session, A1, Decision.SELECTED, by="alice"), A1, None, by="bob")
    assert (after.choice(A1).decision, after.choice(A1).decided_by) == (None, "")


def test_not_applicable_keeps_its_reason_and_others_drop_it(session: ReviewSession) -> None:
    na = decide(session, A2, Decision.NOT_APPLICABLE, by="a", reason=WaReason.OUT_OF_SCOPE)
    assert na.choice(A2).reason is WaReason.OUT_OF_SCOPE
    assert (
        decide(na, A2, Decision.SELECTED, by="a", reason=WaReason.OTHER).choice(A2).reason is None
    )


def test_none_of_these_is_exclusive_both_ways(session: ReviewSession) -> None:
    picked = decide(session, A1, Decision.SELECTED, by="a")
    none = decide(picked, NO, Decision.SELECTED, by="b", at=T1)
    assert none.choice(A1).decision is Decision.UNSELECTED
    assert none.choice(A1).decided_by == "b"
    again = decide(none, A2, Decision.SELECTED, by="c")
    assert again.choice(NO).decision is Decision.UNSELECTED


def test_none_of_these_cannot_be_not_applicable(session: ReviewSession) -> None:
    with pytest.raises(ValidationError, match="cannot be NOT_APPLICABLE"):
        decide(session, NO, Decision.NOT_APPLICABLE, by="a")


def test_notes_over_the_wa_tools_limits_are_kept_whole(session: ReviewSession) -> None:
    # The WA Tool takes 250 and 2,084 characters; the session keeps the reviewer's words
    # whole (a push refuses to cut them: tests/hardening/test_nothing_lost.py).
    assert annotate(session, A1, "x" * 316).choice(A1).notes == "x" * 316
    assert with_question_notes(session, "y" * 2100).notes == "y" * 2100
    with pytest.raises(ValidationError, match=f"at most {SESSION_NOTES_MAX} characters"):
        annotate(session, A1, "x" * (SESSION_NOTES_MAX + 1))
    with pytest.raises(ValidationError, match=f"at most {SESSION_NOTES_MAX} characters"):
        with_question_notes(session, "y" * (SESSION_NOTES_MAX + 1))


def test_question_applicability(session: ReviewSession) -> None:
    off = with_applicability(session, False, by="alice", reason=WaReason.BUSINESS_PRIORITIES, at=T1)
    assert (off.is_applicable, off.not_applicable_reason) == (False, WaReason.BUSINESS_PRIORITIES)
    assert (off.applicability_decided_by, off.applicability_decided_at) == ("alice", T1)
    assert with_applicability(session, False, by="a").not_applicable_reason is WaReason.NONE
    back = with_applicability(off, True, by="bob")
    assert (back.is_applicable, back.not_applicable_reason) == (True, None)


def test_position_does_not_count_as_a_change(session: ReviewSession) -> None:
    moved = with_position(session, A2)
    assert moved.position == A2 and moved.updated_at == session.updated_at
    with pytest.raises(ValidationError, match="not a choice of this session"):
        with_position(session, "sec_sec_q2_zz")


def test_unknown_choice(session: ReviewSession) -> None:
    with pytest.raises(KeyError):
        decide(session, "sec_sec_q2_zz", Decision.SELECTED, by="a")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"choices": [{"choice_id": A1}, {"choice_id": A1}]}, "appears more than once"),
        (
            {
                "choices": [
                    {"choice_id": A1, "decision": "SELECTED"},
                    {"choice_id": NO, "decision": "SELECTED"},
                ]
            },
            "is selected together with",
        ),
        ({"not_applicable_reason": "OTHER"}, "the question is applicable"),
        (
            {"choices": [{"choice_id": A1, "reason": "OTHER"}]},
            "only for a choice decided NOT_APPLICABLE",
        ),
        ({"workload": {"name": "ab"}}, "at least 3 characters"),
        ({"workload": {"name": "abc", "accounts": ["12345"]}}, "String should match pattern"),
    ],
)
def test_invalid_sessions_are_refused(
    session: ReviewSession, change: dict[str, object], message: str
) -> None:
    data = session.model_dump() | change
    with pytest.raises(ValidationError, match=message):
        ReviewSession.model_validate(data)
