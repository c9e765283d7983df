"""The summary lists everything that could not be checked, literally."""

from __future__ import annotations

from pathlib import Path

from wa_review.model.evidence import Status
from wa_review.tui.screens.summary import NOT_CHECKED_SHOWN, not_checked_lines, open_items
from wa_review.tui.state import open_review


def test_every_unknown_result_and_failed_call_is_listed(review_dir: Path) -> None:
    review = open_review(evidence_path=review_dir / "evidence.json")
    assert review.evidence_file is not None
    unknown = [e for e in review.evidence_file.evidence if e.status is Status.UNKNOWN]
    errors = review.evidence_file.errors
    assert unknown and errors  # the fixture has both
    lines = [line.plain for line in not_checked_lines(review)]
    assert len(lines) == min(len(unknown) + len(errors), NOT_CHECKED_SHOWN)
    for item in unknown:
        assert any(item.check_id in line for line in lines)
    assert any(line.startswith("AWS call failed: ") for line in lines)
    assert all("\x1b" not in line for line in lines)  # escapes are shown, never passed through
    assert "Could not be checked" in open_items(review).plain
