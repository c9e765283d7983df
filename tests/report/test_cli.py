"""`wa-review validate`, `assess` and `report` through the CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.report.fixtures.make_fixtures import HERE as FIXTURES
from wa_review.cli import main
from wa_review.questionnaires import BUILTIN_DIR, sec2
from wa_review.report.lens import lens_problems
from wa_review.review.session import Decision, decide, with_question_notes
from wa_review.review.store import load_session, save_session

pytestmark = pytest.mark.usefixtures("isolated_registry")
A1, A4 = "sec_sec_q2_a1", "sec_sec_q2_a4"


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(FIXTURES / "evidence.json", tmp_path / "evidence.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate"]) == 0
    out = capsys.readouterr().out
    q = sec2()  # counts come from the data, so adding a check changes no pin
    counts = f"{len(q.choices)} choices, {len(q.check_ids)} checks, {len(q.risk_rules)} risk rules"
    assert f"OK  serverless/sec_q2: {counts}" in out


def test_validate_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (BUILTIN_DIR / "serverless" / "sec_q2.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "sec_q2.yaml"
    bad.write_text(text.replace("- apigateway.authorizers", "- lambda.nope"), encoding="utf-8")
    assert run(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "choices[0].checks[7]: unknown check 'lambda.nope'" in err
    assert f"hint: Fix {bad}" in err


def test_assess_writes_suggestions(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", "evidence.json", "-o", "review.yaml", "--workload-name", "orders"]) == 0
    out = capsys.readouterr().out
    assert "sec_sec_q2_a1    UNSELECTED" in out and "Risk (our estimate): HIGH" in out
    session = load_session(folder / "review.yaml")
    assert session.workload.name == "orders"
    assert session.workload.accounts == ["111122223333"]
    assert session.evidence is not None and session.evidence.path == "evidence.json"
    suggestion = session.choice(A1).suggestion
    assert suggestion is not None and suggestion.state.value == "UNSELECTED"
    assert all(c.decision is None for c in session.choices)


def test_assess_keeps_decisions_and_notes(folder: Path) -> None:
    assert run(["assess", "evidence.json", "-o", "review.yaml"]) == 0
    session = load_session(folder / "review.yaml")
    session = decide(session, A1, Decision.SELECTED, by="alice", notes="fixed since")
    save_session(with_question_notes(session, "kept"), folder / "review.yaml")
    data = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
    data["collected_at"] = "2026-04-01T00:00:00Z"
    (folder / "evidence.json").write_text(json.dumps(data), encoding="utf-8")
    assert run(["assess", "evidence.json", "-o", "review.yaml", "--review-owner", "bob"]) == 0
    after = load_session(folder / "review.yaml")
    assert (after.choice(A1).decision, after.choice(A1).notes, after.notes) == (
        Decision.SELECTED,
        "fixed since",
        "kept",
    )
    assert after.workload.review_owner == "bob"
    assert after.evidence is not None and after.evidence.collected_at == "2026-04-01T00:00:00Z"


def test_assess_refuses_a_damaged_session_and_leaves_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "review.yaml").write_text("schema_version: 1\nchoices: 3\n", encoding="utf-8")
    assert run(["assess", "evidence.json", "-o", "review.yaml"]) == 2
    assert "damaged review session" in capsys.readouterr().err
    assert (folder / "review.yaml").read_text(encoding="utf-8") == "schema_version: 1\nchoices: 3\n"


def test_report_every_format(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["assess", "evidence.json", "-o", "review.yaml", "--workload-name", "Orders API"]) == 0
    )
    for fmt, name in [
        ("md", "orders-api-sec2.md"),
        ("html", "orders-api-sec2.html"),
        ("json", "orders-api-sec2.json"),
        ("lens", "orders-api-sec2.lens.json"),
    ]:
        assert run(["report", "review.yaml", "--format", fmt]) == 0
        assert (folder / "reports" / name).exists(), name
    assert capsys.readouterr().out.count("Wrote reports/") == 4
    assert (
        json.loads((folder / "reports" / "orders-api-sec2.json").read_text())["QuestionId"]
        == "sec_q2"
    )
    lens = json.loads((folder / "reports" / "orders-api-sec2.lens.json").read_text())
    assert lens_problems(lens) == []


def test_report_to_a_path_or_stdout(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", "evidence.json", "-o", "review.yaml"]) == 0
    (folder / "out").mkdir()  # a folder named with -o must exist (see test_report_output.py)
    assert run(["report", "review.yaml", "-o", "out/r.md"]) == 0
    assert (folder / "out" / "r.md").read_text(encoding="utf-8").startswith("# SEC2 review:")
    capsys.readouterr()
    assert run(["report", "review.yaml", "--format", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["LensAlias"] == "serverless"


def test_report_refuses_changed_evidence(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", "evidence.json", "-o", "review.yaml"]) == 0
    with (folder / "evidence.json").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert run(["report", "review.yaml"]) == 2
    err = capsys.readouterr().err
    assert "changed since review.yaml was assessed" in err
    assert "hint: Run 'wa-review assess" in err


def test_report_from_the_fixture_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("evidence.json", "review.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert run(["report", "review.yaml", "--format", "html"]) == 0
    html = (tmp_path / "reports" / "orders-platform-sec2.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
