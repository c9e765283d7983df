"""Pure parts of the push: names, titles, notes, request validation, answer parsing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.watool.conftest import sec2_payload
from wa_review.errors import UsageError, WaToolError
from wa_review.watool.diff import CurrentAnswer
from wa_review.watool.lens_match import normalise_title
from wa_review.watool.payload import (
    CHOICE_NOTES_MARKER,
    QUESTION_NOTES_MARKER,
    ChoiceStatus,
    WaReason,
    fit_notes,
)
from wa_review.watool.request import validate_update_request
from wa_review.watool.workload import WorkloadSpec, normalise_name, parse_workload_id


def test_names_compare_as_the_service_does() -> None:
    assert normalise_name("  Orders  Service ") == normalise_name("ordersservice")
    assert normalise_name("Orders") != normalise_name("Orders-Service")


def test_titles_compare_loosely() -> None:
    assert normalise_title(sec2_payload().question_title) == normalise_title(
        "how do you manage your serverless application's  security boundaries?"
    )
    assert normalise_title("Design smaller, single purpose functions") != normalise_title(
        "Smaller functions require fewer permissions"
    )


def test_notes_that_fit_are_untouched() -> None:
    assert fit_notes("short", 250) == "short"


def test_long_notes_are_cut_at_a_line_or_word_with_a_marker() -> None:
    text = "\n".join(
        f"- finding {n}: function orders-{n} policy allows any principal" for n in range(80)
    )
    cut = fit_notes(text, 2084)
    assert len(cut) <= 2084 and cut.endswith(QUESTION_NOTES_MARKER)
    assert cut.removesuffix(QUESTION_NOTES_MARKER).endswith("principal")
    words = fit_notes("word " * 100, 250, marker=CHOICE_NOTES_MARKER)
    assert len(words) <= 250 and words.endswith("word" + CHOICE_NOTES_MARKER)


def _request(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "QuestionId": "sec_q2",
        "ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "SELECTED", "Notes": ""}},
        "Notes": "",
        "IsApplicable": True,
    }
    request.update(overrides)
    return request


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "DONE"}}}, "status 'DONE'"),
        (
            {"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "NOT_APPLICABLE", "Reason": "X"}}},
            "reason",
        ),
        ({"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "SELECTED", "Notes": "n" * 251}}}, "250"),
        ({"ChoiceUpdates": {"sec_sec_q2_no": {"Status": "NOT_APPLICABLE"}}}, "not applicable"),
        (
            {
                "ChoiceUpdates": {
                    "sec_sec_q2_no": {"Status": "SELECTED"},
                    "sec_sec_q2_a1": {"Status": "SELECTED"},
                }
            },
            "together",
        ),
        ({"Notes": "n" * 2085}, "2084"),
        ({"IsApplicable": False, "Reason": "LATER"}, "question reason"),
    ],
)
def test_invalid_requests_are_refused_before_sending(
    overrides: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(WaToolError, match="Refusing to send") as err:
        validate_update_request(_request(**overrides))
    assert fragment in err.value.message


def test_a_valid_request_passes() -> None:
    validate_update_request(_request())


def test_current_answer_reads_selected_choices_and_choice_answers() -> None:
    current = CurrentAnswer.from_api(
        {
            "SelectedChoices": ["sec_sec_q2_a1"],
            "ChoiceAnswers": [
                {"ChoiceId": "sec_sec_q2_a1", "Status": "SELECTED", "Notes": "ok"},
                {"ChoiceId": "sec_sec_q2_a2", "Status": "NOT_APPLICABLE", "Reason": "OUT_OF_SCOPE"},
            ],
            "IsApplicable": True,
            "Reason": "OTHER",  # kept by the service after re-applying; not meaningful now
            "Risk": "HIGH",
        }
    )
    assert current.choice("sec_sec_q2_a1").notes == "ok"
    assert current.choice("sec_sec_q2_a2").reason is WaReason.OUT_OF_SCOPE
    assert current.choice("sec_sec_q2_a3").status is ChoiceStatus.UNSELECTED
    assert current.reason is None and current.risk == "HIGH"


def test_workload_ids_and_arns() -> None:
    workload_id = "0123456789abcdef0123456789abcdef"
    assert parse_workload_id(workload_id) == workload_id
    arn = f"arn:aws:wellarchitected:eu-west-1:123456789012:workload/{workload_id}"
    assert parse_workload_id(arn) == workload_id
    with pytest.raises(UsageError, match="not a WA Tool workload id"):
        parse_workload_id("orders")


def test_workload_spec_checks_what_create_workload_requires() -> None:
    with pytest.raises(UsageError) as err:
        WorkloadSpec("ab", "STAGING", "me", "x", ()).validate()
    for fragment in (
        "workload name",
        "--environment",
        "--review-owner",
        "--description",
        "Regions",
    ):
        assert fragment in err.value.message


def test_notes_keep_the_persons_text_and_replace_only_our_block() -> None:
    from wa_review.watool.notes import CHOICE_BLOCK, QUESTION_BLOCK, merge_notes, outside_block

    first = merge_notes("Typed in the console", "ours v1", 2084, QUESTION_BLOCK)
    assert (
        first.text
        == f"Typed in the console\n\n{QUESTION_BLOCK.begin}\nours v1\n{QUESTION_BLOCK.end}"
    )
    edited = first.text.replace("Typed in the console", "Typed, then edited") + "\nmore"
    second = merge_notes(edited, "ours v2", 2084, QUESTION_BLOCK)
    assert "ours v1" not in second.text and "ours v2" in second.text
    assert second.kept == "Typed, then edited\nmore"
    assert merge_notes(second.text, "ours v2", 2084, QUESTION_BLOCK).text == second.text
    # A block whose end mark was deleted by hand is the person's text now: kept as it is.
    broken = f"note {CHOICE_BLOCK.begin} half"
    assert outside_block(broken, CHOICE_BLOCK) == broken
    # The person's text is never cut: ours is shortened, or left out when nothing fits.
    long = "x" * 240
    full = merge_notes(long, "ours", 250, CHOICE_BLOCK)
    assert full.text == long and full.ours_dropped
    fitted = merge_notes("short", "y " * 200, 250, CHOICE_BLOCK)
    assert len(fitted.text) <= 250 and fitted.text.startswith("short [wa-review] y")
    assert fitted.text.endswith(CHOICE_BLOCK.end)
