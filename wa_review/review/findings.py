"""What a reviewer acts on first: severity order, resource names, the "Fix first" ranking, and
what would change a practice's suggestion. Pure functions, shared by the TUI and the reports."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from wa_review.assessment import (
    NEEDS_REVIEWER,
    ChoiceState,
    FindingKey,
    Suggestion,
    finding_key,
)
from wa_review.checks import CheckMeta
from wa_review.model.arn import resource_name
from wa_review.model.evidence import Evidence, Severity, Status

CheckLookup = Callable[[str], CheckMeta | None]

# Worst first; a check this version does not know ranks last.
SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)
WHY_MAX = 140  # one line of why
_CODE = re.compile(r"`([^`]+)`")


def registry_lookup(check_id: str) -> CheckMeta | None:
    from wa_review.checks import get_check

    found = get_check(check_id)
    return found.meta if found else None


def severity_rank(severity: Severity | None) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def severity_of(check_id: str, lookup: CheckLookup = registry_lookup) -> Severity | None:
    meta = lookup(check_id)
    return meta.severity if meta else None


def one_line(text: str, limit: int = WHY_MAX) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def remediation_command(remediation: str) -> str:
    """The command a remediation names (its first code span), or "" when it names none."""
    found = _CODE.search(remediation)
    return found.group(1).strip() if found else ""


def remediation_advice(remediation: str) -> str:
    """A remediation's first sentence, for one that names no command."""
    return one_line(_CODE.sub(lambda m: m.group(1), remediation.split(". ", 1)[0]))


def display_name(evidence: Evidence) -> str:
    """The name a reviewer knows a resource by. Where the ARN holds only an opaque id (an API,
    a GraphQL API, a stage), the summary names it first (`booking-api/dev: ...`)."""
    name = resource_name(evidence.resource_arn)
    head, colon, _rest = evidence.summary.partition(": ")
    if not colon or name in head:
        return name
    words = head.split(" (", 1)[0].split()
    return words[-1] if 0 < len(words) <= 2 else name


@dataclass(frozen=True, slots=True)
class FixItem:
    """One failing finding in the "Fix first" list."""

    evidence: Evidence
    severity: Severity | None
    title: str
    why: str
    command: str  # the command to run, when the remediation names one
    advice: str = ""  # otherwise, what to do in a line

    @property
    def resource(self) -> str:
        return display_name(self.evidence) if self.evidence.resource_arn else self.evidence.region

    @property
    def severity_text(self) -> str:
        return self.severity.value if self.severity else "unrated"


def fix_first(
    evidence: Iterable[Evidence],
    *,
    lookup: CheckLookup = registry_lookup,
    accepted: Collection[FindingKey] = frozenset(),
    limit: int | None = None,
) -> list[FixItem]:
    """Failing findings, worst severity first (then check, then resource); accepted exceptions
    and repeats of one finding left out."""
    seen: set[FindingKey] = set()
    items: list[FixItem] = []
    for row in evidence:
        key = finding_key(row)
        if row.status is not Status.FAIL or key in accepted or key in seen:
            continue
        seen.add(key)
        meta = lookup(row.check_id)
        head, colon, rest = row.summary.partition(": ")
        # "flight-status: anyone may invoke" -> the resource is in its own column already.
        why = rest if colon and display_name(row) in head and rest else row.summary
        items.append(
            FixItem(
                evidence=row,
                severity=meta.severity if meta else None,
                title=meta.title if meta else row.check_id,
                why=one_line(why),
                command=remediation_command(meta.remediation) if meta else "",
                advice=remediation_advice(meta.remediation) if meta else "",
            )
        )
    items.sort(
        key=lambda i: (
            severity_rank(i.severity),
            i.evidence.check_id,
            i.resource,
            i.evidence.region,
        )
    )
    return items[:limit] if limit is not None else items


def severity_counts(items: Iterable[FixItem]) -> str:
    """'3 high, 1 medium' in severity order."""
    tally = Counter(i.severity for i in items)
    return ", ".join(
        f"{tally[s]} {s.value}" for s in (*SEVERITY_ORDER, None) if s is not None and tally[s]
    ) + (f", {tally[None]} unrated" if tally[None] else "")


def what_would_change(suggestion: Suggestion, *, lookup: CheckLookup = registry_lookup) -> str:
    """One sentence: what would turn this practice's suggestion around."""
    if suggestion.pending_checks:
        return "The suggestion comes when the collection has answered every check."
    state = suggestion.state
    if state is ChoiceState.UNSELECTED and suggestion.failing:
        items = fix_first(suggestion.failing, lookup=lookup)
        counts = severity_counts(items)
        if len(items) == 1:
            what = f"this {counts.split(' ', 1)[1]} finding is"
        elif "," not in counts:
            what = f"these {counts} findings are"
        else:
            what = f"these {len(items)} findings ({counts}) are"
        unknown = len(suggestion.unknown)
        blind = (
            ", and the result that could not be checked is checked again"
            if unknown == 1
            else f", and the {unknown} results that could not be checked are checked again"
            if unknown
            else ""
        )
        return f"Select once {what} fixed or accepted{blind}."
    if state is ChoiceState.UNSELECTED:
        return "Follows the other practices: select one of them, or decide it yourself."
    if state is NEEDS_REVIEWER and (suggestion.unknown or suggestion.missing_checks):
        gaps = len(suggestion.unknown) + len(suggestion.missing_checks)
        return (
            f"A suggestion comes once the {gaps} result(s) that could not be checked are "
            "checked again (fix the access or the error named, then collect again)."
        )
    if state is NEEDS_REVIEWER:
        return "No check settles it: decide from the guidance and your own knowledge."
    if state is ChoiceState.SELECTED:
        return "Stays selected unless a check fails after the next collection."
    return "Applies once the workload has resources this practice checks."
