"""Build the WA Tool answer (AnswerPayload) from a review session, within the API's limits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wa_review import __version__
from wa_review.assessment import ChoiceState, assess
from wa_review.model.evidence import STATUSES_WORST_FIRST, Evidence, Status
from wa_review.model.questionnaire import Questionnaire
from wa_review.review.bundle import load_bundle
from wa_review.review.outcome import ChoiceOutcome, outcomes, risk_view
from wa_review.review.session import Decision, ReviewSession
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


def _choice_notes(item: ChoiceOutcome) -> str:
    lines = [item.record.notes.strip()] if item.record.notes.strip() else []
    origin = "reviewer" if item.from_reviewer else "suggested by wa-review"
    lines.append(f"{origin}; evidence: {counts_text(dict(item.suggestion.counts))}.")
    if item.suggestion.failing:
        first = item.suggestion.failing[0]
        lines.append(f"Failing: {first.check_id} {first.resource_arn or first.region}".rstrip())
    elif not item.from_reviewer and item.suggestion.reasons:
        lines.append(item.suggestion.reasons[0])
    return clip("\n".join(lines), CHOICE_NOTES_MAX)


def _question_notes(session: ReviewSession, items: Sequence[ChoiceOutcome], risk: str) -> str:
    lines = [session.notes.strip(), ""] if session.notes.strip() else []
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
    return clip("\n".join(lines), QUESTION_NOTES_MAX)


def _answer(item: ChoiceOutcome) -> ChoiceAnswer | None:
    if item.status is None:  # left to the reviewer: the push must not guess for them
        return None
    reason: WaReason | None = None
    if item.status is Decision.NOT_APPLICABLE:
        reason = item.record.reason if item.from_reviewer else None
        reason = reason or (
            WaReason.OUT_OF_SCOPE
            if item.suggestion.state is ChoiceState.NOT_APPLICABLE
            else WaReason.NONE
        )
    return ChoiceAnswer(
        choice_id=item.choice.id,
        title=item.choice.title,
        status=ChoiceStatus(item.status.value),
        reason=reason,
        notes=_choice_notes(item),
    )


def payload_from_session(
    session: ReviewSession, questionnaire: Questionnaire, evidence: Sequence[Evidence]
) -> AnswerPayload:
    """The answer to push: reviewer decisions, else confident suggestions; undecided choices
    that need the reviewer are left out, so the push does not change them."""
    items = outcomes(session, questionnaire, assess(questionnaire, evidence))
    view = risk_view(session, questionnaire, items)
    answers = [a for a in (_answer(i) for i in items) if a is not None]
    return AnswerPayload(
        lens_alias=questionnaire.lens_alias,
        pillar_id=questionnaire.pillar_id,
        question_id=questionnaire.question_id,
        question_title=questionnaire.title,
        choices=answers,
        notes=_question_notes(session, items, view.estimate.value),
        is_applicable=session.is_applicable,
        reason=None if session.is_applicable else session.not_applicable_reason,
    )


def payload_from_session_file(path: Path) -> AnswerPayload:
    """Load a session, its questionnaire and its (hash-checked) evidence, and build the answer."""
    bundle = load_bundle(Path(path))
    return payload_from_session(bundle.session, bundle.questionnaire, bundle.evidence_file.evidence)
