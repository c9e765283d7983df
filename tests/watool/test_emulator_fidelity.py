"""Where the emulator follows the WA Tool's contract (botocore's `wellarchitected` model and
AWS's documentation), through real boto3; and `wa-review emulator` runs it for anyone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner

from tests.watool.conftest import create_workload, emulator_client, sec2_payload
from wa_review.cli import cli
from wa_review.watool.emulator import WaToolEmulator


def code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return str(err.value.response["Error"]["Code"])


def test_workloads_live_in_their_region(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = create_workload(wa_client, "Orders")
    elsewhere = emulator_client(emulator, "eu-west-1")
    with pytest.raises(ClientError) as err:
        elsewhere.get_workload(WorkloadId=workload_id)
    assert code(err) == "ResourceNotFoundException"
    assert elsewhere.list_workloads()["WorkloadSummaries"] == []
    # The same name is free in another Region (names are unique per account and Region).
    other = create_workload(elsewhere, "Orders")
    arn = elsewhere.get_workload(WorkloadId=other)["Workload"]["WorkloadArn"]
    assert arn.startswith("arn:aws:wellarchitected:eu-west-1:123456789012:workload/")


def test_a_pasted_arn_from_another_region_is_refused_not_dropped(
    emulator: WaToolEmulator, answer_file: Path
) -> None:
    workload_id = create_workload(emulator_client(emulator, "eu-west-1"), "Orders")
    arn = f"arn:aws:wellarchitected:eu-west-1:123456789012:workload/{workload_id}"
    emulator.clear_log()
    result = CliRunner().invoke(
        cli,
        ["push", str(answer_file), "--workload-id", arn, "--region", "us-east-1", "--dry-run"],
        env={"AWS_ENDPOINT_URL": emulator.url},
    )
    assert result.exit_code != 0
    assert "--region eu-west-1" in getattr(result.exception, "hint", "")
    assert emulator.requests == []


def test_owner_is_the_account_and_lens_arns_follow_aws(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client)
    workload = wa_client.get_workload(WorkloadId=workload_id)["Workload"]
    assert workload["Owner"] == "123456789012" and workload["ReviewOwner"] == "platform-team"
    arn = "arn:aws:wellarchitected:us-east-1::lens/serverless"
    review = wa_client.get_lens_review(WorkloadId=workload_id, LensAlias=arn)["LensReview"]
    assert review["LensArn"] == arn and review["LensAlias"] == "serverless"
    assert wa_client.get_lens(LensAlias="serverless")["Lens"]["LensArn"] == arn


def test_workload_ids_and_limits_are_validated(emulator: WaToolEmulator, wa_client: Any) -> None:
    with pytest.raises(ClientError) as err:
        wa_client.get_workload(WorkloadId="Z" * 32)  # right length, not [0-9a-f]
    assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        wa_client.create_workload(
            WorkloadName="Too many",
            Description="Regions",
            Environment="PRODUCTION",
            ReviewOwner="me-the-owner",
            Lenses=["serverless"],
            AwsRegions=[f"r-{n}" for n in range(51)],
        )
    assert code(err) == "ValidationException" and "AwsRegions" in str(err.value)
    workload_id = create_workload(wa_client)
    emulator.state.lenses.update(
        {f"lens{n}": emulator.state.lenses["serverless"] for n in range(20)}
    )
    with pytest.raises(ClientError) as err:
        wa_client.associate_lenses(
            WorkloadId=workload_id, LensAliases=[f"lens{n}" for n in range(10)]
        )
        wa_client.associate_lenses(
            WorkloadId=workload_id, LensAliases=[f"lens{n}" for n in range(10, 20)]
        )
    assert code(err) == "ServiceQuotaExceededException"


def test_create_milestone_honours_the_client_request_token(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client)
    first = wa_client.create_milestone(
        WorkloadId=workload_id, MilestoneName="Q1 review", ClientRequestToken="token-1"
    )
    again = wa_client.create_milestone(
        WorkloadId=workload_id, MilestoneName="Q1 review", ClientRequestToken="token-1"
    )
    assert first["MilestoneNumber"] == again["MilestoneNumber"] == 1
    listed = wa_client.list_milestones(WorkloadId=workload_id)["MilestoneSummaries"]
    assert len(listed) == 1


def test_a_read_only_share_refuses_writes(emulator: WaToolEmulator, wa_client: Any) -> None:
    workload_id = create_workload(wa_client)
    emulator.share_read_only(workload_id)
    with pytest.raises(ClientError) as err:
        wa_client.update_answer(
            WorkloadId=workload_id, LensAlias="serverless", QuestionId="sec_q2", Notes="x"
        )
    assert code(err) == "AccessDeniedException"
    assert wa_client.get_workload(WorkloadId=workload_id)["Workload"]["Owner"] == "210987654321"


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(sec2_payload().to_interchange()), encoding="utf-8")
    return path


def test_wa_review_emulator_runs_it_on_loopback_for_a_push(
    answer_file: Path, aws_env: None
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wa_review", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        args = ["push", str(answer_file), "--workload-name", "Try it", "--create"]
        args += ["--environment", "PREPRODUCTION", "--review-owner", "me-again"]
        result = CliRunner().invoke(
            cli,
            [*args, "--description", "Trying push", "--yes"],
            env={"AWS_ENDPOINT_URL_WELLARCHITECTED": url},
        )
        assert result.exit_code == 0, result.output
        assert "Risk reported by the WA Tool: UNANSWERED -> MEDIUM" in result.output
    finally:
        process.terminate()
        process.wait(timeout=10)
