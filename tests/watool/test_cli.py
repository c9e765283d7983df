"""`wa-review push` against the emulator, reached only through AWS_ENDPOINT_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.watool.conftest import sec2_payload
from wa_review.cli import cli, main
from wa_review.watool.emulator import WaToolEmulator

CREATE = [
    "--create",
    "--environment",
    "PREPRODUCTION",
    "--review-owner",
    "platform-team",
    "--description",
    "Orders API",
]


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(sec2_payload().to_interchange()), encoding="utf-8")
    return path


def run(emulator: WaToolEmulator, *args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(
        cli, ["push", *args], env={"AWS_ENDPOINT_URL": emulator.url}, input=input
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_push_creates_writes_and_reports(
    emulator: WaToolEmulator, answer_file: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    args = [str(answer_file), "--workload-name", "Orders", *CREATE, "--pdf", str(pdf), "--yes"]
    output = run(emulator, *args, "--milestone", "first push")
    assert (
        "~ sec_sec_q2_a1  Evaluate and define resource policies: UNSELECTED -> SELECTED" in output
    )
    assert "Risk reported by the WA Tool: UNANSWERED -> MEDIUM" in output
    assert "Milestone: first push (#1)" in output and f"Lens review report: {pdf}" in output
    assert pdf.read_bytes().startswith(b"%PDF")
    created = emulator.writes()[0]
    assert (
        created.operation == "CreateWorkload" and created.params["Environment"] == "PREPRODUCTION"
    )
    assert all("wa-review/" in r.user_agent for r in emulator.requests)

    again = run(emulator, str(answer_file), "--workload-name", "orders", "--yes")
    assert "already holds this answer; no answer written (risk MEDIUM)" in again
    assert [r.operation for r in emulator.writes()].count("UpdateAnswer") == 1


def test_dry_run_and_declining_write_nothing(emulator: WaToolEmulator, answer_file: Path) -> None:
    dry = run(emulator, str(answer_file), "--workload-name", "Orders", *CREATE, "--dry-run")
    assert emulator.writes() == []
    assert "A push would write, in this order: CreateWorkload, UpdateAnswer" in dry
    declined = run(emulator, str(answer_file), "--workload-name", "Orders", *CREATE, input="n\n")
    # The whole plan was shown before the question, and "n" sent no write at all.
    assert declined.index("created on yes with:") < declined.index("Write all this to Orders?")
    assert (
        "  review owner: platform-team" in declined and "  environment: PREPRODUCTION" in declined
    )
    assert (
        "Writes on yes, in this order: CreateWorkload, UpdateAnswer, CreateMilestone." in declined
    )
    assert "Nothing was written to the WA Tool." in declined
    assert emulator.writes() == []
    assert {r.operation for r in emulator.requests} <= {"ListWorkloads", "GetLens"}
    output = run(emulator, str(answer_file), "--workload-name", "Orders", *CREATE, input="y\n")
    assert "Write all this to Orders? [y/N]" in output
    assert [r.operation for r in emulator.writes()] == [
        "CreateWorkload",
        "UpdateAnswer",
        "CreateMilestone",
    ]


def test_errors_have_a_message_a_hint_and_an_exit_code(
    emulator: WaToolEmulator,
    answer_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.url)
    with pytest.raises(SystemExit) as exited:
        main(["push", str(answer_file), "--workload-name", "Missing"])
    assert exited.value.code == 6
    err = capsys.readouterr().err
    assert "error: No WA Tool workload named 'Missing'" in err and "hint:" in err
    with pytest.raises(SystemExit) as exited:
        main(["push", str(answer_file), "--workload-name", "Orders", "--workload-id", "a" * 32])
    assert exited.value.code == 2
    assert "Pass at most one of --workload-name and --workload-id" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["push", str(answer_file), "--workload-name", "Orders", "--create"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Creating the workload needs --environment, --review-owner, --description" in err


def test_a_real_process_reaches_the_emulator_through_the_environment(
    emulator: WaToolEmulator, answer_file: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        AWS_ENDPOINT_URL_WELLARCHITECTED=emulator.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    args = [str(answer_file), "--workload-name", "Orders", *CREATE, "--region", "eu-west-1"]
    done = subprocess.run(
        [sys.executable, "-m", "wa_review", "push", *args, "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "WA Tool in eu-west-1" in done.stdout
    assert {r.region for r in emulator.requests} == {"eu-west-1"}
    assert emulator.writes()[0].params["AwsRegions"] == ["eu-west-1"]
