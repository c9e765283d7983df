"""`wa-review report` never replaces a file without --force and never makes a folder it was
not asked to (the default reports/ folder is its own, and it says when it creates it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.report.test_cli import FIXTURES, run


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_existing_report_is_replaced_only_with_force(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = folder / "review.md"
    target.write_text("the reviewer's own edits\n", encoding="utf-8")
    assert run(["report", "review.yaml", "-o", "review.md"]) == 2
    err = capsys.readouterr().err
    assert "review.md already exists; nothing was written" in err and "--force" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "the reviewer's own edits\n"

    assert run(["report", "review.yaml", "-o", "review.md", "--force"]) == 0
    assert "Replaced review.md" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("# SEC2 review:")


def test_the_default_report_is_not_replaced_either(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["report", "review.yaml", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert "Created the folder reports" in out  # its own default folder, said out loud
    written = folder / "reports" / "orders-platform-sec2.html"
    before = written.read_bytes()
    assert run(["report", "review.yaml", "--format", "html"]) == 2
    assert "orders-platform-sec2.html already exists" in capsys.readouterr().err
    assert written.read_bytes() == before


@pytest.mark.parametrize("output", ["missing/r.md", "missing/deeper/r.md"])
def test_a_missing_folder_is_named_and_not_created(
    folder: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    assert run(["report", "review.yaml", "-o", output]) == 2
    err = capsys.readouterr().err
    assert "The folder missing does not exist; nothing was written" in err
    assert "Traceback" not in err
    assert not (folder / "missing").exists()


def test_a_folder_or_a_file_in_the_way_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "out").mkdir()
    assert run(["report", "review.yaml", "-o", "out"]) == 2
    assert (
        "Invalid value for '-o' / '--output': File 'out' is a directory" in capsys.readouterr().err
    )
    assert run(["report", "review.yaml", "-o", "review.yaml/r.md"]) == 2
    assert "review.yaml is a file, not a folder" in capsys.readouterr().err
