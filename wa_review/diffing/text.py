"""A diff as text for a terminal or a CI log: grouped by practice, worst first."""

from __future__ import annotations

from wa_review.diffing.compare import ChangeKind, EvidenceDiff, FindingChange
from wa_review.model.evidence_file import EvidenceFile

_LABEL = {
    ChangeKind.NEW: "NEW",
    ChangeKind.RESOLVED: "RESOLVED",
    ChangeKind.CHANGED: "CHANGED",
    ChangeKind.GONE: "GONE",
    ChangeKind.NOT_CHECKED: "NOT CHECKED",
}
_COUNT_WORDS = {
    ChangeKind.NEW: "new",
    ChangeKind.RESOLVED: "resolved",
    ChangeKind.CHANGED: "changed",
    ChangeKind.GONE: "resource(s) gone",
    ChangeKind.NOT_CHECKED: "not checked this time",
}


def plain(text: str) -> str:
    """Text from AWS on one line, without control characters (no terminal escapes from a name)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in " ".join(text.split()))


def counts_line(diff: EvidenceDiff) -> str:
    parts = [f"{len(diff.of_kind(k))} {_COUNT_WORDS[k]}" for k in ChangeKind if diff.of_kind(k)]
    return ", ".join(parts) if parts else "no change in findings"


def render_text(diff: EvidenceDiff, old: EvidenceFile, new: EvidenceFile) -> str:
    lines = [
        f"Findings since {plain(old.collected_at)} (now {plain(new.collected_at)}): "
        f"{counts_line(diff)}"
    ]
    for practice, changes in diff.by_practice():
        lines += ["", f"{plain(practice.title)} ({plain(practice.choice_id)})"]
        lines += [f"  {_line(change)}" for change in changes]
    return "\n".join(lines) + "\n"


def _line(change: FindingChange) -> str:
    status = change.status.value.upper()
    if change.kind is ChangeKind.CHANGED and change.old:
        status = f"{change.old.status.value.upper()}->{status}"
    elif change.kind is ChangeKind.RESOLVED:
        status = f"{status}->{change.new.status.value.upper() if change.new else 'absent'}"
    severity = change.severity.value if change.severity else "-"
    where = change.key.resource_arn or f"{change.key.account} {change.key.region}"
    current = change.new or change.old
    summary = current.summary if current else ""
    line = (
        f"{_LABEL[change.kind]:<11} {status:<15} {severity:<8} "
        f"{plain(change.key.check_id)}  {plain(where)}"
    )
    if change.reason:
        line += f"  ({plain(change.reason)})"
    return f"{line}\n{'':<15}{plain(summary)}" if summary else line
