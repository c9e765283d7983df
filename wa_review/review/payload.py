"""Build the WA Tool answer (AnswerPayload) from a review session, within the API's limits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wa_review import __version__
from wa_review.assessment import ChoiceState, SuggestedState, finding_key
from wa_review.model.arn import resource_name
from wa_review.model.evidence import STATUSES_WORST_FIRST, Evidence, Status
from wa_review.model.questionnaire import Questionnaire
from wa_review.review.bundle import load_bundle
from wa_review.review.notes import refuse_notes_over_limit
from wa_review.review.outcome import ChoiceOutcome, assess_session, outcomes, risk_view
from wa_review.review.session import AcceptedFinding, Decision, ReviewSession
from wa_review.watool.payload import (
    CHOICE_NOTES_MAX,
    QUESTION_NOTES_MAX,
    AnswerPayload,
    ChoiceAnswer,
    ChoiceStatus,
    WaReason,
    fit_notes,
)

TRUNCATION_MARKER = "… [truncated, see wa-review report]"


def clip(text: str, limit: int, *, marker: str = TRUNCATION_MARKER) -> str:
    """Cut `text` to `limit` characters at a clean break, ending with `marker`."""
    return fit_notes(text.strip(), limit, marker=marker)


def counts_text(counts: dict[Status, int] | object) -> str:
    found = dict(counts) if isinstance(counts, dict) else {}
    parts = [
        f"{found[s]} {s.value.replace('_', ' ')}" for s in STATUSES_WORST_FIRST if found.get(s)
    ]
    return ", ".join(parts) or "no evidence"


def reviewer_first(own: str, summary: str, limit: int, *, gap: str = "\n") -> str:
    """The reviewer's notes whole, then as much of wa-review's summary as fits: our own text
    is cut, never theirs. (Notes longer than `limit` reach here only for a report: a push
    refuses them first, wa_review.review.notes.)"""
    own = own.strip()
    if not own:
        return clip(summary, limit)
    if len(own) >= limit:
        return clip(own, limit)
    room = limit - len(own) - len(gap)
    if len(summary) > room:
        summary = clip(summary, room) if room > len(TRUNCATION_MARKER) + 10 else ""
    return f"{own}{gap}{summary}" if summary else own


def _choice_notes(item: ChoiceOutcome, accepted: Sequence[AcceptedFinding] = ()) -> str:
    lines: list[str] = []
    if item.is_override:  # an auditor sees why the reviewer disagreed with the evidence
        lines.append(f"Override: {item.record.justification or '(no reason given)'}")
    keys = {finding_key(e) for e in item.suggestion.accepted}
    for found in (e for e in accepted if e.key in keys):
        until = f" until {found.expires.isoformat()}" if found.expires else ""
        lines.append(
            f"Accepted exception: {found.check_id} {resource_name(found.resource_arn)} "
            f"(owner {found.owner}{until}): {found.reason}"
        )
    origin = "reviewer" if item.from_reviewer else "suggested by wa-review"
    lines.append(f"{origin}; evidence: {counts_text(dict(item.suggestion.counts))}.")
    if item.suggestion.failing:
        first = item.suggestion.failing[0]
        lines.append(f"Failing: {first.check_id} {first.resource_arn or first.region}".rstrip())
    elif not item.from_reviewer and item.suggestion.reasons:
        lines.append(item.suggestion.reasons[0])
    return reviewer_first(item.record.notes, "\n".join(lines), CHOICE_NOTES_MAX)


def _question_notes(session: ReviewSession, items: Sequence[ChoiceOutcome], risk: str) -> str:
    lines: list[str] = []
    ref = session.evidence
    source = f" from evidence {ref.sha256[:12]} collected {ref.collected_at}" if ref else ""
    lines.append(f"wa-review {__version__} summary{source}:")
    for item in items:
        state = item.status.value if item.status else "undecided"
        origin = "reviewer" if item.from_reviewer else "suggested"
        lines.append(
            f"- {item.choice.title}: {state} ({origin}); "
            f"{counts_text(dict(item.suggestion.counts))}"
        )
    lines.append(f"Risk estimate: {risk}.")
    return reviewer_first(session.notes, "\n".join(lines), QUESTION_NOTES_MAX, gap="\n\n")


def suggested_reason(state: SuggestedState) -> WaReason | None:
    """Why a practice does not apply when the reviewer takes the suggestion as it is: a
    suggested "not applicable" means every check found nothing of it in scope (OUT_OF_SCOPE).
    The one place this is decided, for the TUI's accept and the push alike."""
    return WaReason.OUT_OF_SCOPE if state is ChoiceState.NOT_APPLICABLE else None


def _answer(item: ChoiceOutcome, accepted: Sequence[AcceptedFinding] = ()) -> ChoiceAnswer | None:
    if item.status is None:  # left to the reviewer: the push must not guess for them
        return None
    reason: WaReason | None = None
    if item.status is Decision.NOT_APPLICABLE:
        reason = item.record.reason if item.from_reviewer else None
        reason = reason or suggested_reason(item.suggestion.state) or WaReason.NONE
    return ChoiceAnswer(
        choice_id=item.choice.id,
        title=item.choice.title,
        status=ChoiceStatus(item.status.value),
        reason=reason,
        notes=_choice_notes(item, accepted),
        aws_titles=list(item.choice.aws_titles),
    )


def payload_from_session(
    session: ReviewSession, questionnaire: Questionnaire, evidence: Sequence[Evidence]
) -> AnswerPayload:
    """The answer to push: reviewer decisions, else confident suggestions; undecided choices
    that need the reviewer are left out, so the push does not change them."""
    items = outcomes(session, questionnaire, assess_session(session, questionnaire, evidence))
    view = risk_view(session, questionnaire, items)
    answers = [a for a in (_answer(i, session.exceptions) for i in items) if a is not None]
    return AnswerPayload(
        lens_alias=questionnaire.lens_alias,
        pillar_id=questionnaire.pillar_id,
        question_id=questionnaire.question_id,
        question_title=questionnaire.title,
        choices=answers,
        notes=_question_notes(session, items, view.estimate.value),
        is_applicable=session.is_applicable,
        reason=None if session.is_applicable else session.not_applicable_reason,
        # Only a decision made in wa-review changes the WA Tool's IsApplicable.
        applicability_decided=bool(session.applicability_decided_by) or not session.is_applicable,
        aws_titles=list(questionnaire.aws_titles),
    )


def payload_from_session_file(path: Path) -> AnswerPayload:
    """Load a session, its questionnaire and its (hash-checked) evidence, and build the answer."""
    bundle = load_bundle(Path(path))
    refuse_notes_over_limit(bundle.session, bundle.questionnaire)  # never cut the reviewer's words
    return payload_from_session(bundle.session, bundle.questionnaire, bundle.evidence_file.evidence)
