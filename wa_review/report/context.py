"""The report's view of a review: plain values for the templates, computed once in Python."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wa_review import __version__
from wa_review.assessment import Assessment, FindingKey
from wa_review.model.arn import resource_name
from wa_review.model.choice import DECISION_TEXT, SUGGESTION_TEXT
from wa_review.model.evidence import STATUS_TEXT, STATUSES_WORST_FIRST, Evidence, Severity, Status
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.report.markdown import Trusted
from wa_review.review.findings import (
    CheckLookup,
    display_name,
    fix_first,
    registry_lookup,
    what_would_change,
)
from wa_review.review.outcome import ChoiceOutcome, outcomes, risk_view
from wa_review.review.session import AcceptedFinding, Decision, ReviewSession, active_exceptions

__all__ = ["CheckLookup", "build_context", "registry_lookup"]

FIX_FIRST_SHOWN = 10  # the top of the list; every failing finding is in its practice below

_STATUS_ORDER = list(STATUSES_WORST_FIRST)


def when(value: datetime | str | None) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%d %H:%M UTC")


def counts_line(counts: Mapping[Status, int]) -> str:
    parts = [f"{counts[s]} {STATUS_TEXT[s].lower()}" for s in _STATUS_ORDER if counts.get(s)]
    return ", ".join(parts) or "no evidence"


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    """One check's evidence within a practice: the table a reader scans for that rule."""

    check_id: str
    title: str  # empty when the check is unknown to this version
    counts: str
    rows: list[Evidence]
    severity: Severity | None = None
    failing: bool = False  # folded open in the HTML report


@dataclass(frozen=True, slots=True)
class ListedException:
    """An accepted finding as the report lists it."""

    finding: AcceptedFinding
    choice_title: str
    active: bool


@dataclass(frozen=True, slots=True)
class Practice:
    item: ChoiceOutcome
    level: str
    decision: str
    origin: str
    suggestion: str
    rows: list[Evidence]
    groups: list[EvidenceGroup]
    unmet: bool
    remediations: list[tuple[str, str, Trusted]]
    guidance: Mapping[str, Any] | None
    change: str = ""  # what would turn the suggestion around
    override: str = ""  # the reviewer's reason, when the decision goes against the evidence


def _decision_text(item: ChoiceOutcome) -> str:
    if item.status is None:
        return "Undecided"
    text = DECISION_TEXT[item.status]
    if item.status is Decision.NOT_APPLICABLE and item.record.reason is not None:
        text += f" ({item.record.reason.value.replace('_', ' ').lower()})"
    return text


def _practice(item: ChoiceOutcome, lookup: CheckLookup) -> Practice:
    choice = item.choice
    rows = sorted(
        item.suggestion.evidence,
        key=lambda e: (_STATUS_ORDER.index(e.status), e.check_id, e.resource_arn, e.region),
    )
    unmet = item.status in (None, Decision.UNSELECTED)
    by_check: dict[str, list[Evidence]] = {}
    for row in rows:  # rows are sorted worst first, so groups come out worst first too
        by_check.setdefault(row.check_id, []).append(row)
    groups = []
    for check_id, found in by_check.items():
        meta = lookup(check_id)
        tally = Counter(e.status for e in found)
        groups.append(
            EvidenceGroup(
                check_id,
                meta.title if meta else "",
                counts_line(tally),
                found,
                meta.severity if meta else None,
                Status.FAIL in tally,
            )
        )
    remediations: list[tuple[str, str, Trusted]] = []
    for check_id in sorted({e.check_id for e in item.suggestion.failing}):
        meta = lookup(check_id)
        if meta is not None and meta.remediation:
            remediations.append((check_id, meta.title, Trusted(meta.remediation)))
    guidance = None
    if choice.guidance is not None:
        guidance = {
            "good": Trusted(choice.guidance.good.strip()),
            "verify": Trusted(choice.guidance.verify.strip()),
            "mistakes": Trusted(choice.guidance.mistakes.strip()),
            "links": choice.guidance.links,
        }
    if item.from_reviewer:
        origin = f"reviewer {item.record.decided_by or '(unnamed)'}, {when(item.record.decided_at)}"
    else:
        origin = "suggestion, not yet confirmed" if item.status else "waiting for the reviewer"
    return Practice(
        item=item,
        level=choice.level.value.capitalize() if choice.level else "-",
        decision=_decision_text(item),
        origin=origin,
        suggestion=SUGGESTION_TEXT[item.suggestion.state],
        rows=rows,
        groups=groups,
        unmet=unmet,
        remediations=remediations,
        guidance=guidance,
        change=what_would_change(item.suggestion, lookup=lookup),
        override=(item.record.justification or "(no reason given)") if item.is_override else "",
    )


def _listed(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [f"{k}={v}" for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)] if value not in (None, "") else []


def scope_sentences(scope: Mapping[str, Any]) -> list[str]:
    """The evidence file's scope as a reader says it, not as raw fields."""
    mode = str(scope.get("mode") or "all")
    stacks, tags = _listed(scope.get("stacks")), _listed(scope.get("tags"))
    count = scope.get("resources")
    found = f" ({count} resources)" if isinstance(count, int) and mode != "all" else ""
    lines: list[str] = []
    if mode == "all" or not (stacks or tags):
        lines.append(
            "Every resource the credentials could read in these regions was judged: "
            "no stack or tag narrowed the scope."
        )
    else:
        parts = []
        if stacks:
            noun = "stack" if len(stacks) == 1 else "stacks"
            parts.append(f"the CloudFormation {noun} {', '.join(stacks)} (nested stacks included)")
        if tags:
            parts.append(f"resources tagged {' or '.join(tags)}")
        lines.append(f"Judged: {' and '.join(parts)}{found}.")
        lines.append("The network around in-scope functions was read whatever its scope.")
    lines += [f"Note: {note}." for note in _listed(scope.get("notes"))]
    known = {"mode", "stacks", "tags", "resources", "notes"}
    lines += [
        f"{key.replace('_', ' ').capitalize()}: {', '.join(_listed(value)) or 'none'}."
        for key, value in sorted(scope.items())
        if key not in known
    ]
    return lines


def _severity_text(lookup: CheckLookup, check_id: str) -> str:
    meta = lookup(check_id)
    return meta.severity.value if meta else "unrated"


def _exceptions(
    session: ReviewSession, questionnaire: Questionnaire, active: frozenset[FindingKey]
) -> list[ListedException]:
    titles = {c.id: c.title for c in questionnaire.choices}
    found = []
    for item in session.exceptions:
        choice = next((c.id for c in questionnaire.choices if item.check_id in c.checks), "")
        found.append(ListedException(item, titles.get(choice, "-"), item.key in active))
    return found


def _decision_counts(items: tuple[ChoiceOutcome, ...]) -> list[str]:
    """'2 selected (1 suggested)', ... in a fixed order; zero counts are left out."""
    found: list[str] = []
    for status, label in [*DECISION_TEXT.items(), (None, "Undecided")]:
        matching = [i for i in items if i.status is status]
        if matching:
            suggested = sum(1 for i in matching if not i.from_reviewer and i.status is not None)
            extra = f" ({suggested} suggested, not yet confirmed)" if suggested else ""
            found.append(f"{len(matching)} {label.lower()}{extra}")
    return found


def _unchecked(assessment: Assessment) -> tuple[list[Evidence], list[str]]:
    unknown = [e for s in assessment.suggestions for e in s.unknown]
    missing = [c for s in assessment.suggestions for c in s.missing_checks]
    return unknown, missing


def build_context(
    session: ReviewSession,
    questionnaire: Questionnaire,
    evidence_file: EvidenceFile,
    assessment: Assessment,
    *,
    lookup: CheckLookup = registry_lookup,
) -> dict[str, Any]:
    items = outcomes(session, questionnaire, assessment)
    view = risk_view(session, questionnaire, items)
    practices = [_practice(i, lookup) for i in items if not i.choice.is_none_of_these]
    accepted = active_exceptions(session)
    ranked = fix_first(
        (e for s in assessment.suggestions for e in s.evidence), lookup=lookup, accepted=accepted
    )
    decided = _decision_counts(items)
    all_counts = Counter(e.status for e in evidence_file.evidence)
    unknown, missing = _unchecked(assessment)
    stats = evidence_file.stats
    return {
        "session": session,
        "workload": session.workload,
        "questionnaire": questionnaire,
        "items": items,
        "practices": practices,
        "risk": view,
        "risk_basis": Trusted(questionnaire.risk_basis.strip()),
        "decided": decided,
        "evidence_counts": counts_line(all_counts),
        "evidence_ref": session.evidence,
        "evidence_file": evidence_file,
        "fix_first": ranked[:FIX_FIRST_SHOWN],
        "fix_first_more": max(0, len(ranked) - FIX_FIRST_SHOWN),
        "exceptions": _exceptions(session, questionnaire, accepted),
        "severity_of": lambda check_id: _severity_text(lookup, check_id),
        "resource_name": resource_name,
        "display_name": display_name,
        "scope_lines": scope_sentences(evidence_file.scope),
        "scope": [
            (k, json.dumps(v, sort_keys=True, default=str))
            for k, v in sorted(evidence_file.scope.items())
        ],
        "calls": sorted(stats.calls.items()),
        "call_total": sum(stats.calls.values()),
        "stats": stats,
        "unknown": unknown,
        "missing": missing,
        "errors": list(evidence_file.errors),
        "tool_version": __version__,
        "status_text": STATUS_TEXT,
        "decision_text": DECISION_TEXT,
        "suggestion_text": SUGGESTION_TEXT,
        "when": when,
        "counts_line": counts_line,
    }
