"""Pushing a review session file records the WA Tool's own risk and lens version in it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.watool.test_cli import CREATE, run
from wa_review.model.questionnaire import Risk
from wa_review.report.render import ReportFormat, render
from wa_review.review.bundle import load_bundle
from wa_review.review.store import load_session
from wa_review.watool.emulator import WaToolEmulator

FIXTURES = Path(__file__).resolve().parents[1] / "report" / "fixtures"


def test_push_of_a_session_records_the_wa_tool_risk(
    emulator: WaToolEmulator, tmp_path: Path
) -> None:
    for name in ("review.yaml", "evidence.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    session_file = tmp_path / "review.yaml"
    assert load_session(session_file).watool is None
    output = run(emulator, str(session_file), "--workload-name", "Orders", *CREATE, "--yes")
    assert f"Recorded the WA Tool's risk and lens version in {session_file}" in output
    record = load_session(session_file).watool
    assert record is not None and record.lens_version == "2020-02-04"
    assert record.risk in set(Risk) and record.workload_id
    bundle = load_bundle(session_file)
    markdown = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt=ReportFormat.MD
    )
    assert "returned by the WA Tool, lens version 2020-02-04" in markdown
