"""The title fallback is tested against what AWS returns: the emulator serves AWS's titles (and
older wordings), our questionnaire keeps them for matching, and "None of these" is recognised
from the lens, not from an id suffix."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.watool.conftest import create_workload
from wa_review.errors import WaToolError
from wa_review.push_flow import load_push_input
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.emulator_lens import SEC2_TITLE, serverless_lens
from wa_review.watool.lens_match import normalise_title
from wa_review.watool.push import PushOptions, plan_push, push_review
from wa_review.watool.request import validate_update_request

FIXTURES = Path(__file__).resolve().parents[1] / "report" / "fixtures"
RENAMED = {
    "sec_sec_q2_a1": "sec_boundaries_x1",
    "sec_sec_q2_a4": "sec_boundaries_x2",
    "sec_sec_q2_a2": "sec_boundaries_x3",
    "sec_sec_q2_a3": "sec_boundaries_x4",
    "sec_sec_q2_no": "sec_boundaries_none",  # no `_no` suffix: known by its title only
}


@pytest.fixture
def session_payload(tmp_path: Path) -> Any:
    """The answer built from a real review session and our questionnaire (our own wording)."""
    for name in ("review.yaml", "evidence.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return load_push_input(tmp_path / "review.yaml").payload


def test_our_wording_differs_from_aws_but_the_questionnaire_keeps_aws_titles(
    session_payload: Any,
) -> None:
    assert normalise_title(session_payload.question_title) != normalise_title(SEC2_TITLE)
    assert SEC2_TITLE in session_payload.aws_titles


@pytest.mark.parametrize(
    ("question_title", "a3_title"),
    [
        (SEC2_TITLE, "Design smaller, single purpose functions"),
        # Older wordings, typed as a person would: straight apostrophe, other case and spaces.
        (
            "How are you managing the  security boundaries of your serverless application?",
            "Smaller functions require fewer PERMISSIONS",
        ),
        (
            "How do you manage your Serverless application's security boundaries?",
            "Design smaller, single purpose functions",
        ),
    ],
)
def test_renamed_ids_are_found_by_aws_titles(
    emulator: WaToolEmulator,
    wa_client: Any,
    session_payload: Any,
    question_title: str,
    a3_title: str,
) -> None:
    emulator.set_lens(
        serverless_lens(
            sec2_id="sec_boundaries",
            sec2_title=question_title,
            choice_ids=RENAMED,
            choice_titles={"sec_sec_q2_a3": a3_title},
        )
    )
    workload_id = create_workload(wa_client, "Orders")
    result = push_review(
        wa_client, session_payload, PushOptions(workload_id=workload_id), confirm=lambda _p: True
    )
    plan = result.plan
    assert plan.diff.question_id == "sec_boundaries"
    update = next(r for r in emulator.writes() if r.operation == "UpdateAnswer")
    assert update.path.endswith("/answers/sec_boundaries")
    assert set(update.params["ChoiceUpdates"]) <= set(RENAMED.values())
    assert any("matched by title" in w for w in plan.match_warnings)
    # "None of these" is recognised from its title although its id lost the `_no` suffix.
    assert plan.diff.none_ids == frozenset({"sec_boundaries_none"})
    both = {
        "QuestionId": "sec_boundaries",
        "ChoiceUpdates": {
            "sec_boundaries_none": {"Status": "SELECTED"},
            "sec_boundaries_x1": {"Status": "SELECTED"},
        },
    }
    with pytest.raises(WaToolError, match="None of these"):
        validate_update_request(both, plan.diff.none_ids)


def test_a_title_that_matches_nothing_still_stops(
    emulator: WaToolEmulator, wa_client: Any, session_payload: Any
) -> None:
    emulator.set_lens(serverless_lens(sec2_id="sec_other", sec2_title="Something else entirely?"))
    workload_id = create_workload(wa_client, "Orders")
    with pytest.raises(WaToolError, match="Expected question sec_q2"):
        plan_push(wa_client, session_payload, PushOptions(workload_id=workload_id))
    assert emulator.writes()[1:] == []
