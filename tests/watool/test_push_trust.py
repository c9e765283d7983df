"""Push you can trust: nothing written before yes, a dry run writes nothing anywhere, the session's
workload is used, the milestone cap and a failed milestone, the workload's coverage, shared
workloads and unknown Regions. Every test runs real boto3 against the emulator; its request log
proves what was and was not sent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.watool.conftest import create_workload, emulator_client, sec2_payload
from tests.watool.socket_guard import loopback_only
from wa_review.cli import cli
from wa_review.review.store import load_session
from wa_review.watool.emulator import WaToolEmulator
from wa_review.watool.milestone import MILESTONES_MAX

FIXTURES = Path(__file__).resolve().parents[1] / "report" / "fixtures"
READS = ("Get", "List")


def push(emulator: WaToolEmulator, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["push", *args], env={"AWS_ENDPOINT_URL": emulator.url}, input=input
    )


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    """A review session as `assess` leaves it: workload orders-platform, PRODUCTION, owner
    alice@example.com, evidence from eu-west-1 and us-east-1 in account 111122223333."""
    for name in ("review.yaml", "evidence.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "review.yaml"


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(sec2_payload().to_interchange()), encoding="utf-8")
    return path


def only_reads(emulator: WaToolEmulator) -> bool:
    return all((r.operation or "").startswith(READS) for r in emulator.requests)


def test_no_on_the_cli_sends_no_write_for_a_session(
    emulator: WaToolEmulator, session_file: Path
) -> None:
    before = session_file.read_bytes()
    result = push(emulator, str(session_file), "--create", input="n\n")
    assert result.exit_code == 0, result.output
    assert emulator.writes() == [] and only_reads(emulator)
    assert "Nothing was written to the WA Tool." in result.output
    assert "Recorded" not in result.output and session_file.read_bytes() == before


def test_a_dry_run_writes_nothing_anywhere(emulator: WaToolEmulator, session_file: Path) -> None:
    wa = emulator_client(emulator)
    create_workload(wa, "orders-platform")
    emulator.clear_log()
    before, stat = session_file.read_bytes(), session_file.stat()
    result = push(emulator, str(session_file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert emulator.writes() == [] and only_reads(emulator)
    assert session_file.read_bytes() == before
    assert session_file.stat().st_mtime_ns == stat.st_mtime_ns
    assert not session_file.with_name("review.yaml.bak").exists()
    assert not list(session_file.parent.glob("*.bak"))
    assert "Recorded" not in result.output and "Dry run: nothing was written." in result.output


def test_push_uses_and_shows_the_workload_stored_by_assess(
    emulator: WaToolEmulator, session_file: Path
) -> None:
    result = push(emulator, str(session_file), "--create", "--yes")
    assert result.exit_code == 0, result.output
    assert (
        "Workload from the session unless given: name 'orders-platform', environment "
        "PRODUCTION, review owner 'alice@example.com'"
    ) in result.output
    created = emulator.writes()[0]
    assert created.operation == "CreateWorkload"
    assert created.params["WorkloadName"] == "orders-platform"
    assert created.params["Environment"] == "PRODUCTION"
    assert created.params["ReviewOwner"] == "alice@example.com"
    assert created.params["Description"] == "Order intake APIs | <i>beta</i>"
    # What the evidence covers, not the Region the push talks to.
    assert created.params["AwsRegions"] == ["eu-west-1", "us-east-1"]
    assert created.params["AccountIds"] == ["111122223333"]


def test_command_line_values_override_the_session(
    emulator: WaToolEmulator, session_file: Path
) -> None:
    args = ["--workload-name", "Orders B", "--create", "--environment", "PREPRODUCTION"]
    result = push(emulator, str(session_file), *args, "--review-owner", "bob", "--yes")
    assert result.exit_code == 0, result.output
    created = emulator.writes()[0].params
    assert (created["WorkloadName"], created["Environment"], created["ReviewOwner"]) == (
        "Orders B",
        "PREPRODUCTION",
        "bob",
    )
    assert created["Description"] == "Order intake APIs | <i>beta</i>"  # from the session


def test_an_existing_workload_is_offered_the_accounts_and_regions_reviewed(
    emulator: WaToolEmulator, session_file: Path
) -> None:
    wa = emulator_client(emulator)
    workload_id = create_workload(wa, "orders-platform")  # us-east-1 only, no accounts
    emulator.clear_log()
    declined = push(emulator, str(session_file), input="n\n")
    assert "Workload update (UpdateWorkload), so it names what the evidence covers:" in (
        declined.output
    )
    assert "  + AWS Regions: eu-west-1" in declined.output
    assert "  + account ids: 111122223333" in declined.output
    assert emulator.writes() == []
    push(emulator, str(session_file), "--yes")
    update = next(r for r in emulator.writes() if r.operation == "UpdateWorkload")
    assert update.params["AwsRegions"] == ["us-east-1", "eu-west-1"]
    workload = wa.get_workload(WorkloadId=workload_id)["Workload"]
    assert workload["AccountIds"] == ["111122223333"]
    emulator.clear_log()
    push(emulator, str(session_file), "--no-update-workload", "--yes")
    assert "UpdateWorkload" not in emulator.operations()


def test_the_milestone_cap_is_found_before_writing_and_the_answer_still_goes(
    emulator: WaToolEmulator, answer_file: Path
) -> None:
    wa = emulator_client(emulator)
    workload_id = create_workload(wa, "Orders")
    for n in range(MILESTONES_MAX):
        wa.create_milestone(WorkloadId=workload_id, MilestoneName=f"m{n:03d}")
    emulator.clear_log()
    result = push(emulator, str(answer_file), "--workload-name", "Orders", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Milestone: none (the workload holds 100 milestones, the most the WA Tool allows" in (
        result.output
    )
    assert "Writes on yes, in this order: UpdateAnswer." in result.output
    assert [r.operation for r in emulator.writes()] == ["UpdateAnswer"]
    assert "ServiceQuotaExceededException" not in {r.error_code for r in emulator.requests}


def test_no_milestone_pushes_without_one(emulator: WaToolEmulator, answer_file: Path) -> None:
    create_workload(emulator_client(emulator), "Orders")
    emulator.clear_log()
    result = push(
        emulator, str(answer_file), "--workload-name", "Orders", "--no-milestone", "--yes"
    )
    assert result.exit_code == 0, result.output
    assert "Milestone: none (--no-milestone)" in result.output
    assert [r.operation for r in emulator.writes()] == ["UpdateAnswer"]


def test_a_milestone_that_failed_after_the_write_is_recorded_and_retried(
    emulator: WaToolEmulator, session_file: Path
) -> None:
    create_workload(emulator_client(emulator), "orders-platform")
    emulator.refuse(1, operation="CreateMilestone", code="AccessDeniedException")
    args = [str(session_file), "--milestone", "Q3 review", "--no-update-workload", "--yes"]
    failed = push(emulator, *args)
    assert failed.exit_code != 0
    assert "No milestone was created" in str(failed.exception) or "No milestone" in failed.output
    record = load_session(session_file).watool
    assert record is not None and record.pending_milestone == "Q3 review"
    emulator.throttle(0)
    emulator.clear_log()
    again = push(emulator, str(session_file), "--no-update-workload", "--yes")
    assert again.exit_code == 0, again.output
    assert "Milestone (CreateMilestone): 'Q3 review' (retrying the one the last push" in (
        again.output
    )
    assert [r.operation for r in emulator.writes()] == ["CreateMilestone"]  # the answer is there
    record = load_session(session_file).watool
    assert record is not None and record.pending_milestone is None
    assert record.milestone_number == 1


def test_a_workload_shared_read_only_says_so(emulator: WaToolEmulator, answer_file: Path) -> None:
    workload_id = create_workload(emulator_client(emulator), "Orders")
    emulator.share_read_only(workload_id, owner="210987654321")
    result = push(emulator, str(answer_file), "--workload-name", "Orders", "--yes")
    assert result.exit_code != 0
    error = result.exception
    assert error is not None
    hint = getattr(error, "hint", "")
    assert "shared with this account read-only by account 210987654321" in hint
    assert "Grant wellarchitected" not in hint
    assert "Nothing was written" in getattr(error, "message", "")


def test_an_unknown_region_fails_at_once_with_a_hint(
    answer_file: Path, aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with loopback_only(monkeypatch) as refused:
        result = CliRunner().invoke(
            cli, ["push", str(answer_file), "--workload-name", "Orders", "--region", "us-east-9"]
        )
    assert result.exit_code != 0
    error = result.exception
    assert "no endpoint in Region 'us-east-9'" in getattr(error, "message", "")
    assert "us-east-1" in getattr(error, "hint", "")
    assert refused == []  # refused before any connection was even tried


def test_the_plan_names_the_workload_owner_account(
    emulator: WaToolEmulator, wa_client: Any
) -> None:
    workload_id = create_workload(wa_client, "Orders")
    summary = wa_client.list_workloads()["WorkloadSummaries"][0]
    assert summary["Owner"] == "123456789012"  # the account, not the review owner
    assert wa_client.get_workload(WorkloadId=workload_id)["Workload"]["ReviewOwner"] == (
        "platform-team"
    )
