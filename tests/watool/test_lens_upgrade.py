"""Upgrading a NOT_CURRENT lens review before the push, over HTTP against the WA Tool emulator."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import botocore.retries.standard
import pytest
from botocore.exceptions import ClientError

from tests.watool.conftest import NEW_LENS, OLD_LENS, TITLES, create_workload, sec2_payload
from wa_review.errors import UsageError, WaToolError
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.emulator_lens import serverless_lens
from wa_review.watool.push import PushOptions, PushOutcome, PushPlan, plan_push, push_review
from wa_review.watool.upgrade import LensUpgradeOffer

NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
UPGRADE_MILESTONE = "Before lens upgrade 2024-05-06 07:08:09 UTC"


def yes(plan: PushPlan) -> bool:
    return True


class Offers(list[LensUpgradeOffer]):
    """An upgrade decision that records what it was offered."""

    def __init__(self, answer: bool) -> None:
        super().__init__()
        self.answer = answer

    def __call__(self, offer: LensUpgradeOffer) -> bool:
        self.append(offer)
        return self.answer


def old_workload(emulator: WaToolEmulator, client: Any, *, latest: Any = NEW_LENS) -> str:
    """A workload on the old lens version, answered in the console on that version."""
    emulator.set_lens(OLD_LENS, latest=latest)
    workload_id = create_workload(client, "Orders Service")
    client.update_answer(
        WorkloadId=workload_id,
        LensAlias="serverless",
        QuestionId="sec_q2",
        SelectedChoices=["sec_old_q2_a1"],
        Notes="Reviewed in the console on the old lens",
    )
    emulator.clear_log()
    return workload_id


def lens_review(client: Any, workload_id: str, **extra: Any) -> dict[str, Any]:
    return dict(
        client.get_lens_review(WorkloadId=workload_id, LensAlias="serverless", **extra)[
            "LensReview"
        ]
    )


def test_an_accepted_upgrade_happens_before_the_answer_is_read_and_written(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client)
    offers = Offers(True)
    result = push_review(
        wa_client,
        sec2_payload(),
        PushOptions(workload_id=workload_id),
        confirm=yes,
        upgrade=offers,
        now=lambda: NOW,
    )

    assert [(o.lens_version, o.lens_status, o.milestone_name) for o in offers] == [
        ("2019-11-01", "NOT_CURRENT", UPGRADE_MILESTONE)
    ]
    operations = emulator.operations()
    # Planned on reads only; upgraded after the yes; the answer read again after the upgrade.
    upgraded_at = operations.index("UpgradeLensReview")
    assert all(
        op in ("GetWorkload", "ListMilestones") or op.startswith(("Get", "List"))
        for op in operations[:upgraded_at]
    )
    assert "ListAnswers" in operations[upgraded_at:] and "GetAnswer" in operations[upgraded_at:]
    assert upgraded_at < operations.index("UpdateAnswer")
    upgrade = next(r for r in emulator.requests if r.operation == "UpgradeLensReview")
    assert upgrade.method == "PUT"
    assert upgrade.path == f"/workloads/{workload_id}/lensReviews/serverless/upgrade"
    assert upgrade.params["MilestoneName"] == UPGRADE_MILESTONE
    assert re.fullmatch(r"[0-9a-f]{64}", upgrade.params["ClientRequestToken"])

    plan = result.plan
    assert result.outcome is PushOutcome.WRITTEN
    assert (plan.lens_version, plan.lens_status, plan.upgrade_offer) == (
        "2020-02-04",
        "CURRENT",
        None,
    )
    assert plan.lens_upgrade is not None and plan.lens_upgrade.version_before == "2019-11-01"
    assert not any("NOT_CURRENT" in w for w in plan.warnings)
    assert "Lens review upgraded: serverless version 2019-11-01 -> 2020-02-04" in plan.describe()[1]
    # Read after the upgrade: the old selection is gone (every choice id is new), the notes stay.
    assert plan.diff.notes_before == "Reviewed in the console on the old lens"
    a1 = next(c for c in plan.diff.choices if c.choice_id == "sec_sec_q2_a1")
    assert a1.status_before.value == "UNSELECTED" and a1.status_after.value == "SELECTED"
    written = next(r for r in emulator.requests if r.operation == "UpdateAnswer")
    assert set(written.params["ChoiceUpdates"]) <= set(TITLES)  # the new ids, never the old

    milestones = wa_client.list_milestones(WorkloadId=workload_id)["MilestoneSummaries"]
    assert [(m["MilestoneNumber"], m["MilestoneName"]) for m in milestones] == [
        (1, UPGRADE_MILESTONE),
        (2, result.milestone_name),
    ]
    before = wa_client.get_answer(
        WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_q2", MilestoneNumber=1
    )["Answer"]
    assert before["SelectedChoices"] == ["sec_old_q2_a1"]
    assert lens_review(wa_client, workload_id, MilestoneNumber=1)["LensVersion"] == "2019-11-01"
    assert lens_review(wa_client, workload_id)["LensStatus"] == "CURRENT"


def test_a_declined_upgrade_writes_to_the_old_version_and_keeps_the_warning(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client)
    offers = Offers(False)
    result = push_review(
        wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes, upgrade=offers
    )
    assert len(offers) == 1 and "UpgradeLensReview" not in emulator.operations()
    assert result.outcome is PushOutcome.WRITTEN
    assert result.plan.upgrade_offer == offers[0] and result.plan.lens_upgrade is None
    assert any("NOT_CURRENT (version 2019-11-01)" in w for w in result.plan.warnings)
    written = next(r for r in emulator.requests if r.operation == "UpdateAnswer")
    assert "sec_old_q2_a1" in written.params["ChoiceUpdates"]  # mapped by title to the old ids
    assert lens_review(wa_client, workload_id)["LensStatus"] == "NOT_CURRENT"


def test_without_a_decision_nothing_is_upgraded(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = old_workload(emulator, wa_client)
    push_review(wa_client, sec2_payload(), PushOptions(workload_id=workload_id), confirm=yes)
    assert "UpgradeLensReview" not in emulator.operations()
    assert "UpdateAnswer" in emulator.operations()


def test_a_dry_run_never_asks_never_upgrades_and_says_an_upgrade_would_be_offered(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client)
    offers = Offers(True)
    options = PushOptions(workload_id=workload_id, dry_run=True, upgrade_milestone_name="pre")
    result = push_review(wa_client, sec2_payload(), options, confirm=yes, upgrade=offers)
    assert result.outcome is PushOutcome.DRY_RUN and offers == [] and emulator.writes() == []
    offer = result.plan.upgrade_offer
    assert offer is not None and offer.milestone_name == "pre"
    text = "\n".join(result.plan.describe())
    assert "a push would offer to upgrade the lens review first (milestone 'pre'" in text
    assert "a dry run never upgrades" in text


def test_an_old_version_without_our_question_is_answered_after_the_upgrade(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    """The offer comes before the question is looked up: the old version may not map at all."""
    old = serverless_lens(
        status="NOT_CURRENT", version="2019-11-01", sec2_id="sec_old", sec2_title="Old wording?"
    )
    emulator.set_lens(old, latest=NEW_LENS)
    workload_id = str(
        wa_client.create_workload(
            WorkloadName="Legacy",
            Description="Legacy API",
            Environment="PRODUCTION",
            ReviewOwner="platform-team",
            Lenses=["serverless"],
            AwsRegions=["us-east-1"],
        )["WorkloadId"]
    )
    with pytest.raises(WaToolError, match="Expected question sec_q2") as err:
        plan_push(wa_client, sec2_payload(), PushOptions(workload_id=workload_id))
    assert "NOT_CURRENT (version 2019-11-01): upgrading it first" in err.value.hint

    result = push_review(
        wa_client,
        sec2_payload(),
        PushOptions(workload_id=workload_id),
        confirm=yes,
        upgrade=Offers(True),
    )
    assert result.outcome is PushOutcome.WRITTEN and result.plan.diff.question_id == "sec_q2"
    with pytest.raises(ClientError, match="No question with ID sec_old"):  # retired by the upgrade
        wa_client.get_answer(WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_old")


def test_a_failure_after_the_upgrade_says_the_upgrade_was_made(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    beyond_repair = serverless_lens(sec2_id="sec_q9", sec2_title="Something else?", version="2021")
    workload_id = old_workload(emulator, wa_client, latest=beyond_repair)
    options = PushOptions(workload_id=workload_id, upgrade_milestone_name="pre-upgrade")
    with pytest.raises(WaToolError) as err:
        push_review(wa_client, sec2_payload(), options, confirm=yes, upgrade=Offers(True))
    assert err.value.message.startswith("Expected question sec_q2")
    assert "lens review was upgraded first (milestone 'pre-upgrade'" in err.value.message
    assert "no answer was written" in err.value.message
    assert [r.operation for r in emulator.writes()] == ["UpgradeLensReview"]


def test_a_milestone_name_in_use_is_a_clear_error_and_nothing_changes(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client)
    wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="quarterly review")
    options = PushOptions(workload_id=workload_id, upgrade_milestone_name="quarterly review")
    with pytest.raises(WaToolError) as err:
        push_review(wa_client, sec2_payload(), options, confirm=yes, upgrade=Offers(True))
    assert "UpgradeLensReview on workload 'Orders Service' failed: ConflictException" in str(
        err.value.message
    )
    assert "The lens review was not upgraded and nothing was written." in err.value.message
    assert "--upgrade-milestone" in err.value.hint
    assert "UpdateAnswer" not in emulator.operations()
    assert lens_review(wa_client, workload_id)["LensStatus"] == "NOT_CURRENT"


def test_throttling_that_outlasts_the_retries_is_a_clear_error(
    emulator: WaToolEmulator, wa_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0
    )
    workload_id = old_workload(emulator, wa_client)
    emulator.throttle(10, operation="UpgradeLensReview")
    with pytest.raises(WaToolError, match=r"UpgradeLensReview .*ThrottlingException") as err:
        push_review(
            wa_client,
            sec2_payload(),
            PushOptions(workload_id=workload_id),
            confirm=yes,
            upgrade=Offers(True),
        )
    assert "not upgraded" in err.value.message and "wait a minute" in err.value.hint
    tries = [r for r in emulator.requests if r.operation == "UpgradeLensReview"]
    assert len(tries) > 1  # botocore retried it, with the same token each time
    assert len({r.params["ClientRequestToken"] for r in tries}) == 1


def test_a_milestone_name_out_of_bounds_is_refused_before_any_call(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    options = PushOptions(workload_id="0" * 32, upgrade_milestone_name="x")
    with pytest.raises(UsageError, match="must be 3-100 characters") as err:
        plan_push(wa_client, sec2_payload(), options)
    assert err.value.exit_code == 2 and emulator.requests == []


# -- the emulator's UpgradeLensReview --------------------------------------------------------


def test_the_emulator_carries_answers_over_as_the_service_was_observed_to(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client)
    args = {"WorkloadId": workload_id, "LensAlias": "serverless"}
    wa_client.update_answer(
        QuestionId="sec_q3", IsApplicable=False, Reason="OUT_OF_SCOPE", Notes="No code here", **args
    )
    wa_client.update_answer(QuestionId="sec_q1", SelectedChoices=["sec_sec_q1_a1"], **args)
    reply = wa_client.upgrade_lens_review(MilestoneName="before", **args)
    assert set(reply) == {"ResponseMetadata"}  # the operation has no output

    sec2 = wa_client.get_answer(QuestionId="sec_q2", **args)["Answer"]
    assert sec2["SelectedChoices"] == []  # a kept question whose choice ids are all new
    assert sec2["Notes"] == "Reviewed in the console on the old lens"
    sec3 = wa_client.get_answer(QuestionId="sec_q3", **args)["Answer"]
    assert (sec3["IsApplicable"], sec3["Reason"], sec3["Notes"]) == (
        False,
        "OUT_OF_SCOPE",
        "No code here",
    )
    sec1 = wa_client.get_answer(QuestionId="sec_q1", **args)["Answer"]
    assert sec1["SelectedChoices"] == ["sec_sec_q1_a1"]  # choice ids unchanged: kept
    review = lens_review(wa_client, workload_id)
    assert (review["LensStatus"], review["LensVersion"]) == ("CURRENT", "2020-02-04")


def test_the_emulator_refuses_a_taken_name_a_current_review_and_keeps_retries_idempotent(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = old_workload(emulator, wa_client, latest=None)  # default: one day newer
    args = {"WorkloadId": workload_id, "LensAlias": "serverless"}
    wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="taken")
    with pytest.raises(ClientError) as err:
        wa_client.upgrade_lens_review(MilestoneName="taken", **args)
    assert err.value.response["Error"]["Code"] == "ConflictException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert lens_review(wa_client, workload_id)["LensStatus"] == "NOT_CURRENT"

    wa_client.upgrade_lens_review(MilestoneName="free", ClientRequestToken="t-1", **args)
    wa_client.upgrade_lens_review(MilestoneName="free", ClientRequestToken="t-1", **args)  # retry
    assert lens_review(wa_client, workload_id)["LensVersion"] == "2019-11-02"
    milestones = wa_client.list_milestones(WorkloadId=workload_id)["MilestoneSummaries"]
    assert [m["MilestoneName"] for m in milestones] == ["taken", "free"]
    with pytest.raises(ClientError) as err:
        wa_client.upgrade_lens_review(MilestoneName="again", **args)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "CURRENT" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        wa_client.upgrade_lens_review(MilestoneName="m" * 101, **args)  # botocore checks min
    assert err.value.response["Error"]["Message"].startswith("MilestoneName: length 101")
