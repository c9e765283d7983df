"""`wa-review --help`: commands in the order a reviewer uses them, and nothing heavy imported."""

from __future__ import annotations

import subprocess
import sys

from wa_review.cli import COMMANDS, ORDER, SUMMARY


def test_help_lists_commands_in_the_reviewers_order_without_importing_them() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wa_review", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Run `wa-review` alone to open the review" in " ".join(done.stdout.split())
    listed = [
        line.split()[0]
        for line in done.stdout.split("Commands:", 1)[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    assert listed[:6] == ["demo", "review", "collect", "assess", "report", "push"]
    assert set(listed) == {name for name, _module, _attr in COMMANDS}
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    for heavy in ("boto3", "botocore", "textual", "moto", "wa_review.commands.collect"):
        assert heavy not in imported, heavy


def test_the_summaries_fit_one_line_of_an_80_column_terminal() -> None:
    # A command missing from ORDER or SUMMARY still works: it follows, with its own help.
    assert set(SUMMARY) <= set(ORDER)
    assert all(len(text) <= 62 for text in SUMMARY.values())
