"""What changed between two collections: new, resolved, changed and gone findings."""

from __future__ import annotations

from wa_review.diffing.compare import (
    ChangeKind,
    EvidenceDiff,
    FindingChange,
    FindingKey,
    Practice,
    diff_evidence,
)

__all__ = [
    "ChangeKind",
    "EvidenceDiff",
    "FindingChange",
    "FindingKey",
    "Practice",
    "diff_evidence",
]
