"""Checks read snapshots only through `each`, `get` and `get_global`.

The review shows a check's evidence while the collection still runs once every snapshot type
it asked for through those methods is complete (wa_review/preview.py); a check reaching into
the inventory's dictionaries would read past that record and could answer too early.
"""

from __future__ import annotations

import ast
from pathlib import Path

import wa_review.checks

CHECKS = Path(wa_review.checks.__file__).parent
PRIVATE = {"regional", "global_"}


def test_no_check_reads_the_inventory_dictionaries() -> None:
    found = []
    for path in sorted(CHECKS.rglob("*.py")):  # the checks and what they share (support/)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert found == []
    assert len(list(CHECKS.glob("*.py"))) > 10  # the folder that holds the checks
