"""Compare two evidence files finding by finding (pure: no AWS, no click)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.evidence_file import EvidenceFile

# A finding is a result that needs someone's attention; unknown is one (unknown is not pass).
FINDING_STATUSES = frozenset({Status.FAIL, Status.WARN, Status.UNKNOWN})

SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}  # the enum is declared worst first


class ChangeKind(StrEnum):
    NEW = "new"  # a finding the old collection did not have (absent, or passing then)
    RESOLVED = "resolved"  # the resource is still there and the finding is gone or passes
    CHANGED = "changed"  # a finding in both, with another status or reason
    GONE = "gone"  # the resource itself is no longer in the new collection
    NOT_CHECKED = "not_checked"  # the new collection could not judge it (scope or an error)


# Within a practice: what got worse first, what got better last.
_KIND_RANK = {
    ChangeKind.NEW: 0,
    ChangeKind.CHANGED: 1,
    ChangeKind.NOT_CHECKED: 2,
    ChangeKind.GONE: 3,
    ChangeKind.RESOLVED: 4,
}


@dataclass(frozen=True, slots=True, order=True)
class FindingKey:
    """How a finding is matched across collections: check, account, Region and resource."""

    check_id: str
    account: str
    region: str
    resource_arn: str

    @classmethod
    def of(cls, item: Evidence) -> FindingKey:
        return cls(item.check_id, item.account, item.region, item.resource_arn)


@dataclass(frozen=True, slots=True)
class Practice:
    """The practice (WA choice) a check serves, as the questionnaire names it."""

    choice_id: str
    title: str
    order: int  # position in the questionnaire, so groups read in the questionnaire's order


@dataclass(frozen=True, slots=True)
class FindingChange:
    kind: ChangeKind
    key: FindingKey
    old: Evidence | None
    new: Evidence | None
    severity: Severity | None  # None: the check is unknown to this version of wa-review
    practice: Practice
    reason: str = ""  # why a finding is gone or not checked

    @property
    def status(self) -> Status:
        """The status that matters: the new one, or the old one for what went away."""
        item = self.new if self.kind in (ChangeKind.NEW, ChangeKind.CHANGED) else self.old
        assert item is not None
        return item.status

    def rank(self) -> tuple[int, int, int, FindingKey]:
        return (
            _KIND_RANK[self.kind],
            SEVERITY_RANK[self.severity] if self.severity else len(SEVERITY_RANK),
            -self.status.rank,
            self.key,
        )

    def to_dict(self) -> dict[str, Any]:
        current = self.new or self.old
        assert current is not None
        out: dict[str, Any] = {
            "check_id": self.key.check_id,
            "resource_arn": self.key.resource_arn,
            "account": self.key.account,
            "region": self.key.region,
            "status": self.status.value,
            "severity": self.severity.value if self.severity else None,
            "practice": self.practice.title,
            "choice_id": self.practice.choice_id,
            "summary": current.summary,
        }
        if self.kind is ChangeKind.CHANGED and self.old and self.new:
            out.update(
                old_status=self.old.status.value,
                new_status=self.new.status.value,
                old_summary=self.old.summary,
            )
        if self.kind is ChangeKind.RESOLVED:
            out["now"] = self.new.status.value if self.new else "absent"
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class EvidenceDiff:
    changes: tuple[FindingChange, ...]

    def of_kind(self, kind: ChangeKind) -> list[FindingChange]:
        return sorted((c for c in self.changes if c.kind is kind), key=FindingChange.rank)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {kind.value: [c.to_dict() for c in self.of_kind(kind)] for kind in ChangeKind}

    def by_practice(self) -> list[tuple[Practice, list[FindingChange]]]:
        """Changes grouped by practice (questionnaire order), worst first within each."""
        groups: dict[Practice, list[FindingChange]] = defaultdict(list)
        for change in self.changes:
            groups[change.practice].append(change)
        return [
            (practice, sorted(groups[practice], key=FindingChange.rank))
            for practice in sorted(groups, key=lambda p: (p.order, p.choice_id))
        ]


SeverityOf = Callable[[str], Severity | None]
PracticeOf = Callable[[Evidence], Practice]


def diff_evidence(
    old: EvidenceFile, new: EvidenceFile, *, severity_of: SeverityOf, practice_of: PracticeOf
) -> EvidenceDiff:
    """Every finding that is new, resolved, changed, gone or no longer checked.

    Args:
        severity_of: a check id's severity (from its metadata), None when unknown.
        practice_of: the practice an evidence item belongs to (from the questionnaire).
    """
    olds, news = _group(old.evidence), _group(new.evidence)
    seen = _Seen(new, scope_changed=_scope(old) != _scope(new))
    changes: list[FindingChange] = []

    def add(kind: ChangeKind, key: FindingKey, a: Evidence | None, b: Evidence | None) -> None:
        reason = ""
        if kind is ChangeKind.RESOLVED and b is None:
            kind, reason = seen.absent(key)
        item = b or a
        assert item is not None
        changes.append(
            FindingChange(kind, key, a, b, severity_of(key.check_id), practice_of(item), reason)
        )

    for key in sorted(olds.keys() | news.keys()):
        before, after = olds.get(key, []), news.get(key, [])
        # One item per key is the rule; should a check ever report a resource twice, pair
        # items in a stable order and treat what is left over as new or resolved.
        for i in range(max(len(before), len(after))):
            a = before[i] if i < len(before) else None
            b = after[i] if i < len(after) else None
            was = a is not None and a.status in FINDING_STATUSES
            now = b is not None and b.status in FINDING_STATUSES
            if now and not was:
                add(ChangeKind.NEW, key, a, b)
            elif was and not now:
                add(ChangeKind.RESOLVED, key, a, b)
            elif was and now and a and b and (a.status, a.summary) != (b.status, b.summary):
                add(ChangeKind.CHANGED, key, a, b)
    return EvidenceDiff(tuple(changes))


def _group(items: Iterable[Evidence]) -> dict[FindingKey, list[Evidence]]:
    grouped: dict[FindingKey, list[Evidence]] = defaultdict(list)
    for item in items:
        grouped[FindingKey.of(item)].append(item)
    for group in grouped.values():
        group.sort(key=lambda e: (-e.status.rank, e.summary))
    return grouped


def _scope(evidence_file: EvidenceFile) -> tuple[str, ...]:
    """What decided which resources were collected (not how many were found)."""
    scope = evidence_file.scope
    return tuple(str(scope.get(k, "")) for k in ("mode", "stacks", "tags"))


class _Seen:
    """What the new collection covered, to tell a resolved finding from one nobody looked at."""

    def __init__(self, new: EvidenceFile, *, scope_changed: bool) -> None:
        self.scope_changed = scope_changed
        self.accounts = set(new.accounts)
        self.regions = set(new.regions)
        self.arns = {(e.account, e.resource_arn) for e in new.evidence if e.resource_arn}
        # A check that could not list a Region says so once, with no resource.
        self.unknown = {
            (e.check_id, e.account, e.region)
            for e in new.evidence
            if e.status is Status.UNKNOWN and not e.resource_arn
        }

    def absent(self, key: FindingKey) -> tuple[ChangeKind, str]:
        """Why a finding is missing from the new collection."""
        if key.account not in self.accounts:
            return ChangeKind.NOT_CHECKED, f"account {key.account} was not collected"
        if key.region not in self.regions and key.region != "global" and self.regions:
            return ChangeKind.NOT_CHECKED, f"Region {key.region} was not collected"
        if (key.check_id, key.account, key.region) in self.unknown:
            return ChangeKind.NOT_CHECKED, "the check could not read this Region this time"
        if key.resource_arn and (key.account, key.resource_arn) not in self.arns:
            if self.scope_changed:  # it may exist and simply be outside the new scope
                return ChangeKind.NOT_CHECKED, "not in the new scope (stacks or tags changed)"
            return ChangeKind.GONE, "resource gone"
        return ChangeKind.RESOLVED, ""
