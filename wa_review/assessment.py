"""Questionnaire rules + evidence -> a suggested state per choice, and risk from decisions.

The suggestion rule (`evidence`), in order of precedence:
  1. any FAIL                 -> UNSELECTED, citing the failing evidence (and any unknowns);
  2. any UNKNOWN, or a check
     that left no evidence    -> NEEDS_REVIEWER (never a confident guess over a blind spot);
  3. at least one PASS        -> SELECTED (WARN rows are cited as caveats);
  4. WARN but no PASS         -> NEEDS_REVIEWER (warnings are information, not a verdict);
  5. only NOT_APPLICABLE      -> NOT_APPLICABLE, with the questionnaire's reason.
A choice with no evidence at all is NEEDS_REVIEWER: nothing scanned is not "not applicable".

"None of these" (`none_of_these`) follows the other choices: UNSELECTED when any is suggested
SELECTED; SELECTED when every other choice is UNSELECTED or NOT_APPLICABLE and at least one is
UNSELECTED (the evidence says no practice is in place); otherwise NEEDS_REVIEWER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from wa_review.model.choice import NEEDS_REVIEWER, ChoiceState, SuggestedState
from wa_review.model.evidence import Evidence, Status
from wa_review.model.questionnaire import Choice, Questionnaire, Risk, SuggestRule
from wa_review.questionnaires.conditions import evaluate, parse_condition

__all__ = [
    "NEEDS_REVIEWER",
    "Assessment",
    "ChoiceState",
    "Risk",
    "SuggestedState",
    "Suggestion",
    "assess",
    "finding_key",
    "risk",
]

MAX_CITED = 3  # evidence rows quoted per reason; the report has the full table

# One finding, as a reviewer accepts it as an exception: the check, the resource, where.
FindingKey = tuple[str, str, str, str]


def finding_key(evidence: Evidence) -> FindingKey:
    return (evidence.check_id, evidence.resource_arn, evidence.region, evidence.account)


@dataclass(frozen=True, slots=True)
class Suggestion:
    choice_id: str
    state: SuggestedState
    reasons: tuple[str, ...]
    counts: Mapping[Status, int] = field(default_factory=dict)
    failing: tuple[Evidence, ...] = ()
    unknown: tuple[Evidence, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # every row behind this choice, in check order
    missing_checks: tuple[str, ...] = ()  # checks that left no evidence at all
    pending_checks: tuple[str, ...] = ()  # checks still waiting for the collection
    accepted: tuple[Evidence, ...] = ()  # failing rows the reviewer accepted as exceptions


@dataclass(frozen=True, slots=True)
class Assessment:
    lens_alias: str
    question_id: str
    suggestions: tuple[Suggestion, ...]

    def get(self, choice_id: str) -> Suggestion:
        for item in self.suggestions:
            if item.choice_id == choice_id:
                return item
        raise KeyError(choice_id)

    @property
    def states(self) -> dict[str, SuggestedState]:
        return {s.choice_id: s.state for s in self.suggestions}


def _cite(rows: Sequence[Evidence]) -> str:
    shown = "; ".join(f"{e.check_id}: {e.summary}" for e in rows[:MAX_CITED])
    more = f" (+{len(rows) - MAX_CITED} more)" if len(rows) > MAX_CITED else ""
    return shown + more


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _by_evidence(
    choice: Choice, every: Sequence[Evidence], accepted: Collection[FindingKey] = ()
) -> Suggestion:
    """The suggestion from `every` row, except failing rows accepted as exceptions, which are
    cited and listed but count as if they were not there."""
    taken = tuple(e for e in every if e.status is Status.FAIL and finding_key(e) in accepted)
    rows = [e for e in every if e not in taken] if taken else list(every)
    counts = Counter(e.status for e in rows)
    failing = tuple(e for e in rows if e.status is Status.FAIL)
    unknown = tuple(e for e in rows if e.status is Status.UNKNOWN)
    warns = [e for e in rows if e.status is Status.WARN]
    seen = {e.check_id for e in every}
    missing = tuple(c for c in choice.checks if c not in seen)
    reasons: list[str] = []
    if taken:
        reasons.append(
            f"{_count(len(taken), 'failing result')} accepted as exceptions: {_cite(taken)}"
        )

    def blind_spots() -> None:
        if unknown:
            reasons.append(
                f"{_count(len(unknown), 'resource')} could not be checked: {_cite(unknown)}"
            )
        if missing:
            reasons.append(f"No evidence from {', '.join(missing)}: the check did not run.")

    state: SuggestedState
    if failing:
        state = ChoiceState.UNSELECTED
        reasons.append(f"{_count(len(failing), 'failing result')}: {_cite(failing)}")
        blind_spots()
    elif unknown or missing:
        state = NEEDS_REVIEWER
        blind_spots()
        if counts[Status.PASS]:
            reasons.append(f"{_count(counts[Status.PASS], 'passing result')} so far.")
    elif counts[Status.PASS]:
        state = ChoiceState.SELECTED
        reasons.append(f"{_count(counts[Status.PASS], 'passing result')}, none failing.")
        if warns:
            reasons.append(f"Caveats ({len(warns)}): {_cite(warns)}")
    elif warns:
        # Warnings are information, not a verdict: with nothing passing, a person decides.
        state = NEEDS_REVIEWER
        reasons.append(f"Only warnings, nothing passing ({len(warns)}): {_cite(warns)}")
    elif rows:
        state = ChoiceState.NOT_APPLICABLE
        if choice.suggestion.not_applicable_reason:
            reasons.append(choice.suggestion.not_applicable_reason)
        reasons.extend(sorted({e.summary for e in rows if e.summary})[:MAX_CITED])
    else:
        state = NEEDS_REVIEWER
        reasons.append("No evidence was collected for this practice.")
    return Suggestion(
        choice_id=choice.id,
        state=state,
        reasons=tuple(reasons),
        counts={s: counts[s] for s in Status if counts[s]},
        failing=failing,
        unknown=unknown,
        evidence=tuple(every),
        missing_checks=missing,
        accepted=taken,
    )


def _waiting(choice: Choice, rows: Sequence[Evidence], waiting: tuple[str, ...]) -> Suggestion:
    counts = Counter(e.status for e in rows)
    done = len(choice.checks) - len(waiting)
    return Suggestion(
        choice_id=choice.id,
        state=NEEDS_REVIEWER,
        reasons=(
            f"Still collecting: {done} of {len(choice.checks)} checks have answered; "
            "the suggestion comes when the rest do.",
        ),
        counts={s: counts[s] for s in Status if counts[s]},
        failing=tuple(e for e in rows if e.status is Status.FAIL),
        unknown=tuple(e for e in rows if e.status is Status.UNKNOWN),
        evidence=tuple(rows),
        pending_checks=waiting,
    )


def _none_of_these(choice: Choice, others: Sequence[Suggestion]) -> Suggestion:
    waiting = tuple(c for s in others for c in s.pending_checks)
    if waiting:
        return Suggestion(
            choice_id=choice.id,
            state=NEEDS_REVIEWER,
            reasons=("Still collecting: this follows from the other practices.",),
            pending_checks=waiting,
        )
    states = [s.state for s in others]
    met = [s.choice_id for s in others if s.state is ChoiceState.SELECTED]
    state: SuggestedState
    if met:
        state = ChoiceState.UNSELECTED
        reasons = (f"At least one practice looks in place: {', '.join(met)}.",)
    elif ChoiceState.UNSELECTED in states and NEEDS_REVIEWER not in states:
        state = ChoiceState.SELECTED
        reasons = ("Evidence shows none of the practices in place.",)
    elif states and all(s is ChoiceState.NOT_APPLICABLE for s in states):
        state = NEEDS_REVIEWER
        reasons = (
            "Every practice looks out of scope: consider marking the question not applicable.",
        )
    else:
        state = NEEDS_REVIEWER
        reasons = ("Decide once the practices that need you are decided.",)
    return Suggestion(choice_id=choice.id, state=state, reasons=reasons)


def assess(
    questionnaire: Questionnaire,
    evidence: Sequence[Evidence],
    pending: frozenset[str] = frozenset(),
    accepted: Collection[FindingKey] = frozenset(),
) -> Assessment:
    """Suggest a state for every choice from the evidence of the checks the YAML lists for it.

    `pending` names checks a running collection has not answered yet: a choice that relies
    on one shows its evidence so far but suggests nothing (half the evidence could pass a
    practice the rest fails). `accepted` holds the failing findings the reviewer accepted as
    exceptions (`finding_key`): the suggestion is made as if they were not there.
    """
    by_check: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_check.setdefault(item.check_id, []).append(item)
    suggestions: dict[str, Suggestion] = {}
    for choice in questionnaire.choices:
        rule = choice.suggestion.rule
        if rule is SuggestRule.EVIDENCE:
            rows = [e for check in choice.checks for e in by_check.get(check, [])]
            waiting = tuple(c for c in choice.checks if c in pending)
            suggestions[choice.id] = (
                _waiting(choice, rows, waiting) if waiting else _by_evidence(choice, rows, accepted)
            )
        elif rule is SuggestRule.MANUAL:
            suggestions[choice.id] = Suggestion(
                choice.id, NEEDS_REVIEWER, ("No automated checks: you decide.",)
            )
    for choice in questionnaire.choices:
        if choice.suggestion.rule is SuggestRule.NONE_OF_THESE:
            suggestions[choice.id] = _none_of_these(choice, list(suggestions.values()))
    return Assessment(
        lens_alias=questionnaire.lens_alias,
        question_id=questionnaire.question_id,
        suggestions=tuple(suggestions[c.id] for c in questionnaire.choices),
    )


def risk(
    questionnaire: Questionnaire,
    decisions: Mapping[str, ChoiceState | None],
    *,
    is_applicable: bool = True,
) -> Risk:
    """Our estimate of the risk from the YAML risk rules.

    `decisions` maps choice id to a ChoiceState or None (undecided). NOT_APPLICABLE is neutral,
    as in the WA Tool. With nothing selected and nothing marked not applicable, the question is
    UNANSWERED.
    """
    if not is_applicable:
        return Risk.NOT_APPLICABLE
    values: dict[str, bool | None] = {}
    for choice_id in questionnaire.choice_ids:
        status = decisions.get(choice_id)
        values[choice_id] = (
            None if status == ChoiceState.NOT_APPLICABLE else status == ChoiceState.SELECTED
        )
    if not any(v is None or v for v in values.values()):
        return Risk.UNANSWERED
    for rule in questionnaire.risk_rules:
        condition = rule.condition.strip()
        if condition == "default":
            return Risk(rule.risk)
        if evaluate(parse_condition(condition, choice_ids=questionnaire.choice_ids), values):
            return Risk(rule.risk)
    return Risk.UNANSWERED  # no default rule: the WA Tool shows such a question as unanswered
