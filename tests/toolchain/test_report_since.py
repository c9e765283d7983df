"""`report --since OLD`: md and html reports gain a short "since the last review" section."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.toolchain.conftest import run_cli
from tests.toolchain.test_exports import ACCOUNT, FN, QUEUE, REGION
from wa_review.model.evidence import Evidence, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile

BUCKET = "arn:aws:s3:::gone-bucket"


def file(when: str, *items: Evidence) -> EvidenceFile:
    return EvidenceFile("0", when, (ACCOUNT,), (REGION,), {}, CollectionStats(), (), items)


def ev(check: str, arn: str, status: Status, summary: str) -> Evidence:
    return Evidence(check, status, arn, REGION, ACCOUNT, summary)


@pytest.fixture
def pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    old = file(
        "2026-01-01T00:00:00+00:00",
        ev("sqs.queue_policy_public", QUEUE, Status.PASS, "private"),
        ev("s3.bucket_public", BUCKET, Status.FAIL, "public bucket"),
        ev("lambda.function_url_auth_none", FN, Status.FAIL, "url open"),
    )
    new = file(
        "2026-04-01T00:00:00+00:00",
        ev("sqs.queue_policy_public", QUEUE, Status.FAIL, "[click](javascript:alert(1)) <b>x</b>"),
        ev("lambda.function_url_auth_none", FN, Status.PASS, "url needs IAM"),
    )
    old.save(tmp_path / "old.json")
    new.save(tmp_path / "new.json")
    session = tmp_path / "review.yaml"
    code, _, err = run_cli(["assess", str(tmp_path / "new.json"), "-o", str(session)], capsys)
    assert code == 0, err
    return tmp_path / "old.json", session


def report(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run_cli(["report", *args, "-o", "-"], capsys)
    assert code == 0, err
    return out


def test_markdown_since_section(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, session = pair
    text = report([str(session), "--since", str(old)], capsys)
    section = text.split("## Since the last review", 1)[1].split("\n## ", 1)[0]
    assert "1 new, 1 resource gone, 1 resolved" in section
    assert "| Evaluate and define resource policies | 1 | 0 | 0 | 1 | 1 |" in section
    rows = [line for line in section.splitlines() if line.startswith("| New")]
    assert rows and "`sqs.queue_policy_public`" in rows[0] and "| FAIL |" in rows[0]
    assert r"\[click\](javascript:alert(1))" in rows[0]  # text from AWS stays literal
    gone = next(line for line in section.splitlines() if line.startswith("| Resource gone"))
    assert "resource gone" in gone and "gone-bucket" in gone
    resolved = next(line for line in section.splitlines() if line.startswith("| Resolved"))
    assert "FAIL → PASS" in resolved
    # Without --since the report has no such section.
    assert "Since the last review" not in report([str(session)], capsys)


def test_html_since_section_has_no_active_content(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, session = pair
    html = report([str(session), "--format", "html", "--since", str(old)], capsys)
    assert "Since the last review</h2>" in html
    assert "<b>x</b>" not in html and 'href="javascript' not in html.lower()


def test_since_is_refused_for_data_formats(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, session = pair
    code, _, err = run_cli(["report", str(session), "--format", "csv", "--since", str(old)], capsys)
    assert code == 2 and "--since adds a section to md and html reports, not to csv" in err
