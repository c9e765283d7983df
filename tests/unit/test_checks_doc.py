"""docs/checks.md is generated from the checks' own metadata and must match the code."""

from __future__ import annotations

from pathlib import Path

from wa_review.checks import all_checks
from wa_review.questionnaires import sec2
from wa_review.questionnaires.checks_doc import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_checks_doc_is_up_to_date() -> None:
    assert DOC.read_text() == render_markdown(), (
        "docs/checks.md is stale: run `python -m wa_review.questionnaires.checks_doc > docs/checks.md`"
    )


def test_the_doc_takes_choice_titles_from_the_questionnaire() -> None:
    text = render_markdown()
    for choice in (c for c in sec2().choices if c.checks):
        assert f"## {choice.title} (`{choice.id}`)" in text


def test_every_check_declares_complete_metadata() -> None:
    for item in all_checks():
        meta = item.meta
        assert meta.title and meta.rationale and meta.remediation, meta.id
        assert meta.references and all(r.startswith("https://") for r in meta.references), meta.id
        assert meta.id.count(".") == 1 and meta.id == meta.id.lower(), meta.id
