"""The README's exit-code table lists every code wa-review exits with, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from wa_review import errors

README = Path(__file__).resolve().parents[2] / "README.md"


def _codes_in_errors() -> set[int]:
    codes = {errors.EXIT_FINDINGS, errors.EXIT_INTERRUPTED, 0}
    pending = [errors.WaReviewError]
    while pending:
        cls = pending.pop()
        codes.add(cls.exit_code)
        pending.extend(cls.__subclasses__())
    return codes


def test_readme_exit_codes_match_errors_py() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("Exit codes, so a pipeline", 1)[1].split("\n\n", 2)[1]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert documented == _codes_in_errors()
