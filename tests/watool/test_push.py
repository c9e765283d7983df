"""The push flow end to end over HTTP: a real boto3 client against the WA Tool emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import botocore.retries.standard
import botocore.session
import pytest

from tests.watool.conftest import SEC2_TITLE, Sleeps, choice, sec2_payload
from wa_review.errors import WaToolError
from wa_review.watool.client import FreshRetry
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.emulator_lens import serverless_lens
from wa_review.watool.notes import QUESTION_BLOCK
from wa_review.watool.payload import ChoiceStatus, WaReason
from wa_review.watool.push import (
    WATOOL_IAM_ACTIONS,
    PushOptions,
    PushOutcome,
    PushPlan,
    finish_push,
    plan_push,
    push_review,
)
from wa_review.watool.workload import WorkloadSpec

SPEC = WorkloadSpec("Orders Service", "PRODUCTION", "platform-team", "Orders API", ("us-east-1",))


def yes(plan: PushPlan) -> bool:
    return True


def create_workload(client: Any, name: str = "Orders Service", lenses: tuple[str, ...] = ()) -> str:
    return str(
        client.create_workload(
            WorkloadName=name,
            Description="Orders API",
            Environment="PRODUCTION",
            ReviewOwner="platform-team",
            Lenses=list(lenses) or ["wellarchitected"],
            AwsRegions=["us-east-1"],
        )["WorkloadId"]
    )


def console_answer(client: Any, workload_id: str, **update: Any) -> dict[str, Any]:
    """What a reviewer does by hand in the WA Tool console."""
    return dict(
        client.update_answer(
            WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_q2", **update
        )["Answer"]
    )


def get_answer(client: Any, workload_id: str, question_id: str = "sec_q2") -> dict[str, Any]:
    return dict(
        client.get_answer(WorkloadId=workload_id, LensAlias="serverless", QuestionId=question_id)[
            "Answer"
        ]
    )


def test_create_then_push_writes_answer_milestone_and_pdf(
    emulator: WaToolEmulator, wa_client: Any, fresh: FreshRetry, sleeps: Sleeps, tmp_path: Path
) -> None:
    emulator.set_not_found_window(2)
    options = PushOptions(workload_name="Orders Service", create=SPEC, pdf_path=tmp_path / "r.pdf")
    result = push_review(wa_client, sec2_payload(), options, confirm=yes, fresh_retry=fresh)

    assert result.outcome is PushOutcome.WRITTEN
    plan = result.plan
    assert plan.workload_created and plan.lens_version == "2020-02-04"
    assert plan.lens_status == "CURRENT" and plan.risk_before == "UNANSWERED"
    assert result.risk_after == "MEDIUM"  # both Required practices met; a3 (Best) is not
    assert sleeps == [2.0, 2.0]  # the ResourceNotFound window after CreateWorkload was waited out
    assert result.milestone_name is not None and result.milestone_name.startswith("wa-review-sec2-")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")

    created = next(r for r in emulator.requests if r.operation == "CreateWorkload")
    assert created.params["AwsRegions"] == ["us-east-1"]
    assert created.params["ReviewOwner"] == "platform-team"
    update = next(r for r in emulator.requests if r.operation == "UpdateAnswer")
    assert "SelectedChoices" not in update.params
    assert set(update.params["ChoiceUpdates"]) == set(result.written_choices)
    assert len(result.written_choices) == 5
    assert update.params["ChoiceUpdates"]["sec_sec_q2_a2"] == {
        "Status": "NOT_APPLICABLE",
        "Reason": "OUT_OF_SCOPE",
        "Notes": "[wa-review] No VPC-attached functions [/wa-review]",
    }
    answer = get_answer(wa_client, plan.workload_id or "")
    assert answer["SelectedChoices"] == ["sec_sec_q2_a1", "sec_sec_q2_a4"]
    # wa-review's own text sits in a marked block that the next push replaces.
    assert answer["Notes"] == (
        f"{QUESTION_BLOCK.begin}\n{sec2_payload().notes}\n{QUESTION_BLOCK.end}"
    )

    seen = {f"wellarchitected:{r.operation}" for r in emulator.requests}
    assert seen <= set(WATOOL_IAM_ACTIONS)


def test_every_declared_iam_action_is_a_real_operation() -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    assert {a.split(":", 1)[1] for a in WATOOL_IAM_ACTIONS} <= set(model.operation_names)


def test_pushing_the_same_review_twice_changes_nothing(
    emulator: WaToolEmulator, wa_client: Any, tmp_path: Path
) -> None:
    create_workload(wa_client, lenses=("serverless",))
    options = PushOptions(workload_name="orders service", pdf_path=tmp_path / "r.pdf")
    first = push_review(wa_client, sec2_payload(), options, confirm=yes)
    assert first.outcome is PushOutcome.WRITTEN and not first.plan.workload_created
    emulator.clear_log()

    asked: list[PushPlan] = []

    def confirm(plan: PushPlan) -> bool:
        asked.append(plan)
        return True

    second = push_review(wa_client, sec2_payload(), options, confirm=confirm)
    assert second.outcome is PushOutcome.UNCHANGED and not asked
    assert not second.plan.has_changes and emulator.writes() == []
    assert second.risk_after == "MEDIUM" and second.pdf_path == tmp_path / "r.pdf"
    assert all(
        line.lstrip().startswith(("=", "Question", "Workload", "Lens", "Risk", "Milestone"))
        for line in second.plan.describe()[:-1]
    )
    assert second.plan.describe()[-1] == (
        "Nothing to write: the WA Tool already holds this answer."
    )


def test_console_notes_outside_the_block_are_kept_and_the_block_is_replaced(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    console_answer(
        wa_client,
        workload_id,
        ChoiceUpdates={
            "sec_sec_q2_a3": {"Status": "UNSELECTED", "Notes": "Split planned for Q3 (console)"},
            "sec_sec_q2_a1": {"Status": "SELECTED", "Notes": "Checked by hand (console)"},
        },
        Notes="Reviewed with the team on Monday (console)",
    )
    first = push_review(
        wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes
    )
    answer = get_answer(wa_client, workload_id)
    notes = {c["ChoiceId"]: c["Notes"] for c in answer["ChoiceAnswers"]}
    assert answer["Notes"].startswith("Reviewed with the team on Monday (console)\n\n")
    assert sec2_payload().notes in answer["Notes"]
    assert notes["sec_sec_q2_a3"] == "Split planned for Q3 (console)"  # nothing of ours: kept
    assert notes["sec_sec_q2_a1"] == (
        "Checked by hand (console) [wa-review] 12/12 function policies scoped [/wa-review]"
    )
    assert "= kept: 42 characters typed in the WA Tool outside wa-review's block" in "\n".join(
        first.plan.describe()
    )

    # Someone adds to the notes in the console; the review's text changes; we push again.
    console_answer(wa_client, workload_id, Notes=answer["Notes"] + "\nFollow-up: Q4 audit")
    payload = sec2_payload(notes="Evidence: 14 functions checked.")
    push_review(wa_client, payload, PushOptions(workload_id=workload_id), confirm=yes)
    after = get_answer(wa_client, workload_id)["Notes"]
    assert after.startswith("Reviewed with the team on Monday (console)")
    assert "Follow-up: Q4 audit" in after
    assert "Evidence: 14 functions checked." in after and sec2_payload().notes not in after
    assert after.count(QUESTION_BLOCK.begin) == 1


def test_a_not_applicable_set_in_the_console_stays_unless_the_reviewer_changed_it(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    console_answer(wa_client, workload_id, IsApplicable=False, Reason="BUSINESS_PRIORITIES")
    untouched = sec2_payload(applicability_decided=False)
    plan = plan_push(wa_client, untouched, PushOptions(workload_id=workload_id))
    assert "IsApplicable" not in plan.update_request
    assert "= question: does not apply (BUSINESS_PRIORITIES) (kept: not changed in wa-review)" in (
        "\n".join(plan.describe())
    )
    finish_push(wa_client, plan, confirm=yes)
    assert get_answer(wa_client, workload_id)["IsApplicable"] is False

    decided = sec2_payload(applicability_decided=True, is_applicable=True)
    plan = plan_push(wa_client, decided, PushOptions(workload_id=workload_id))
    assert "~ question: does not apply (BUSINESS_PRIORITIES) -> applies" in "\n".join(
        plan.describe()
    )
    finish_push(wa_client, plan, confirm=yes)
    assert get_answer(wa_client, workload_id)["IsApplicable"] is True


def test_drifted_ids_and_titles_are_mapped(emulator: WaToolEmulator, wa_client: Any) -> None:
    emulator.set_lens(
        serverless_lens(
            sec2_id="sec_boundaries",
            sec2_title="How do you manage your serverless application's security boundaries?",
            choice_ids={"sec_sec_q2_a1": "sec_boundaries_resource_policies"},
            choice_titles={"sec_sec_q2_a3": "Smaller functions require fewer permissions"},
        )
    )
    workload_id = create_workload(wa_client, lenses=("serverless",))
    result = push_review(
        wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes
    )

    assert result.outcome is PushOutcome.WRITTEN
    assert result.plan.diff.question_id == "sec_boundaries"
    update = next(r for r in emulator.requests if r.operation == "UpdateAnswer")
    assert update.path.endswith("/answers/sec_boundaries")
    assert "sec_boundaries_resource_policies" in update.params["ChoiceUpdates"]
    warnings = " ".join(result.plan.match_warnings)
    assert (
        "matched by title" in warnings and "Smaller functions require fewer permissions" in warnings
    )
    answer = get_answer(wa_client, workload_id, "sec_boundaries")
    assert "sec_boundaries_resource_policies" in answer["SelectedChoices"]


def test_drift_beyond_repair_stops_with_what_was_expected_and_found(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    emulator.set_lens(
        serverless_lens(
            choice_ids={"sec_sec_q2_a4": "sec_sec_q2_a9"},
            choice_titles={"sec_sec_q2_a4": "Use short-lived credentials everywhere"},
        )
    )
    workload_id = create_workload(wa_client, lenses=("serverless",))
    with pytest.raises(WaToolError) as err:
        push_review(wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes)
    message = err.value.message
    assert message.startswith("Expected choices sec_sec_q2_a1 'Evaluate and define")
    assert "in question sec_q2 of pillar security of lens serverless version 2020-02-04" in message
    assert (
        "found" in message and "sec_sec_q2_a9 'Use short-lived credentials everywhere'" in message
    )
    assert "No match by id or title for: sec_sec_q2_a4" in message and err.value.hint
    assert emulator.writes() == [next(r for r in emulator.requests if r.is_write)]  # create only


def test_a_missing_question_names_what_the_pillar_holds(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    emulator.set_lens(serverless_lens(sec2_id="sec_q9", sec2_title="Something else entirely?"))
    workload_id = create_workload(wa_client, lenses=("serverless",))
    with pytest.raises(WaToolError, match=r"Expected question sec_q2 .* found sec_q1 .*sec_q9"):
        push_review(wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes)


def test_sec2_on_the_second_list_answers_page_is_found(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    emulator.set_lens(serverless_lens(filler_questions=55))
    workload_id = create_workload(wa_client, lenses=("serverless",))
    plan = plan_push(wa_client, sec2_payload(), PushOptions(workload_id=workload_id, dry_run=True))
    pages = [r for r in emulator.requests if r.operation == "ListAnswers"]
    assert len(pages) == 2 and "NextToken" in pages[1].params
    assert all(p.params["PillarId"] == "security" and p.params["MaxResults"] == 50 for p in pages)
    assert plan.diff.question_id == "sec_q2"


def test_throttling_is_retried_and_the_push_completes(
    emulator: WaToolEmulator, wa_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0
    )
    workload_id = create_workload(wa_client, lenses=("serverless",))
    emulator.throttle(2, status=400, operation="UpdateAnswer")
    result = push_review(
        wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes
    )
    assert result.outcome is PushOutcome.WRITTEN
    updates = [r for r in emulator.requests if r.operation == "UpdateAnswer"]
    assert [r.error_code for r in updates] == ["ThrottlingException"] * 2 + [None]

    emulator.throttle(10, operation="GetAnswer")
    with pytest.raises(WaToolError, match="GetAnswer failed: ThrottlingException") as err:
        push_review(wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes)
    assert "wait a minute" in err.value.hint


def test_dry_run_sends_no_write(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    emulator.clear_log()
    options = PushOptions(workload_id=workload_id, dry_run=True)
    result = push_review(wa_client, sec2_payload(), options, confirm=yes)
    assert result.outcome is PushOutcome.DRY_RUN and result.plan.has_changes
    assert emulator.writes() == [] and emulator.operations()[-1] == "GetAnswer"
    assert get_answer(wa_client, workload_id)["Risk"] == "UNANSWERED"


def test_dry_run_neither_creates_the_workload_nor_associates_the_lens(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    options = PushOptions(workload_name="New App", create=SPEC, dry_run=True)
    plan = push_review(wa_client, sec2_payload(), options, confirm=yes).plan
    assert plan.workload_id is None and "created on yes with:" in plan.describe()[0]
    create_workload(wa_client, "Framework Only")  # no serverless lens yet
    plan = plan_push(
        wa_client, sec2_payload(), PushOptions(workload_name="framework only", dry_run=True)
    )
    text = "\n".join(plan.describe())
    assert plan.lens_version == "2020-02-04" and not plan.lens_checked  # read with GetLens
    assert "The lens was read with GetLens" in text and "AssociateLenses" in plan.writes
    assert [r.operation for r in emulator.writes()] == ["CreateWorkload"]  # ours, by hand


def test_the_lens_is_associated_when_missing(emulator: WaToolEmulator, wa_client: Any) -> None:
    create_workload(wa_client, "Framework Only")
    result = push_review(
        wa_client, sec2_payload(), PushOptions(workload_name="Framework Only"), confirm=yes
    )
    assert result.plan.lens_associated and result.outcome is PushOutcome.WRITTEN
    associate = next(r for r in emulator.requests if r.operation == "AssociateLenses")
    assert associate.params["LensAliases"] == ["serverless"]


def test_a_lens_that_is_not_current_is_warned_about(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    emulator.set_lens(serverless_lens(status="NOT_CURRENT", version="2019-11-01"))
    workload_id = create_workload(wa_client, lenses=("serverless",))
    plan = plan_push(wa_client, sec2_payload(), PushOptions(workload_id=workload_id))
    assert plan.lens_status == "NOT_CURRENT"
    assert any("NOT_CURRENT (version 2019-11-01)" in w for w in plan.warnings)


def test_names_match_exactly_never_by_prefix(emulator: WaToolEmulator, wa_client: Any) -> None:
    for name in ("orders-staging", "Orders Prod", "orders"):
        create_workload(wa_client, name, lenses=("serverless",))
    for n in range(55):  # more than one ListWorkloads page
        create_workload(wa_client, f"zz filler {n:02d}")
    found = {}
    for asked in ("ORDERS", "orders prod", "OrdersProd"):
        plan = plan_push(wa_client, sec2_payload(), PushOptions(workload_name=asked, dry_run=True))
        found[asked] = plan.workload_name
    assert found == {"ORDERS": "orders", "orders prod": "Orders Prod", "OrdersProd": "Orders Prod"}
    with pytest.raises(WaToolError, match="No WA Tool workload named 'order'") as err:
        plan_push(wa_client, sec2_payload(), PushOptions(workload_name="order"))
    assert "--create" in err.value.hint


def test_a_workload_arn_is_accepted_as_an_id(wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    arn = f"arn:aws:wellarchitected:us-east-1:123456789012:workload/{workload_id}"
    plan = plan_push(wa_client, sec2_payload(), PushOptions(workload_id=arn, dry_run=True))
    assert plan.workload_id == workload_id
    with pytest.raises(WaToolError, match="No WA Tool workload with id"):
        plan_push(wa_client, sec2_payload(), PushOptions(workload_id="0" * 32))


def test_none_of_these_is_never_sent_with_another_choice(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    console_answer(wa_client, workload_id, SelectedChoices=["sec_sec_q2_a1", "sec_sec_q2_a2"])
    payload = sec2_payload(
        choices=[
            choice("sec_sec_q2_no", ChoiceStatus.SELECTED, notes="Nothing in place yet"),
            choice("sec_sec_q2_a1", ChoiceStatus.UNSELECTED),
        ]
    )
    result = push_review(wa_client, payload, PushOptions(workload_id=workload_id), confirm=yes)
    sent = [r for r in emulator.requests if r.operation == "UpdateAnswer"][-1].params
    statuses = {cid: u["Status"] for cid, u in sent["ChoiceUpdates"].items()}
    assert statuses == {
        "sec_sec_q2_a1": "UNSELECTED",
        "sec_sec_q2_a2": "UNSELECTED",  # selected in the console; unknown to the review
        "sec_sec_q2_no": "SELECTED",
    }
    assert result.risk_after == "HIGH"
    assert get_answer(wa_client, workload_id)["SelectedChoices"] == ["sec_sec_q2_no"]


def test_a_question_that_does_not_apply(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    payload = sec2_payload(is_applicable=False, reason=WaReason.BUSINESS_PRIORITIES)
    result = push_review(wa_client, payload, PushOptions(workload_id=workload_id), confirm=yes)
    sent = next(r for r in emulator.requests if r.operation == "UpdateAnswer").params
    assert sent["IsApplicable"] is False and sent["Reason"] == "BUSINESS_PRIORITIES"
    assert result.risk_after == "NOT_APPLICABLE"
    again = push_review(wa_client, payload, PushOptions(workload_id=workload_id), confirm=yes)
    assert again.outcome is PushOutcome.UNCHANGED


def test_a_taken_milestone_name_gets_a_suffix(wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="sec2 audit")
    options = PushOptions(workload_id=workload_id, milestone_name="sec2 audit")
    result = push_review(wa_client, sec2_payload(), options, confirm=yes)
    assert (result.milestone_name, result.milestone_number) == ("sec2 audit-2", 2)


def test_declining_writes_nothing(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    result = push_review(
        wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=lambda p: False
    )
    assert result.outcome is PushOutcome.DECLINED
    assert [r.operation for r in emulator.writes()] == ["CreateWorkload"]


def test_the_plan_reads_as_a_diff(wa_client: Any) -> None:
    workload_id = create_workload(wa_client, lenses=("serverless",))
    console_answer(wa_client, workload_id, SelectedChoices=["sec_sec_q2_a1"])
    plan = plan_push(wa_client, sec2_payload(), PushOptions(workload_id=workload_id))
    text = "\n".join(plan.describe())
    assert "Risk in the WA Tool now: HIGH" in text
    assert f"Question sec_q2: {SEC2_TITLE}" in text
    assert (
        "~ sec_sec_q2_a4  Use temporary credentials between resources and components: "
        "UNSELECTED -> SELECTED" in text
    )
    assert (
        "~ sec_sec_q2_a2  Control network traffic at all layers: "
        "UNSELECTED -> NOT_APPLICABLE (OUT_OF_SCOPE)" in text
    )
    assert (
        "= sec_sec_q2_a3  Design smaller, single purpose functions: UNSELECTED (unchanged)" in text
    )
    block = f"{QUESTION_BLOCK.begin}\n{sec2_payload().notes}\n{QUESTION_BLOCK.end}"
    assert f"~ question notes: 0 -> {len(block)} characters" in text
