"""Suggestions from evidence (precedence, None of these) and the risk estimate."""

from __future__ import annotations

import pytest

from tests.unit.questionnaire.conftest import SEC2_PATH, sec2_checks
from wa_review.assessment import NEEDS_REVIEWER, ChoiceState, SuggestedState, assess, risk
from wa_review.model.evidence import Evidence, Status
from wa_review.model.questionnaire import Questionnaire, Risk
from wa_review.questionnaires import load_questionnaire

A1, A4, A2, A3, NO = (
    "sec_sec_q2_a1",
    "sec_sec_q2_a4",
    "sec_sec_q2_a2",
    "sec_sec_q2_a3",
    "sec_sec_q2_no",
)
S = ChoiceState


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire(SEC2_PATH, known_check_ids=sec2_checks())


def ev(check: str, status: Status, arn: str = "arn:x", summary: str = "why") -> Evidence:
    return Evidence(check, status, arn, "eu-west-1", "111122223333", summary)


def all_of(q: Questionnaire, choice: str, status: Status) -> list[Evidence]:
    return [ev(c, status) for c in q.choice(choice).checks]


def test_any_fail_means_unselected_and_cites_it(q: Questionnaire) -> None:
    rows = [
        *all_of(q, A4, Status.PASS),
        ev("lambda.no_static_credentials", Status.FAIL, "arn:f", "AWS_SECRET_ACCESS_KEY in env"),
        ev("lambda.unique_execution_role", Status.UNKNOWN, "arn:u", "AccessDenied"),
    ]
    found = assess(q, rows).get(A4)
    assert found.state is S.UNSELECTED
    assert [e.resource_arn for e in found.failing] == ["arn:f"]
    assert [e.resource_arn for e in found.unknown] == ["arn:u"]
    assert "AWS_SECRET_ACCESS_KEY in env" in found.reasons[0]
    assert "could not be checked" in found.reasons[1]
    assert found.counts == {Status.PASS: 2, Status.FAIL: 1, Status.UNKNOWN: 1}


def test_unknown_without_fail_needs_the_reviewer(q: Questionnaire) -> None:
    rows = [*all_of(q, A4, Status.PASS), ev("lambda.unique_execution_role", Status.UNKNOWN)]
    assert assess(q, rows).get(A4).state is NEEDS_REVIEWER


def test_a_check_that_left_no_evidence_needs_the_reviewer(q: Questionnaire) -> None:
    found = assess(q, [ev("lambda.unique_execution_role", Status.PASS)]).get(A4)
    assert found.state is NEEDS_REVIEWER
    assert found.missing_checks == ("lambda.no_static_credentials",)


def test_pass_is_selected_with_warnings_as_caveats(q: Questionnaire) -> None:
    rows = [
        *all_of(q, A3, Status.PASS),
        ev("lambda.function_role_breadth", Status.WARN, summary="7 services"),
    ]
    found = assess(q, rows).get(A3)
    assert found.state is S.SELECTED
    assert found.reasons[1].startswith("Caveats (1)") and "7 services" in found.reasons[1]


def test_information_checks_warn_only_needs_the_reviewer(q: Questionnaire) -> None:
    rows = [*all_of(q, A2, Status.NOT_APPLICABLE), ev("lambda.vpc_attachment", Status.WARN)]
    assert assess(q, rows).get(A2).state is NEEDS_REVIEWER


def test_nothing_in_scope_is_not_applicable_with_the_reason(q: Questionnaire) -> None:
    found = assess(q, all_of(q, A2, Status.NOT_APPLICABLE)).get(A2)
    assert found.state is S.NOT_APPLICABLE
    assert found.reasons[0] == q.choice(A2).suggestion.not_applicable_reason


def test_no_evidence_at_all_is_never_not_applicable(q: Questionnaire) -> None:
    found = assess(q, []).get(A1)
    assert found.state is NEEDS_REVIEWER
    assert found.missing_checks == tuple(q.choice(A1).checks) != ()


def test_evidence_is_matched_to_a_choice_by_its_check_id(q: Questionnaire) -> None:
    stray = ev("glue.unrelated", Status.FAIL)
    rows = [*all_of(q, A3, Status.PASS), stray]
    assert assess(q, rows).get(A3).state is S.SELECTED


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (
            {A1: Status.FAIL, A4: Status.FAIL, A2: Status.NOT_APPLICABLE, A3: Status.FAIL},
            S.SELECTED,
        ),
        ({A1: Status.FAIL, A4: Status.PASS, A2: Status.FAIL, A3: Status.FAIL}, S.UNSELECTED),
        ({A1: Status.FAIL, A4: Status.UNKNOWN, A2: Status.FAIL, A3: Status.FAIL}, NEEDS_REVIEWER),
        (
            {
                A1: Status.NOT_APPLICABLE,
                A4: Status.NOT_APPLICABLE,
                A2: Status.NOT_APPLICABLE,
                A3: Status.NOT_APPLICABLE,
            },
            NEEDS_REVIEWER,
        ),
    ],
)
def test_none_of_these_follows_the_others(
    q: Questionnaire, states: dict[str, Status], expected: SuggestedState
) -> None:
    rows = [row for choice, status in states.items() for row in all_of(q, choice, status)]
    assert assess(q, rows).get(NO).state is expected


def test_every_choice_gets_a_suggestion_in_order(q: Questionnaire) -> None:
    assert [s.choice_id for s in assess(q, []).suggestions] == list(q.choice_ids)


SEL, UNS, NA = ChoiceState.SELECTED, ChoiceState.UNSELECTED, ChoiceState.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("decisions", "expected"),
    [
        ({A1: SEL, A4: SEL, A2: SEL, A3: SEL}, Risk.NONE),
        ({A1: SEL, A4: SEL, A2: NA, A3: SEL}, Risk.NONE),  # N/A counts as satisfied
        ({A1: SEL, A4: SEL, A2: UNS, A3: SEL}, Risk.MEDIUM),
        ({A1: SEL, A4: SEL}, Risk.MEDIUM),
        ({A1: SEL, A4: UNS, A2: SEL, A3: SEL}, Risk.HIGH),
        ({NO: SEL}, Risk.HIGH),
        ({A1: SEL, A4: SEL, A2: SEL, A3: SEL, NO: SEL}, Risk.HIGH),  # "None" next to others
        ({A1: NA, A4: NA, A2: NA, A3: NA}, Risk.NONE),
        ({}, Risk.UNANSWERED),
        ({A1: UNS, A4: UNS, A2: None}, Risk.UNANSWERED),
    ],
)
def test_risk_rules(
    q: Questionnaire, decisions: dict[str, ChoiceState | None], expected: Risk
) -> None:
    assert risk(q, decisions) is expected


def test_risk_of_a_question_that_does_not_apply(q: Questionnaire) -> None:
    assert risk(q, {A1: SEL}, is_applicable=False) is Risk.NOT_APPLICABLE


def test_a_practice_with_a_check_still_collecting_suggests_nothing_yet(q: Questionnaire) -> None:
    """Half the evidence could pass a practice the rest fails: no suggestion until it is all in."""
    rows = [*all_of(q, A4, Status.PASS), *all_of(q, A1, Status.PASS)]
    found = assess(q, rows, frozenset({"sqs.queue_policy_public"}))
    a1 = found.get(A1)
    assert a1.state is NEEDS_REVIEWER
    assert a1.pending_checks == ("sqs.queue_policy_public",)
    assert a1.reasons[0].startswith(f"Still collecting: {len(q.choice(A1).checks) - 1} of")
    assert a1.counts == {Status.PASS: len(q.choice(A1).checks)}  # what is in is shown
    assert found.get(A4).state is S.SELECTED and found.get(A4).pending_checks == ()
    none_of_these = found.get(NO)
    assert none_of_these.state is NEEDS_REVIEWER
    assert none_of_these.pending_checks == ("sqs.queue_policy_public",)
    # The same evidence once the check has answered: the usual suggestion.
    assert assess(q, rows).get(A1).state is S.SELECTED
