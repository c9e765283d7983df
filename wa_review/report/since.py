"""The report's "since the last review" section: the diff against an older evidence file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from wa_review.diffing.compare import ChangeKind, EvidenceDiff, FindingChange, diff_evidence
from wa_review.diffing.sources import load_evidence_or_session, practice_lookup
from wa_review.model.evidence import STATUS_TEXT
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.report.context import CheckLookup

# The section stays short: the rest is one `wa-review diff` away.
SHOWN = 15
KIND_TEXT = {
    ChangeKind.NEW: "New",
    ChangeKind.CHANGED: "Changed",
    ChangeKind.NOT_CHECKED: "Not checked",
    ChangeKind.GONE: "Resource gone",
    ChangeKind.RESOLVED: "Resolved",
}


@dataclass(frozen=True, slots=True)
class PracticeCounts:
    title: str
    counts: tuple[int, ...]  # in KIND_TEXT order


@dataclass(frozen=True, slots=True)
class SinceReview:
    """What the report shows about the changes since `old_path` was collected."""

    old_path: str
    old_collected_at: str
    diff: EvidenceDiff

    @property
    def kinds(self) -> list[str]:
        return list(KIND_TEXT.values())

    @property
    def totals(self) -> str:
        parts = [f"{len(self.diff.of_kind(k))} {t.lower()}" for k, t in KIND_TEXT.items()]
        return ", ".join(p for p in parts if not p.startswith("0 ")) or "no change in findings"

    @property
    def practices(self) -> list[PracticeCounts]:
        rows = []
        for practice, changes in self.diff.by_practice():
            tally = Counter(c.kind for c in changes)
            rows.append(PracticeCounts(practice.title, tuple(tally[k] for k in KIND_TEXT)))
        return rows

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """(change, status, severity, check, resource, reason): what got worse first, worst
        first within each kind; at most SHOWN."""
        return [_row(c) for c in sorted(self.diff.changes, key=FindingChange.rank)[:SHOWN]]

    @property
    def more(self) -> int:
        return max(0, len(self.diff.changes) - SHOWN)


def _row(change: FindingChange) -> tuple[str, ...]:
    old = STATUS_TEXT[change.old.status] if change.old else ""
    new = STATUS_TEXT[change.new.status] if change.new else ""
    status = {
        ChangeKind.NEW: new,
        ChangeKind.CHANGED: f"{old} → {new}",
        ChangeKind.RESOLVED: f"{old} → {new or 'absent'}",
    }.get(change.kind, old)
    current = change.new or change.old
    reason = current.summary if current else ""
    if change.reason:
        reason = f"{reason} ({change.reason})" if reason else change.reason
    return (
        KIND_TEXT[change.kind],
        status,
        change.severity.value if change.severity else "-",
        change.key.check_id,
        change.key.resource_arn or f"{change.key.account} {change.key.region}",
        reason,
    )


def since_review(
    old_path: Path,
    current: EvidenceFile,
    questionnaire: Questionnaire,
    *,
    lookup: CheckLookup,
) -> SinceReview:
    """Load OLD (an evidence file or a session) and compare it with the report's evidence."""
    _, old = load_evidence_or_session(old_path)

    diff = diff_evidence(
        old,
        current,
        severity_of=lambda c: meta.severity if (meta := lookup(c)) else None,
        practice_of=practice_lookup([questionnaire]),
    )
    return SinceReview(str(old_path), old.collected_at, diff)
