"""A review session: workload facts, the evidence it rests on, suggestions and the reviewer's say.

The models are frozen; the `with_*`/`decide` helpers return a new, re-validated session, which
the caller saves (wa_review.review.store) after every decision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from wa_review.assessment import FindingKey
from wa_review.model.choice import ChoiceState, SuggestedState
from wa_review.model.evidence import Status
from wa_review.model.questionnaire import Risk
from wa_review.watool.payload import WaReason

SESSION_SCHEMA_VERSION: Literal[1] = 1

JUSTIFICATION_MAX = 500  # a short reason, not an essay: it goes into the choice's WA notes
AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]

# The reviewer's notes are kept whole even when longer than the WA Tool takes (250 per choice,
# 2,084 per question): a push refuses them until trimmed (wa_review.review.notes) instead of
# cutting them. This bound only keeps a session file small (store.MAX_SESSION_BYTES).
SESSION_NOTES_MAX = 16_384


Decision = ChoiceState  # the reviewer's say on a choice (same values on disk as before)


class Environment(StrEnum):
    PRODUCTION = "PRODUCTION"
    PREPRODUCTION = "PREPRODUCTION"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Workload(_Strict):
    """What CreateWorkload needs (limits are the WA Tool's)."""

    name: str = Field(min_length=3, max_length=100)
    description: str = Field(default="", max_length=250)
    environment: Environment = Environment.PREPRODUCTION
    review_owner: str = Field(default="", max_length=255)
    regions: list[str] = Field(default_factory=list, max_length=50)
    accounts: list[AccountId] = Field(default_factory=list, max_length=100)


class EvidenceRef(_Strict):
    """The evidence file this session was assessed from; relative paths are from the session."""

    path: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    collected_at: str = ""


class SuggestionRecord(_Strict):
    state: SuggestedState
    reasons: list[str] = Field(default_factory=list)
    counts: dict[Status, int] = Field(default_factory=dict)


class ChoiceDecision(_Strict):
    choice_id: str = Field(min_length=1, max_length=64)
    suggestion: SuggestionRecord | None = None
    decision: Decision | None = None
    reason: WaReason | None = None  # why NOT_APPLICABLE
    notes: str = Field(default="", max_length=SESSION_NOTES_MAX)
    decided_by: str = ""
    decided_at: datetime | None = None
    # Why the reviewer decided against the evidence (an override); empty when they agree.
    justification: str = Field(default="", max_length=JUSTIFICATION_MAX)

    @model_validator(mode="after")
    def _consistent(self) -> ChoiceDecision:
        if self.reason is not None and self.decision is not Decision.NOT_APPLICABLE:
            raise ValueError("a reason is only for a choice decided NOT_APPLICABLE")
        if self.choice_id.endswith("_no") and self.decision is Decision.NOT_APPLICABLE:
            raise ValueError("'None of these' cannot be NOT_APPLICABLE (the WA Tool refuses it)")
        return self


class AcceptedFinding(_Strict):
    """A failing finding the reviewer accepts as an exception: it no longer counts against its
    practice until it expires (the day after `expires`)."""

    check_id: str = Field(min_length=1)
    resource_arn: str = ""
    region: str = ""
    account: str = ""
    reason: str = Field(min_length=1, max_length=JUSTIFICATION_MAX)
    owner: str = Field(min_length=1, max_length=255)
    expires: date | None = None
    accepted_by: str = ""
    accepted_at: datetime | None = None

    @property
    def key(self) -> FindingKey:
        return (self.check_id, self.resource_arn, self.region, self.account)

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires


class WaToolRecord(_Strict):
    """What the last push learned from the WA Tool (written by `wa-review push`)."""

    workload_id: str | None = None
    lens_version: str | None = None
    risk: Risk | None = None
    pushed_at: datetime | None = None
    milestone_number: int | None = None
    # A milestone the push could not create after writing the answer: the next push retries it.
    pending_milestone: str | None = Field(default=None, min_length=3, max_length=100)


class ReviewSession(_Strict):
    schema_version: Literal[1] = SESSION_SCHEMA_VERSION
    tool_version: str
    lens_alias: str = "serverless"
    question_id: str = "sec_q2"
    workload: Workload
    evidence: EvidenceRef | None = None
    # The evidence assessed before `evidence`: what "since the last review" compares with.
    previous_evidence: EvidenceRef | None = None
    choices: list[ChoiceDecision] = Field(default_factory=list)
    notes: str = Field(default="", max_length=SESSION_NOTES_MAX)
    is_applicable: bool = True
    not_applicable_reason: WaReason | None = None
    applicability_decided_by: str = ""
    applicability_decided_at: datetime | None = None
    position: str | None = None  # the choice the reviewer last looked at
    created_at: datetime
    updated_at: datetime
    watool: WaToolRecord | None = None
    exceptions: list[AcceptedFinding] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ReviewSession:
        ids = [c.choice_id for c in self.choices]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"choice {dupes[0]!r} appears more than once")
        selected = [c.choice_id for c in self.choices if c.decision is Decision.SELECTED]
        nones = [i for i in selected if i.endswith("_no")]
        if nones and len(selected) > 1:
            raise ValueError(f"'{nones[0]}' (None of these) is selected together with {selected}")
        if self.is_applicable and self.not_applicable_reason is not None:
            raise ValueError("not_applicable_reason is set but the question is applicable")
        if self.position is not None and self.position not in ids:
            raise ValueError(f"position {self.position!r} is not a choice of this session")
        return self

    def choice(self, choice_id: str) -> ChoiceDecision:
        for item in self.choices:
            if item.choice_id == choice_id:
                return item
        raise KeyError(choice_id)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _changed(session: ReviewSession, at: datetime | None, **changes: object) -> ReviewSession:
    """Apply changes and re-run every validator (model_copy alone would skip them)."""
    data = session.model_copy(update={**changes, "updated_at": at or now_utc()}).model_dump()
    return ReviewSession.model_validate(data)


def _replace(choices: list[ChoiceDecision], new: ChoiceDecision) -> list[ChoiceDecision]:
    return [new if c.choice_id == new.choice_id else c for c in choices]


def decide(
    session: ReviewSession,
    choice_id: str,
    decision: Decision | None,
    *,
    by: str,
    reason: WaReason | None = None,
    notes: str | None = None,
    at: datetime | None = None,
    justification: str = "",
) -> ReviewSession:
    """Record the reviewer's decision (None clears it). "None of these" stays exclusive, as in
    the WA console: selecting it unselects the others, selecting another unselects it.
    `justification` says why the decision goes against the evidence; a new decision replaces
    the old one's."""
    at = at or now_utc()
    current = session.choice(choice_id)
    updated = ChoiceDecision.model_validate(
        {
            **current.model_dump(),
            "decision": decision,
            "reason": reason if decision is Decision.NOT_APPLICABLE else None,
            "notes": current.notes if notes is None else notes,
            "decided_by": by if decision is not None else "",
            "decided_at": at if decision is not None else None,
            "justification": justification.strip() if decision is not None else "",
        }
    )
    choices = _replace(session.choices, updated)
    for other in cleared_by(session, choice_id, decision):
        unselected = other.model_copy(
            update={"decision": Decision.UNSELECTED, "decided_by": by, "decided_at": at}
        )
        choices = _replace(choices, unselected)
    return _changed(session, at, choices=choices, position=choice_id)


def cleared_by(
    session: ReviewSession, choice_id: str, decision: Decision | None
) -> list[ChoiceDecision]:
    """The reviewer's selections that deciding `choice_id` would clear: selecting "None of
    these" clears every selected practice, selecting a practice clears "None of these"."""
    if decision is not Decision.SELECTED:
        return []
    return [
        other
        for other in session.choices
        if other.choice_id.endswith("_no") != choice_id.endswith("_no")
        and other.decision is Decision.SELECTED
    ]


def annotate(
    session: ReviewSession, choice_id: str, notes: str, *, at: datetime | None = None
) -> ReviewSession:
    """Set a choice's notes (kept whole; the WA Tool takes 250 characters, see review.notes)."""
    updated = ChoiceDecision.model_validate(
        {**session.choice(choice_id).model_dump(), "notes": notes}
    )
    return _changed(session, at, choices=_replace(session.choices, updated))


def with_question_notes(
    session: ReviewSession, notes: str, *, at: datetime | None = None
) -> ReviewSession:
    return _changed(session, at, notes=notes)


def with_applicability(
    session: ReviewSession,
    is_applicable: bool,
    *,
    by: str,
    reason: WaReason | None = None,
    at: datetime | None = None,
) -> ReviewSession:
    """Mark the whole question (not) applicable; the reason is kept only when it is not."""
    at = at or now_utc()
    return _changed(
        session,
        at,
        is_applicable=is_applicable,
        not_applicable_reason=None if is_applicable else (reason or WaReason.NONE),
        applicability_decided_by=by,
        applicability_decided_at=at,
    )


def with_position(session: ReviewSession, choice_id: str | None) -> ReviewSession:
    # Viewing is not a change of substance: keep updated_at as it was.
    return _changed(session, session.updated_at, position=choice_id)


def accept_finding(
    session: ReviewSession, finding: AcceptedFinding, *, at: datetime | None = None
) -> ReviewSession:
    """Accept one failing finding as an exception (replacing an earlier acceptance of it)."""
    at = at or now_utc()
    finding = finding.model_copy(update={"accepted_at": finding.accepted_at or at})
    kept = [e for e in session.exceptions if e.key != finding.key]
    return _changed(session, at, exceptions=[*kept, finding])


def withdraw_finding(
    session: ReviewSession, key: FindingKey, *, at: datetime | None = None
) -> ReviewSession:
    """The finding counts against its practice again."""
    return _changed(session, at, exceptions=[e for e in session.exceptions if e.key != key])


def active_exceptions(session: ReviewSession, today: date | None = None) -> frozenset[FindingKey]:
    """The accepted findings that still hold today (an expired one counts again)."""
    today = today or now_utc().date()
    return frozenset(e.key for e in session.exceptions if e.active(today))
