"""`wa-review push --upgrade-lens / --no-upgrade-lens / --upgrade-milestone` against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.watool.conftest import NEW_LENS, OLD_LENS, create_workload, sec2_payload
from wa_review.cli import cli, main
from wa_review.watool.emulator import WaToolEmulator

PROMPT = "Include the lens upgrade in the plan? [y/N]"


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(sec2_payload().to_interchange()), encoding="utf-8")
    return path


@pytest.fixture
def workload_id(emulator: WaToolEmulator, wa_client: Any) -> str:
    """ "Orders" on the NOT_CURRENT lens version; the log starts empty."""
    emulator.set_lens(OLD_LENS, latest=NEW_LENS)
    workload_id = create_workload(wa_client)
    emulator.clear_log()
    return workload_id


def push(
    emulator: WaToolEmulator, answer_file: Path, *args: str, input: str | None = None
) -> Result:
    return CliRunner().invoke(
        cli,
        ["push", str(answer_file), "--workload-name", "Orders", *args],
        env={"AWS_ENDPOINT_URL": emulator.url},
        input=input,
    )


def upgrades(emulator: WaToolEmulator) -> list[str]:
    return [
        r.params["MilestoneName"] for r in emulator.writes() if r.operation == "UpgradeLensReview"
    ]


def lens_status(wa_client: Any, workload_id: str) -> str:
    review = wa_client.get_lens_review(WorkloadId=workload_id, LensAlias="serverless")
    return str(review["LensReview"]["LensStatus"])


def test_upgrade_lens_upgrades_then_pushes_to_the_new_version(
    emulator: WaToolEmulator, wa_client: Any, workload_id: str, answer_file: Path
) -> None:
    args = ["--upgrade-lens", "--upgrade-milestone", "Before the 2020 lens", "--yes"]
    result = push(emulator, answer_file, *args)
    assert result.exit_code == 0, result.output
    assert PROMPT not in result.output
    assert (
        "Lens review upgraded: serverless version 2019-11-01 -> 2020-02-04; milestone "
        "'Before the 2020 lens' holds the answers from before" in result.output
    )
    assert "Done: Lens review upgraded" in result.output
    assert [r.operation for r in emulator.writes()] == [
        "UpgradeLensReview",
        "UpdateAnswer",
        "CreateMilestone",
    ]
    assert upgrades(emulator) == ["Before the 2020 lens"]
    milestones = wa_client.list_milestones(WorkloadId=workload_id)["MilestoneSummaries"]
    assert milestones[0]["MilestoneName"] == "Before the 2020 lens"
    update = next(r for r in emulator.writes() if r.operation == "UpdateAnswer")
    assert "sec_sec_q2_a1" in update.params["ChoiceUpdates"]  # the new version's ids


def test_yes_alone_never_upgrades(
    emulator: WaToolEmulator, wa_client: Any, workload_id: str, answer_file: Path
) -> None:
    result = push(emulator, answer_file, "--yes")
    assert result.exit_code == 0, result.output
    assert upgrades(emulator) == [] and PROMPT not in result.output
    assert "warning: The serverless lens on this workload is NOT_CURRENT" in result.output
    assert "--yes never upgrades; add --upgrade-lens" in result.output
    assert "UpdateAnswer" in [r.operation for r in emulator.writes()]
    assert lens_status(wa_client, workload_id) == "NOT_CURRENT"


@pytest.mark.parametrize("extra", [[], ["--upgrade-lens"], ["--upgrade-lens", "--yes"]])
def test_dry_run_sends_no_write_and_shows_the_offer(
    emulator: WaToolEmulator, workload_id: str, answer_file: Path, extra: list[str]
) -> None:
    result = push(emulator, answer_file, "--dry-run", *extra)
    assert result.exit_code == 0, result.output
    assert emulator.writes() == [] and PROMPT not in result.output
    assert "a push would offer to upgrade the lens review first" in result.output
    assert "Dry run: nothing was written." in result.output


def test_answering_no_does_not_upgrade(
    emulator: WaToolEmulator, wa_client: Any, workload_id: str, answer_file: Path
) -> None:
    result = push(emulator, answer_file, input="n\ny\n")
    assert result.exit_code == 0, result.output
    assert f"{PROMPT}: n" in result.output
    assert "The serverless lens review on workload Orders is NOT_CURRENT" in result.output
    assert result.output.index(PROMPT) < result.output.index("Write all this to Orders")
    assert upgrades(emulator) == []
    assert [r.operation for r in emulator.writes()] == ["UpdateAnswer", "CreateMilestone"]
    assert lens_status(wa_client, workload_id) == "NOT_CURRENT"


def test_an_upgrade_in_the_plan_waits_for_yes_to_the_whole_plan(
    emulator: WaToolEmulator, wa_client: Any, workload_id: str, answer_file: Path
) -> None:
    declined = push(emulator, answer_file, input="y\nn\n")
    assert declined.exit_code == 0, declined.output
    assert "Lens upgrade (UpgradeLensReview): version 2019-11-01 -> current on yes" in (
        declined.output
    )
    assert "Writes on yes, in this order: UpgradeLensReview, UpdateAnswer" in declined.output
    assert "Nothing was written to the WA Tool." in declined.output
    assert emulator.writes() == [] and lens_status(wa_client, workload_id) == "NOT_CURRENT"

    result = push(emulator, answer_file, input="y\ny\n")
    assert result.exit_code == 0, result.output
    (name,) = upgrades(emulator)
    assert name.startswith("Before lens upgrade ") and name.endswith(" UTC")
    assert "Done: Lens review upgraded: serverless version 2019-11-01 -> 2020-02-04" in (
        result.output
    )
    assert [r.operation for r in emulator.writes()] == [
        "UpgradeLensReview",
        "UpdateAnswer",
        "CreateMilestone",
    ]
    assert lens_status(wa_client, workload_id) == "CURRENT"


def test_no_upgrade_lens_never_asks(
    emulator: WaToolEmulator, workload_id: str, answer_file: Path
) -> None:
    result = push(emulator, answer_file, "--no-upgrade-lens", input="n\n")
    assert result.exit_code == 0, result.output
    assert PROMPT not in result.output and upgrades(emulator) == []
    assert "Nothing was written to the WA Tool." in result.output and emulator.writes() == []


def test_a_milestone_name_in_use_is_a_clear_error_with_a_non_zero_exit(
    emulator: WaToolEmulator,
    wa_client: Any,
    workload_id: str,
    answer_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wa_client.create_milestone(WorkloadId=workload_id, MilestoneName="Q2 review")
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.url)
    args = ["push", str(answer_file), "--workload-name", "Orders", "--yes", "--upgrade-lens"]
    with pytest.raises(SystemExit) as exited:
        main([*args, "--upgrade-milestone", "Q2 review"])
    assert exited.value.code == 6
    err = capsys.readouterr().err
    assert "error: WA Tool UpgradeLensReview on workload 'Orders' failed: ConflictException" in err
    assert "The lens review was not upgraded and nothing was written." in err
    assert "hint: Milestone names are unique per workload" in err and "Traceback" not in err
    assert [r.operation for r in emulator.writes()] == ["CreateMilestone", "UpgradeLensReview"]
    assert lens_status(wa_client, workload_id) == "NOT_CURRENT"


def test_a_current_lens_has_nothing_to_upgrade(
    emulator: WaToolEmulator, wa_client: Any, answer_file: Path
) -> None:
    create_workload(wa_client)
    result = push(emulator, answer_file, "--upgrade-lens", "--yes")
    assert result.exit_code == 0, result.output
    assert "Nothing to upgrade: the serverless lens review is CURRENT." in result.output
    assert upgrades(emulator) == []
