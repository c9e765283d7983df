"""Hostile input files through the command line: questionnaire YAML (`validate`), review sessions
(`report`, `assess -o`) and evidence JSON (`assess`, `report`).

Each must be refused quickly, with a non-zero exit and a message that names the file and the
field, and nothing written. Huge files and alias bombs run in a real process with a timeout, so
a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.report.fixtures.make_fixtures import HERE as REPORT_FIXTURES
from wa_review.cli import main
from wa_review.questionnaires import BUILTIN_DIR

QUESTIONNAIRE = BUILTIN_DIR / "serverless" / "sec_q2.yaml"
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""
FIVE_MB = 5 * 1024 * 1024


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`wa-review ARGS` in this process: (exit code, stderr)."""
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, capsys.readouterr().err


def run_process(*args: str, cwd: Path) -> tuple[int, str, float]:
    """`wa-review ARGS` in a child process, killed if it takes more than 30 s."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "wa_review", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
    )
    return done.returncode, done.stderr, time.monotonic() - started


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(REPORT_FIXTURES / name, tmp_path / name)
    return tmp_path


# -- questionnaires ----------------------------------------------------------------------------

QUESTIONNAIRE_EDITS: list[tuple[str, Callable[[str], str], tuple[str, ...]]] = [
    (
        "choices is not a list",
        lambda t: t.replace("choices:\n", "choices: nothing\nold_choices:\n", 1),
        ("choices",),
    ),
    (
        "a level that is a number",
        lambda t: t.replace("level: required", "level: 5", 1),
        ("choices[0].level",),
    ),
    ("an unknown top-level key", lambda t: t + "\ncolour: red\n", ("unknown key 'colour'",)),
    (
        "an unknown key in a choice",
        lambda t: t.replace("    level: required", "    level: required\n    weight: 3", 1),
        ("choices[0]", "unknown key 'weight'"),
    ),
    ("a duplicate key", lambda t: t + "\nquestion_id: sec_q9\n", ("duplicate key 'question_id'",)),
    ("not a mapping", lambda _t: "- just\n- a list\n", ("expected a mapping",)),
    (
        "deep nesting",
        lambda t: t + "\nx: " + "[" * 5000 + "]" * 5000 + "\n",
        ("nested too deeply",),
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [pytest.param(e, x, id=name) for name, e, x in QUESTIONNAIRE_EDITS],
)
def test_a_broken_questionnaire_is_refused_naming_file_and_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[str], str],
    expected: tuple[str, ...],
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(edit(QUESTIONNAIRE.read_text(encoding="utf-8")), encoding="utf-8")
    code, err = run_cli(capsys, "validate", str(path))
    assert code == 2, err
    assert "hostile.yaml" in err
    for needle in expected:
        assert needle in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(BOMB, "aliases (*name) are not allowed", id="alias-bomb"),
        pytest.param(None, "is more than the", id="5-MB"),
        pytest.param(b"\xff\xfe\x00binary", "not UTF-8", id="binary"),
    ],
)
@pytest.mark.parametrize("kind", ["questionnaire", "session"])
def test_bombs_and_huge_files_fail_fast_in_a_real_process(
    review_dir: Path, kind: str, content: str | bytes | None, expected: str
) -> None:
    path = review_dir / ("hostile.yaml" if kind == "questionnaire" else "review.yaml")
    if content is None:  # many small nodes: the slowest shape for a YAML parser
        lines = (f"k{i}: [{i}, {i}]\n" for i in range(FIVE_MB // 16))
        path.write_text("".join(lines)[:FIVE_MB], encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    args = ("validate", str(path)) if kind == "questionnaire" else ("report", str(path), "-o", "-")
    code, err, seconds = run_process(*args, cwd=review_dir)
    assert code == 2, err
    assert path.name in err and expected in err
    assert "Traceback" not in err
    assert seconds < 10  # a child process starts in about a second; parsing must add little


# -- review sessions ---------------------------------------------------------------------------

SESSION_EDITS: list[tuple[str, Callable[[str], str], tuple[str, ...]]] = [
    (
        "is_applicable is not a boolean",
        lambda t: t.replace("is_applicable: true", "is_applicable: maybe", 1),
        ("is_applicable",),
    ),
    (
        "an account id that is a number",
        lambda t: t.replace("  - '111122223333'", "  - 111", 1),
        ("workload.accounts[0]",),
    ),
    (
        "choices is a mapping",
        lambda t: t.replace("choices:\n", "choices: {}\nold:\n", 1),
        ("choices",),
    ),
    (
        "an unknown key in a choice",
        lambda t: t.replace("  decided_by: alice", "  decided_by: alice\n  colour: red", 1),
        ("choices[0]", "unknown key 'colour'"),
    ),
    (
        "a decision that does not exist",
        lambda t: t.replace("decision: UNSELECTED", "decision: MAYBE", 1),
        ("choices[0].decision",),
    ),
    ("an empty file", lambda _t: "", ("not a YAML mapping",)),
    (
        "a newer schema",
        lambda t: t.replace("schema_version: 1", "schema_version: 7", 1),
        ("newer",),
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(e, x, id=name) for name, e, x in SESSION_EDITS]
)
@pytest.mark.parametrize("command", ["report", "assess"])
def test_a_broken_session_is_refused_naming_file_and_field(
    review_dir: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    edit: Callable[[str], str],
    expected: tuple[str, ...],
) -> None:
    session = review_dir / "review.yaml"
    session.write_text(edit(session.read_text(encoding="utf-8")), encoding="utf-8")
    before = session.read_bytes()
    out = review_dir / "out.md"
    if command == "report":
        code, err = run_cli(capsys, "report", str(session), "-o", str(out))
    else:
        code, err = run_cli(capsys, "assess", str(review_dir / "evidence.json"), "-o", str(session))
    assert code == 2, err
    assert "review.yaml" in err
    for needle in expected:
        assert needle in err
    assert session.read_bytes() == before and not out.exists()


# -- evidence files ----------------------------------------------------------------------------


def _truncate(text: str) -> str:
    return text[: len(text) // 2]


def _bogus_status(text: str) -> str:
    data = json.loads(text)
    data["evidence"][3]["status"] = "bogus"
    return json.dumps(data)


def _deleted_field(text: str) -> str:
    data = json.loads(text)
    del data["evidence"][0]["check_id"]
    return json.dumps(data)


def _wrong_type(text: str) -> str:
    data = json.loads(text)
    data["stats"]["calls"] = ["lambda:ListFunctions"]
    return json.dumps(data)


def _extra_field(text: str) -> str:
    data = json.loads(text)
    data["evidence"][1]["injected"] = "<script>"
    return json.dumps(data)


EVIDENCE_EDITS: list[tuple[str, Callable[[str], str], tuple[str, ...]]] = [
    ("truncated", _truncate, ("not valid JSON",)),
    ("a status changed to bogus", _bogus_status, ("evidence.3.status",)),
    ("a field deleted", _deleted_field, ("evidence.0.check_id", "required")),
    ("a wrong type", _wrong_type, ("stats.calls",)),
    ("an extra field", _extra_field, ("evidence.1.injected",)),
    ("a list at the top", lambda _t: "[]", ("JSON object",)),
    ("nested arrays", lambda _t: "[" * 100_000 + "]" * 100_000, ("not valid JSON",)),
    ("not UTF-8", lambda _t: "\udcff", ("not valid JSON",)),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(e, x, id=name) for name, e, x in EVIDENCE_EDITS]
)
@pytest.mark.parametrize("command", ["assess", "report"])
def test_damaged_evidence_is_refused_naming_file_and_field(
    review_dir: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    edit: Callable[[str], str],
    expected: tuple[str, ...],
) -> None:
    evidence = review_dir / "evidence.json"
    evidence.write_bytes(
        edit(evidence.read_text(encoding="utf-8")).encode("utf-8", errors="surrogateescape")
    )
    if command == "assess":
        code, err = run_cli(capsys, "assess", str(evidence), "-o", str(review_dir / "new.yaml"))
        assert not (review_dir / "new.yaml").exists()
    else:
        out = review_dir / "out.md"
        code, err = run_cli(capsys, "report", str(review_dir / "review.yaml"), "-o", str(out))
        assert not out.exists()
    assert code == 2, err
    assert "evidence.json" in err
    for needle in expected:
        assert needle in err


def test_evidence_changed_but_still_valid_is_refused_by_its_hash(
    review_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = review_dir / "evidence.json"
    data = json.loads(evidence.read_text(encoding="utf-8"))
    failing = next(e for e in data["evidence"] if e["status"] == "fail")
    failing["status"] = "pass"  # a quiet edit that would hide a finding
    evidence.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, err = run_cli(capsys, "report", str(review_dir / "review.yaml"), "-o", "-")
    assert code == 2
    assert "evidence.json" in err and "changed since" in err
