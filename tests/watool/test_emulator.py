"""The WA Tool emulator behaves as the documented service does, through a real boto3 client."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from typing import Any

import boto3
import botocore.retries.standard
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wa_review.watool.emulator import OPERATIONS, WaToolEmulator
from wa_review.watool.emulator_lens import serverless_lens
from wa_review.watool.emulator_report import minimal_pdf

WORKLOAD = {
    "Description": "Orders service",
    "Environment": "PRODUCTION",
    "ReviewOwner": "platform-team",
    "Lenses": ["serverless"],
    "AwsRegions": ["us-east-1"],
}


def create(client: Any, name: str = "orders", **extra: Any) -> str:
    return str(client.create_workload(WorkloadName=name, **{**WORKLOAD, **extra})["WorkloadId"])


def code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return str(err.value.response["Error"]["Code"])


def test_every_emulated_operation_exists_in_the_botocore_model() -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    assert set(OPERATIONS) <= set(model.operation_names)


def test_workload_names_are_unique_ignoring_case_and_spaces(wa_client: Any) -> None:
    create(wa_client, "Orders Service")
    with pytest.raises(ClientError) as err:
        create(wa_client, "orders  service")
    assert code(err) == "ConflictException"
    with pytest.raises(ClientError) as err:
        create(wa_client, "ordersservice")
    assert code(err) == "ConflictException"


def test_create_workload_validates_required_fields_and_enums(wa_client: Any) -> None:
    with pytest.raises(ClientError) as err:
        create(wa_client, Environment="STAGING")
    assert code(err) == "ValidationException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as err:
        create(wa_client, AwsRegions=[])
    assert "AwsRegions" in str(err.value)


def test_the_framework_lens_is_always_attached(wa_client: Any) -> None:
    workload_id = create(wa_client)
    lenses = wa_client.get_workload(WorkloadId=workload_id)["Workload"]["Lenses"]
    assert lenses == ["wellarchitected", "serverless"]
    review = wa_client.get_lens_review(WorkloadId=workload_id, LensAlias="wellarchitected")
    assert review["LensReview"]["LensStatus"] == "CURRENT"


def test_list_answers_pages_of_at_most_50(emulator: WaToolEmulator, wa_client: Any) -> None:
    emulator.set_lens(serverless_lens(filler_questions=60))
    workload_id = create(wa_client)
    args = {"WorkloadId": workload_id, "LensAlias": "serverless", "PillarId": "security"}
    with pytest.raises(ClientError) as err:
        wa_client.list_answers(MaxResults=51, **args)
    assert "between 1 and 50" in str(err.value)
    first = wa_client.list_answers(MaxResults=50, **args)
    second = wa_client.list_answers(MaxResults=50, NextToken=first["NextToken"], **args)
    ids = [a["QuestionId"] for a in first["AnswerSummaries"] + second["AnswerSummaries"]]
    assert len(first["AnswerSummaries"]) == 50
    assert "NextToken" not in second
    assert ids[0] == "sec_q1" and ids[-2:] == ["sec_q2", "sec_q3"] and len(ids) == 63


def test_selected_choices_replace_and_choice_updates_merge(wa_client: Any) -> None:
    workload_id = create(wa_client)
    args = {"WorkloadId": workload_id, "LensAlias": "serverless", "QuestionId": "sec_q2"}
    wa_client.update_answer(SelectedChoices=["sec_sec_q2_a1", "sec_sec_q2_a2"], **args)
    wa_client.update_answer(SelectedChoices=["sec_sec_q2_a4"], **args)
    assert wa_client.get_answer(**args)["Answer"]["SelectedChoices"] == ["sec_sec_q2_a4"]
    wa_client.update_answer(
        ChoiceUpdates={"sec_sec_q2_a1": {"Status": "SELECTED", "Notes": "scoped"}}, **args
    )
    answer = wa_client.get_answer(**args)["Answer"]
    assert answer["SelectedChoices"] == ["sec_sec_q2_a1", "sec_sec_q2_a4"]
    notes = {c["ChoiceId"]: c.get("Notes") for c in answer["ChoiceAnswers"]}
    assert notes["sec_sec_q2_a1"] == "scoped"


@pytest.mark.parametrize(
    ("update", "fragment"),
    [
        ({"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "BOGUS"}}}, "Status"),
        ({"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "SELECTED", "Reason": "X"}}}, "Reason"),
        ({"ChoiceUpdates": {"sec_sec_q2_a1": {"Status": "SELECTED", "Notes": "n" * 251}}}, "Notes"),
        ({"ChoiceUpdates": {"sec_sec_q2_no": {"Status": "NOT_APPLICABLE"}}}, "None of these"),
        ({"ChoiceUpdates": {"sec_sec_q2_zz": {"Status": "SELECTED"}}}, "No choice"),
        ({"Notes": "n" * 2085}, "Notes"),
        ({"IsApplicable": False, "Reason": "BECAUSE"}, "Reason"),
    ],
)
def test_update_answer_validates_what_botocore_does_not(
    wa_client: Any, update: dict[str, Any], fragment: str
) -> None:
    workload_id = create(wa_client)
    with pytest.raises(ClientError) as err:
        wa_client.update_answer(
            WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_q2", **update
        )
    assert code(err) == "ValidationException"
    assert fragment in err.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("statuses", "risk"),
    [
        ({}, "UNANSWERED"),
        ({"sec_sec_q2_a1": "SELECTED"}, "HIGH"),
        ({"sec_sec_q2_a1": "SELECTED", "sec_sec_q2_a4": "NOT_APPLICABLE"}, "MEDIUM"),
        ({f"sec_sec_q2_{a}": "SELECTED" for a in ("a1", "a2", "a3", "a4")}, "NONE"),
        ({"sec_sec_q2_no": "SELECTED"}, "HIGH"),
    ],
)
def test_risk_follows_the_emulator_rule(
    wa_client: Any, statuses: dict[str, str], risk: str
) -> None:
    workload_id = create(wa_client)
    updates = {cid: {"Status": status} for cid, status in statuses.items()}
    answer = wa_client.update_answer(
        WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_q2", ChoiceUpdates=updates
    )["Answer"]
    assert answer["Risk"] == risk
    not_applicable = wa_client.update_answer(
        WorkloadId=workload_id,
        LensAlias="serverless",
        QuestionId="sec_q2",
        IsApplicable=False,
        Reason="OUT_OF_SCOPE",
    )["Answer"]
    assert not_applicable["Risk"] == "NOT_APPLICABLE"


def test_milestone_names_are_unique_and_reports_are_pdfs(wa_client: Any) -> None:
    workload_id = create(wa_client)
    number = wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="first review")
    with pytest.raises(ClientError) as err:
        wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="first review")
    assert code(err) == "ConflictException"
    report = wa_client.get_lens_review_report(
        WorkloadId=workload_id, LensAlias="serverless", MilestoneNumber=number["MilestoneNumber"]
    )["LensReviewReport"]
    assert base64.b64decode(report["Base64String"]).startswith(b"%PDF")


def test_the_pdf_cross_reference_points_at_its_objects() -> None:
    pdf = minimal_pdf(["Workload: orders", "sec_q2 [HIGH] (parentheses) and \\ backslash ’"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref_at:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n", pdf)
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)


def test_a_new_workload_is_not_found_for_a_window(emulator: WaToolEmulator, wa_client: Any) -> None:
    emulator.set_not_found_window(2)
    workload_id = create(wa_client)
    for _ in range(2):
        with pytest.raises(ClientError) as err:
            wa_client.get_workload(WorkloadId=workload_id)
        assert code(err) == "ResourceNotFoundException"
    assert wa_client.get_workload(WorkloadId=workload_id)["Workload"]["WorkloadName"] == "orders"


@pytest.mark.parametrize("status", [400, 429])
def test_throttling_is_retried_by_botocore(
    emulator: WaToolEmulator, wa_client: Any, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    monkeypatch.setattr(
        botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0
    )
    emulator.throttle(2, status=status)
    response = wa_client.list_workloads(MaxResults=10)
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [r.status for r in emulator.requests] == [status, status, 200]
    emulator.throttle(10)
    with pytest.raises(ClientError) as err:
        wa_client.list_workloads(MaxResults=10)
    assert code(err) == "ThrottlingException"


def test_operations_it_does_not_emulate_fail_clearly(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create(wa_client)
    with pytest.raises(ClientError) as err:
        wa_client.delete_workload(WorkloadId=workload_id)
    assert "not emulated" in str(err.value)
    assert emulator.writes()[-1].operation == "DeleteWorkload"


def test_it_logs_requests_with_operation_params_and_signing_region(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create(wa_client)
    wa_client.list_answers(WorkloadId=workload_id, LensAlias="serverless", PillarId="security")
    logged = emulator.requests[-1]
    assert logged.operation == "ListAnswers" and logged.method == "GET"
    assert logged.params["PillarId"] == "security" and logged.region == "us-east-1"
    assert not logged.is_write and emulator.requests[0].is_write


def test_it_runs_standalone_on_loopback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wa_review.watool.emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        import urllib.request

        request = urllib.request.Request(f"{url}/workloadsSummaries", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.status == 200
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_an_emulator_bug_is_answered_as_a_500(
    emulator: WaToolEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(state: object, params: object) -> dict[str, Any]:
        raise KeyError("oops")

    monkeypatch.setitem(OPERATIONS, "ListWorkloads", broken)
    client = boto3.client(
        "wellarchitected",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ClientError) as err:
        client.list_workloads()
    assert code(err) == "InternalServerException" and "KeyError" in str(err.value)
    assert emulator.requests[-1].status == 500
