"""Atomic writes leave a whole file with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

from wa_review.files import write_atomic


def test_new_files_get_the_umask_mode_and_replacements_keep_theirs(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        report = tmp_path / "out" / "report.html"
        write_atomic(report, "<p>hi</p>")
        assert report.read_text() == "<p>hi</p>"
        assert report.stat().st_mode & 0o777 == 0o644  # shareable, not mkstemp's 0600
        report.chmod(0o600)
        write_atomic(report, b"%PDF-1.4")
        assert report.read_bytes() == b"%PDF-1.4" and report.stat().st_mode & 0o777 == 0o600
        assert [p.name for p in report.parent.iterdir()] == ["report.html"]  # no temp left
    finally:
        os.umask(old)
