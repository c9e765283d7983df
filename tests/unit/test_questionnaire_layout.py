"""The shipped questionnaires live at the top of the repository and ship inside the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

from wa_review.questionnaires import BUILTIN_DIR, builtin_paths

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_reads_the_top_level_questionnaires_folder() -> None:
    assert BUILTIN_DIR.resolve() == ROOT / "questionnaires"
    assert [p.relative_to(BUILTIN_DIR).as_posix() for p in builtin_paths()] == [
        "serverless/sec_q2.yaml"
    ]


def test_the_wheel_carries_every_shipped_yaml() -> None:
    """package-data names the files as the package sees them (through the builtin link); a
    non-editable `pip wheel .` then holds wa_review/questionnaires/builtin/<lens>/<q>.yaml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["wa_review"]
    package = ROOT / "wa_review"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    assert set(builtin_paths()) <= shipped
