"""Where a session stands: each choice's effective status (the reviewer's, else a confident
suggestion) and the risk to show. Reports and the WA payload both read from here, so they agree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from wa_review import __version__
from wa_review.assessment import (
    Assessment,
    ChoiceState,
    Suggestion,
    assess,
    risk,
)
from wa_review.model.choice import decided_by_suggestion
from wa_review.model.evidence import Evidence
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Choice, Questionnaire, Risk
from wa_review.review.session import (
    ChoiceDecision,
    Decision,
    EvidenceRef,
    ReviewSession,
    SuggestionRecord,
    Workload,
    active_exceptions,
    now_utc,
)


@dataclass(frozen=True, slots=True)
class ChoiceOutcome:
    choice: Choice
    record: ChoiceDecision
    suggestion: Suggestion
    status: Decision | None  # None: undecided and no confident suggestion
    from_reviewer: bool

    @property
    def is_override(self) -> bool:
        """The reviewer decided against the evidence (reports say so, with the reason)."""
        return self.from_reviewer and goes_against(self.suggestion, self.status)


# Deciding one of these while the evidence suggests the other needs a reason.
_AGAINST = {
    Decision.SELECTED: ChoiceState.UNSELECTED,
    Decision.UNSELECTED: ChoiceState.SELECTED,
}


def goes_against(suggestion: Suggestion, decision: Decision | None) -> bool:
    """Selecting against failing evidence, or unselecting what the evidence supports."""
    if decision is None or suggestion.pending_checks:
        return False
    return _AGAINST.get(decision) is suggestion.state


def assess_session(
    session: ReviewSession,
    questionnaire: Questionnaire,
    evidence: Sequence[Evidence],
    pending: frozenset[str] = frozenset(),
    *,
    today: date | None = None,
) -> Assessment:
    """The assessment of `evidence` with the session's exceptions that still hold taken out."""
    accepted = active_exceptions(session, today)
    return assess(questionnaire, evidence, pending, accepted=accepted)


@dataclass(frozen=True, slots=True)
class RiskView:
    shown: Risk
    estimate: Risk
    from_wa_tool: bool
    lens_version: str | None


_ACCOUNT = re.compile(r"^\d{12}$")


def default_workload(evidence: EvidenceFile | None) -> Workload:
    """The workload a fresh review starts with; the reviewer can rename it before a push."""
    accounts = [a for a in (evidence.accounts if evidence else ()) if _ACCOUNT.match(a)]
    return Workload(
        name=f"serverless-{accounts[0]}" if accounts else "serverless-workload",
        regions=list(evidence.regions if evidence else ())[:50],
        accounts=accounts[:100],
    )


def with_evidence_scope(session: ReviewSession, evidence: EvidenceFile) -> ReviewSession:
    """The workload records what the evidence covers: its accounts and Regions fill what the
    reviewer has not set (and the placeholder name of a review begun before any evidence)."""
    found = default_workload(evidence)
    workload = session.workload
    changes: dict[str, object] = {}
    if not workload.accounts and found.accounts:
        changes["accounts"] = found.accounts
    if not workload.regions and found.regions:
        changes["regions"] = found.regions
    if workload.name == default_workload(None).name and found.name != workload.name:
        changes["name"] = found.name
    if not changes:
        return session
    data = session.model_dump()
    data["workload"] = {**workload.model_dump(), **changes}
    return ReviewSession.model_validate(data)


def new_session(
    questionnaire: Questionnaire,
    workload: Workload,
    *,
    tool_version: str = __version__,
    at: datetime | None = None,
) -> ReviewSession:
    at = at or now_utc()
    return ReviewSession(
        tool_version=tool_version,
        lens_alias=questionnaire.lens_alias,
        question_id=questionnaire.question_id,
        workload=workload,
        choices=[ChoiceDecision(choice_id=c.id) for c in questionnaire.choices],
        created_at=at,
        updated_at=at,
    )


def refresh_suggestions(
    session: ReviewSession,
    questionnaire: Questionnaire,
    assessment: Assessment,
    evidence: EvidenceRef,
    *,
    at: datetime | None = None,
) -> ReviewSession:
    """New suggestions and evidence reference; decisions and notes are kept as they are."""
    records: list[ChoiceDecision] = []
    for choice in questionnaire.choices:
        try:
            current = session.choice(choice.id)
        except KeyError:
            current = ChoiceDecision(choice_id=choice.id)
        found = assessment.get(choice.id)
        record = SuggestionRecord(
            state=found.state, reasons=list(found.reasons), counts=dict(found.counts)
        )
        records.append(current.model_copy(update={"suggestion": record}))
    # A choice the questionnaire no longer has keeps its record, so no decision is ever lost.
    kept = {c.id for c in questionnaire.choices}
    records += [c for c in session.choices if c.choice_id not in kept]
    data = session.model_copy(
        update={
            "choices": records,
            "evidence": evidence,
            "previous_evidence": previous_evidence(session, evidence),
            "tool_version": __version__,
            "updated_at": at or now_utc(),
        }
    ).model_dump()
    return ReviewSession.model_validate(data)


def previous_evidence(session: ReviewSession, new: EvidenceRef) -> EvidenceRef | None:
    """The evidence "since the last review" compares with once `new` is assessed: the one
    assessed until now, unless `new` is that same file again."""
    if session.evidence is not None and session.evidence.sha256 != new.sha256:
        return session.evidence
    return session.previous_evidence


def outcomes(
    session: ReviewSession, questionnaire: Questionnaire, assessment: Assessment
) -> tuple[ChoiceOutcome, ...]:
    """Per questionnaire choice: the reviewer's decision, else a confident suggestion.

    A reviewer's decision always beats a suggestion, including for "None of these": when the
    reviewer selected a practice, a suggested "None of these" falls back to UNSELECTED, and
    when the reviewer chose "None of these", suggested practices fall back to UNSELECTED.
    """
    found: list[ChoiceOutcome] = []
    for choice in questionnaire.choices:
        try:
            record = session.choice(choice.id)
        except KeyError:
            record = ChoiceDecision(choice_id=choice.id)
        suggestion = assessment.get(choice.id)
        if record.decision is not None:
            found.append(ChoiceOutcome(choice, record, suggestion, record.decision, True))
        else:
            status = decided_by_suggestion(suggestion.state)
            found.append(ChoiceOutcome(choice, record, suggestion, status, False))
    picked = [o.choice for o in found if o.from_reviewer and o.status is Decision.SELECTED]
    chose_none = any(c.is_none_of_these for c in picked)
    chose_practice = any(not c.is_none_of_these for c in picked)
    result: list[ChoiceOutcome] = []
    for item in found:
        clash = chose_practice if item.choice.is_none_of_these else chose_none
        if not item.from_reviewer and item.status is Decision.SELECTED and clash:
            item = ChoiceOutcome(
                item.choice, item.record, item.suggestion, Decision.UNSELECTED, False
            )
        result.append(item)
    return tuple(result)


def risk_view(
    session: ReviewSession, questionnaire: Questionnaire, items: tuple[ChoiceOutcome, ...]
) -> RiskView:
    """The WA Tool's risk once a push recorded it; our estimate from the rules until then."""
    estimate = risk(
        questionnaire,
        {o.choice.id: o.status for o in items},
        is_applicable=session.is_applicable,
    )
    pushed = session.watool
    if pushed is not None and pushed.risk is not None:
        return RiskView(pushed.risk, estimate, True, pushed.lens_version)
    return RiskView(estimate, estimate, False, pushed.lens_version if pushed else None)
