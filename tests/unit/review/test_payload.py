"""The WA answer built from a session: fallbacks, exclusivity, limits, and the file entry point."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.report.fixtures.make_fixtures import HERE as FIXTURES
from tests.report.fixtures.make_fixtures import evidence_file
from tests.report.fixtures.make_fixtures import session as fixture_session
from wa_review.assessment import assess
from wa_review.errors import InputFileError
from wa_review.model.evidence import Evidence, Status
from wa_review.model.questionnaire import Questionnaire, Risk
from wa_review.review.bundle import resolve_evidence
from wa_review.review.outcome import outcomes, risk_view
from wa_review.review.payload import (
    TRUNCATION_MARKER,
    clip,
    payload_from_session,
    payload_from_session_file,
)
from wa_review.review.session import (
    Decision,
    EvidenceRef,
    ReviewSession,
    WaToolRecord,
    annotate,
    decide,
    with_applicability,
    with_question_notes,
)
from wa_review.watool.payload import AnswerPayload, ChoiceStatus, WaReason

A1, A4, A2, A3, NO = (
    "sec_sec_q2_a1",
    "sec_sec_q2_a4",
    "sec_sec_q2_a2",
    "sec_sec_q2_a3",
    "sec_sec_q2_no",
)


def statuses(payload: AnswerPayload) -> dict[str, str]:
    return {c.choice_id: c.status.value for c in payload.choices}


def ev(check: str, status: Status) -> Evidence:
    return Evidence(check, status, f"arn:{check}", "eu-west-1", "111122223333", "why")


def every(q: Questionnaire, choice: str, status: Status) -> list[Evidence]:
    return [ev(c, status) for c in q.choice(choice).checks]


def test_fixture_session(questionnaire: Questionnaire) -> None:
    payload = payload_from_session(fixture_session(), questionnaire, evidence_file().evidence)
    assert statuses(payload) == {
        A1: "UNSELECTED",  # the reviewer
        A4: "SELECTED",  # a confident suggestion
        A2: "NOT_APPLICABLE",  # nothing in scope
        A3: "SELECTED",  # the reviewer overrode a failing suggestion
        NO: "UNSELECTED",
    }
    by_id = {c.choice_id: c for c in payload.choices}
    assert by_id[A2].reason is WaReason.OUT_OF_SCOPE
    assert by_id[A1].notes.startswith("Public function is being fixed in PR #123")
    assert (
        "reviewer; evidence: 2 fail, 1 unknown, 1 warn, 6 pass, 5 not applicable."
        in by_id[A1].notes
    )
    assert payload.selected_choice_ids == [A4, A3]
    assert payload.notes.startswith("Reviewed with the orders team.")
    assert "Risk estimate: HIGH." in payload.notes
    assert AnswerPayload.from_interchange(payload.to_interchange()) == payload


def test_choices_that_need_the_reviewer_are_left_out(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    payload = payload_from_session(session, questionnaire, [])  # no evidence: all need a person
    assert payload.choices == []


def test_a_suggested_none_of_these_yields_to_the_reviewer(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    rows = [row for c in (A1, A4, A2, A3) for row in every(questionnaire, c, Status.FAIL)]
    assert assess(questionnaire, rows).get(NO).state.value == "SELECTED"
    assert statuses(payload_from_session(session, questionnaire, rows))[NO] == "SELECTED"
    picked = decide(session, A2, Decision.SELECTED, by="alice")
    result = statuses(payload_from_session(picked, questionnaire, rows))
    assert (result[A2], result[NO]) == ("SELECTED", "UNSELECTED")


def test_the_reviewers_none_of_these_beats_suggested_practices(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    rows = every(questionnaire, A4, Status.PASS)
    chosen = decide(session, NO, Decision.SELECTED, by="alice")
    result = statuses(payload_from_session(chosen, questionnaire, rows))
    assert (result[NO], result[A4]) == ("SELECTED", "UNSELECTED")


def test_notes_fit_the_limits_cutting_our_summary_never_the_reviewers_words(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    full = annotate(decide(session, A1, Decision.UNSELECTED, by="a"), A1, "word " * 50)
    full = with_question_notes(full, "note " * 416)
    rows = every(questionnaire, A1, Status.FAIL)
    payload = payload_from_session(full, questionnaire, rows)
    # The reviewer's notes fill the limit: they go whole, wa-review's summary stays out.
    assert payload.choices[0].notes == ("word " * 50).strip()
    assert payload.notes == ("note " * 416).strip()

    short = annotate(full, A1, "x" * 200)
    short = with_question_notes(short, "y" * 2000)
    payload = payload_from_session(short, questionnaire, rows)
    choice = payload.choices[0]
    assert choice.notes.startswith("x" * 200 + "\n") and len(choice.notes) <= 250
    assert payload.notes.startswith("y" * 2000 + "\n\n") and len(payload.notes) <= 2084
    assert payload.notes.endswith(TRUNCATION_MARKER)  # our summary, cut to what is left


def test_question_not_applicable(session: ReviewSession, questionnaire: Questionnaire) -> None:
    off = with_applicability(session, False, by="a", reason=WaReason.ARCHITECTURE_CONSTRAINTS)
    payload = payload_from_session(off, questionnaire, [])
    assert (payload.is_applicable, payload.reason) == (False, WaReason.ARCHITECTURE_CONSTRAINTS)
    assert payload.to_interchange()["Reason"] == "ARCHITECTURE_CONSTRAINTS"


def test_reviewer_not_applicable_keeps_the_reason(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    na = decide(session, A2, Decision.NOT_APPLICABLE, by="a", reason=WaReason.BUSINESS_PRIORITIES)
    answer = payload_from_session(na, questionnaire, []).choices[0]
    assert (answer.status, answer.reason) == (
        ChoiceStatus.NOT_APPLICABLE,
        WaReason.BUSINESS_PRIORITIES,
    )


def test_risk_shown_is_the_wa_tools_after_a_push(
    session: ReviewSession, questionnaire: Questionnaire
) -> None:
    items = outcomes(session, questionnaire, assess(questionnaire, []))
    assert risk_view(session, questionnaire, items).shown is Risk.UNANSWERED
    pushed = session.model_copy(
        update={"watool": WaToolRecord(risk=Risk.MEDIUM, lens_version="2024-01")}
    )
    view = risk_view(pushed, questionnaire, items)
    assert (view.shown, view.estimate, view.from_wa_tool, view.lens_version) == (
        Risk.MEDIUM,
        Risk.UNANSWERED,
        True,
        "2024-01",
    )


@pytest.fixture
def review_dir(
    tmp_path: Path, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> Path:
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    import wa_review.questionnaires as questionnaires

    monkeypatch.setattr(questionnaires, "find_questionnaire", lambda *a, **k: questionnaire)
    return tmp_path


def test_payload_from_session_file(review_dir: Path) -> None:
    payload = payload_from_session_file(review_dir / "review.yaml")
    assert payload.selected_choice_ids == [A4, A3]


def test_changed_evidence_is_refused(review_dir: Path) -> None:
    evidence = review_dir / "evidence.json"
    evidence.write_text(evidence.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        payload_from_session_file(review_dir / "review.yaml")
    assert "changed since" in info.value.message
    assert "wa-review assess" in info.value.hint


def test_missing_evidence_file_is_refused(review_dir: Path) -> None:
    (review_dir / "evidence.json").unlink()
    with pytest.raises(InputFileError, match="Cannot read evidence file"):
        payload_from_session_file(review_dir / "review.yaml")


def test_evidence_paths_are_relative_to_the_session(tmp_path: Path) -> None:
    ref = EvidenceRef(path="../e/evidence.json", sha256="0" * 64)
    assert (
        resolve_evidence(tmp_path / "r" / "review.yaml", ref)
        == tmp_path / "r" / "../e/evidence.json"
    )
    absolute = EvidenceRef(path=str(tmp_path / "x.json"), sha256="0" * 64)
    assert resolve_evidence(tmp_path / "review.yaml", absolute) == tmp_path / "x.json"


@given(st.text(min_size=0, max_size=400), st.integers(min_value=40, max_value=300))
def test_clip_fits_and_keeps_a_prefix(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert len(out) <= limit
    if out.endswith(TRUNCATION_MARKER) and len(text.strip()) > limit:
        assert text.strip().startswith(out[: -len(TRUNCATION_MARKER)])
    else:
        assert out == text.strip()
