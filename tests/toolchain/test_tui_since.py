"""The TUI's "since last review": counts per practice and new/fixed badges on evidence rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.toolchain.conftest import run_cli
from tests.tui.conftest import FIXTURE, evidence_loaded, first_screen
from wa_review.review.store import load_session
from wa_review.tui.app import make_app
from wa_review.tui.widgets.evidence_table import EvidenceTable
from wa_review.tui.widgets.practice_list import PracticeList

A1 = "sec_sec_q2_a1"
ORDERS = "orders-api"


@pytest.fixture
def reassessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A session assessed from an old evidence file, then from a new one in which one A1
    resource fails that passed, and the one that failed passes."""
    old = tmp_path / "old.json"
    shutil.copy(FIXTURE, old)
    data = json.loads(old.read_text())
    for item in data["evidence"]:
        if item["choice_id"] != A1 or item["check_id"] != "lambda.function_policy_public":
            continue
        if item["status"] == "fail":
            item["status"], item["summary"] = "pass", "fixed since"
        elif item["resource_arn"].endswith(ORDERS):
            item["status"], item["summary"] = "fail", "public now"
    data["collected_at"] = "2026-06-01T00:00:00+00:00"
    new = tmp_path / "new.json"
    new.write_text(json.dumps(data))
    session = tmp_path / "review.yaml"
    for evidence in (old, new):
        code, _, err = run_cli(["assess", str(evidence), "-o", str(session)], capsys)
        assert code == 0, err
    return session


def test_reassessing_remembers_the_previous_evidence(
    reassessed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = load_session(reassessed)
    assert session.previous_evidence is not None and session.evidence is not None
    assert session.previous_evidence.path == "old.json" and session.evidence.path == "new.json"
    # Assessing the same file again keeps the previous one (nothing new to compare with).
    code, _, err = run_cli(
        ["assess", str(reassessed.parent / "new.json"), "-o", str(reassessed)], capsys
    )
    assert code == 0, err
    assert load_session(reassessed).previous_evidence == session.previous_evidence


async def test_overview_and_rows_show_what_changed(reassessed: Path) -> None:
    app = make_app(session_path=reassessed)
    async with app.run_test(size=(160, 40)):
        await first_screen(app)
        source = str(app.screen.query_one("#evidence-source").render())
        assert "Since last review (2025-01-15T10:00:00+00:00): 1 new, 1 resolved" in source
        prompts = app.screen.query_one(PracticeList)
        first = str(prompts.get_option_at_index(0).prompt)
        assert "since last review: 1 new, 1 resolved" in first
        assert "since last review" not in str(prompts.get_option_at_index(1).prompt)
        app.show_practice(A1)
        table: EvidenceTable = await evidence_loaded(app)
        names = [str(table.get_row_at(i)[1].value) for i in range(table.row_count)]
        assert f"[new] {ORDERS}" in names
        marked = [n for n in names if n.startswith(("[new] ", "[fixed] ", "[changed] "))]
        assert len(marked) == 2 and sum(n.startswith("[fixed] ") for n in marked) == 1


async def test_a_missing_previous_file_is_said_not_raised(reassessed: Path) -> None:
    (reassessed.parent / "old.json").unlink()
    app = make_app(session_path=reassessed)
    async with app.run_test(size=(160, 40)):
        await first_screen(app)
        source = str(app.screen.query_one("#evidence-source").render())
        assert "previous evidence unreadable" in source and "old.json" in source
