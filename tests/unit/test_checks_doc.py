"""docs/checks.md is generated from the checks' own metadata and must match the code."""

from __future__ import annotations

from pathlib import Path

from wa_review.checks.support.docs import CHOICE_TITLES, render_markdown
from wa_review.checks.support.registry import all_checks

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_checks_doc_is_up_to_date() -> None:
    assert DOC.read_text() == render_markdown(), (
        "docs/checks.md is stale: run `python -m wa_review.checks.support.docs > docs/checks.md`"
    )


def test_every_check_declares_complete_metadata() -> None:
    for item in all_checks():
        meta = item.meta
        assert meta.choice_id in CHOICE_TITLES, meta.id
        assert meta.title and meta.rationale and meta.remediation, meta.id
        assert meta.references and all(r.startswith("https://") for r in meta.references), meta.id
        assert meta.id.count(".") == 1 and meta.id == meta.id.lower(), meta.id
