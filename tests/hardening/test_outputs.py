"""Every command that writes a file the user named refuses to replace it without --force and
to write into a folder that does not exist, before it does any work (the report command has
its own tests in tests/report/test_report_output.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.hardening.test_hostile_files import run_cli
from tests.report.fixtures.make_fixtures import HERE as REPORT_FIXTURES


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_aws: None) -> Path:
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(REPORT_FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials and nowhere to send a request: a command that got past its output check
    would fail on credentials (exit 3), not on the output (exit 2)."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_collect_refuses_to_replace_evidence_before_collecting(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (folder / "evidence.json").read_bytes()
    code, err = run_cli(capsys, "collect", "--region", "us-east-1", "-o", "evidence.json")
    assert code == 2 and "evidence.json already exists; nothing was written" in err
    assert "--force" in err and "Traceback" not in err
    assert (folder / "evidence.json").read_bytes() == before
    # With --force the output is fine: what stops it now is the missing credentials.
    code, err = run_cli(
        capsys, "collect", "--region", "us-east-1", "-o", "evidence.json", "--force"
    )
    assert code == 3, err
    assert (folder / "evidence.json").read_bytes() == before


def test_collect_names_a_missing_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, "collect", "--region", "us-east-1", "-o", "new/evidence.json")
    assert code == 2 and "The folder new does not exist; nothing was written" in err
    assert not (folder / "new").exists()


def test_assess_updates_a_session_but_never_makes_a_folder(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(capsys, "assess", "evidence.json", "-o", "sessions/review.yaml")
    assert code == 2 and "The folder sessions does not exist" in err
    assert not (folder / "sessions").exists()
    code, err = run_cli(capsys, "assess", "evidence.json", "-o", "review.yaml")
    assert code == 0, err  # an existing session is updated in place: its decisions are kept


def test_push_refuses_to_replace_the_pdf_before_asking_the_wa_tool(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "report.pdf").write_bytes(b"%PDF mine")
    args = ("push", "review.yaml", "--workload-name", "Orders", "--region", "us-east-1")
    code, err = run_cli(capsys, *args, "--pdf", "report.pdf", "--yes")
    assert code == 2 and "report.pdf already exists; nothing was written" in err
    assert (folder / "report.pdf").read_bytes() == b"%PDF mine"
    code, err = run_cli(capsys, *args, "--pdf", "out/report.pdf", "--yes")
    assert code == 2 and "The folder out does not exist" in err


def test_the_headless_demo_replaces_its_files_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / "sec2-review.md").write_text("kept\n", encoding="utf-8")
    code, err = run_cli(capsys, "demo", "--headless", "-o", str(out))
    assert code == 2 and f"{out} already holds sec2-review.md; nothing was written" in err
    assert "--force" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["sec2-review.md"]
