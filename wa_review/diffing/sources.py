"""Where a diff's inputs come from: evidence files or sessions, check metadata, questionnaires."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wa_review.checks import get_check
from wa_review.diffing.compare import Practice, PracticeOf
from wa_review.errors import InputFileError
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.model.questionnaire import Questionnaire

SESSION_SUFFIXES = (".yaml", ".yml")


def load_evidence_or_session(path: Path) -> tuple[Path, EvidenceFile]:
    """The evidence file at `path`, or the one a review session at `path` was assessed from."""
    if path.suffix.lower() not in SESSION_SUFFIXES:
        return path, load_evidence_file(path)
    from wa_review.review.bundle import resolve_evidence
    from wa_review.review.store import load_session

    session = load_session(path)
    if session.evidence is None:
        raise InputFileError(
            f"{path}: evidence: the session does not name an evidence file",
            hint=f"Run 'wa-review assess EVIDENCE -o {path}', or pass the evidence file itself.",
        )
    evidence_path = resolve_evidence(path, session.evidence)
    return evidence_path, load_evidence_file(evidence_path)


def registry_severity(check_id: str) -> Severity | None:
    """A check's severity from its metadata; None for a check this version does not know."""
    found = get_check(check_id)
    return found.meta.severity if found else None


def practice_lookup(questionnaires: Sequence[Questionnaire]) -> PracticeOf:
    """Evidence -> its practice: the choice whose checks list the check (the questionnaire alone
    maps checks to choices), else 'Other checks'."""
    by_check: dict[str, Practice] = {}
    order = 0
    for questionnaire in questionnaires:
        for choice in questionnaire.choices:
            practice = Practice(choice.id, choice.title, order)
            order += 1
            for check_id in choice.checks:
                by_check[check_id] = practice

    def practice_of(item: Evidence) -> Practice:
        return by_check.get(item.check_id) or Practice("other", "Other checks", order)

    return practice_of


def builtin_practices() -> PracticeOf:
    from wa_review.questionnaires import load_builtin

    return practice_lookup(load_builtin())
