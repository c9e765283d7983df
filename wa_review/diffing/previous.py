"""Since the last review, for a session: its evidence against the evidence assessed before."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wa_review.diffing.compare import ChangeKind, EvidenceDiff, FindingKey, diff_evidence
from wa_review.diffing.sources import practice_lookup, registry_severity
from wa_review.errors import InputFileError
from wa_review.model.evidence import Evidence
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.model.questionnaire import Questionnaire
from wa_review.review.session import EvidenceRef

log = logging.getLogger(__name__)

# The word a row shows for its change (a row is the evidence as it is now).
BADGE = {ChangeKind.NEW: "new", ChangeKind.CHANGED: "changed", ChangeKind.RESOLVED: "fixed"}


@dataclass(frozen=True, slots=True)
class SinceLastReview:
    """The changes since the previous evidence, or why they cannot be shown."""

    previous: EvidenceRef
    diff: EvidenceDiff | None
    problem: str = ""  # set when diff is None: the previous file is missing or damaged
    badges: dict[FindingKey, str] = field(default_factory=dict)

    def counts(self, choice_id: str | None = None) -> Counter[ChangeKind]:
        """Changes per kind, for one practice or for all."""
        changes = self.diff.changes if self.diff else ()
        return Counter(
            c.kind for c in changes if choice_id is None or c.practice.choice_id == choice_id
        )

    def badge(self, item: Evidence) -> str:
        return self.badges.get(FindingKey.of(item), "")


def since_last_review(
    session_path: Path,
    previous: EvidenceRef | None,
    current: EvidenceFile,
    questionnaire: Questionnaire,
) -> SinceLastReview | None:
    """Compare the session's evidence with `previous` (None: there is no earlier evidence).

    A previous file that is gone or damaged is said, not raised: the review itself does not
    depend on it.
    """
    if previous is None:
        return None
    from wa_review.review.bundle import resolve_evidence

    path = resolve_evidence(session_path, previous)
    try:
        old = load_evidence_file(path)
    except InputFileError as err:
        log.warning("no 'since last review': %s", err.message)
        return SinceLastReview(previous, None, f"previous evidence unreadable: {err.message}")
    diff = diff_evidence(
        old, current, severity_of=registry_severity, practice_of=practice_lookup([questionnaire])
    )
    badges = {c.key: BADGE[c.kind] for c in diff.changes if c.kind in BADGE and c.new is not None}
    return SinceLastReview(previous, diff, badges=badges)


def summary(since: SinceLastReview, choice_id: str | None = None) -> str:
    """'2 new, 1 fixed, 1 gone' (empty when nothing changed)."""
    if since.diff is None:
        return since.problem
    counts = since.counts(choice_id)
    words = (
        (ChangeKind.NEW, "new"),
        (ChangeKind.CHANGED, "changed"),
        (ChangeKind.RESOLVED, "resolved"),
        (ChangeKind.GONE, "gone"),
        (ChangeKind.NOT_CHECKED, "not checked"),
    )
    return ", ".join(f"{counts[k]} {w}" for k, w in words if counts[k])
