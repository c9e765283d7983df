"""What the app reviews: a session with its questionnaire and evidence (plain data, no Textual)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from wa_review.assessment import Assessment
from wa_review.diffing.previous import SinceLastReview, since_last_review
from wa_review.errors import InputFileError
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.model.questionnaire import Choice, Questionnaire
from wa_review.preview import Preview
from wa_review.questionnaires import sec2
from wa_review.review.bundle import evidence_ref, load_bundle
from wa_review.review.outcome import (
    ChoiceOutcome,
    RiskView,
    assess_session,
    default_workload,
    new_session,
    outcomes,
    previous_evidence,
    refresh_suggestions,
    risk_view,
    with_evidence_scope,
)
from wa_review.review.session import EvidenceRef, ReviewSession
from wa_review.review.store import load_session, save_session


@dataclass(frozen=True, slots=True)
class Review:
    """The single source of truth the screens read; replaced (never mutated) on every change."""

    session_path: Path
    session: ReviewSession
    questionnaire: Questionnaire
    assessment: Assessment
    evidence_path: Path | None = None
    evidence_file: EvidenceFile | None = None
    preview: Preview | None = None
    """Evidence of the checks that have answered while the first collection runs."""
    since: SinceLastReview | None = None
    """The changes since the evidence assessed before this one (None: there was none)."""

    def with_session(self, session: ReviewSession) -> Review:
        if session.exceptions == self.session.exceptions:
            return replace(self, session=session)
        # An exception accepted or withdrawn changes the suggestions: assess again.
        if self.evidence_file is not None:
            evidence, pending = self.evidence_file.evidence, frozenset[str]()
        elif self.preview is not None:
            evidence, pending = self.preview.evidence, self.preview.pending
        else:
            evidence, pending = (), frozenset()
        found = assess_session(session, self.questionnaire, evidence, pending)
        return replace(self, session=session, assessment=found)

    @property
    def outcomes(self) -> tuple[ChoiceOutcome, ...]:
        return outcomes(self.session, self.questionnaire, self.assessment)

    @property
    def risk(self) -> RiskView:
        return risk_view(self.session, self.questionnaire, self.outcomes)

    @property
    def choices(self) -> list[Choice]:
        return list(self.questionnaire.choices)

    def outcome(self, choice_id: str) -> ChoiceOutcome:
        return next(o for o in self.outcomes if o.choice.id == choice_id)


def default_session_path(evidence_path: Path) -> Path:
    """evidence.json -> evidence.review.yaml, beside it."""
    return evidence_path.with_name(f"{evidence_path.stem}.review.yaml")


@dataclass(frozen=True, slots=True)
class AssessedEvidence:
    """New evidence, judged: computed in a worker, applied to the latest session on the UI side."""

    path: Path
    evidence_file: EvidenceFile
    assessment: Assessment
    ref: EvidenceRef
    since: SinceLastReview | None = None


def assess_evidence(review: Review, path: Path, evidence_file: EvidenceFile) -> AssessedEvidence:
    assessment = assess_session(review.session, review.questionnaire, evidence_file.evidence)
    ref = evidence_ref(path, review.session_path, evidence_file)
    previous = previous_evidence(review.session, ref)
    since = since_last_review(review.session_path, previous, evidence_file, review.questionnaire)
    return AssessedEvidence(path, evidence_file, assessment, ref, since)


def with_evidence(review: Review, found: AssessedEvidence) -> Review:
    """New suggestions from new evidence; the reviewer's decisions and notes are kept."""
    session = refresh_suggestions(review.session, review.questionnaire, found.assessment, found.ref)
    session = with_evidence_scope(session, found.evidence_file)
    return replace(
        review,
        session=session,
        assessment=found.assessment,
        evidence_path=found.path,
        evidence_file=found.evidence_file,
        preview=None,
        since=found.since,
    )


def with_preview(review: Review, preview: Preview | None) -> Review:
    """Show what the running collection has judged so far (or, with None, nothing again).

    Only a review with no evidence file takes it: a re-collection keeps showing the
    complete evidence it has until the new one is complete too. The session is untouched:
    suggestions are recorded only from complete evidence.
    """
    if review.evidence_file is not None:
        return review
    if preview is None:
        found = assess_session(review.session, review.questionnaire, ())
        return replace(review, assessment=found, preview=None)
    assessment = assess_session(
        review.session, review.questionnaire, preview.evidence, preview.pending
    )
    return replace(review, assessment=assessment, preview=preview)


def open_review(
    *,
    evidence_path: Path | None = None,
    session_path: Path | None = None,
    questionnaire: Questionnaire | None = None,
    previous_evidence: bool = True,
) -> Review:
    """Resume a saved session, or start one from an evidence file (saved at once, with the
    suggestions; a session begun without evidence is saved at its first change).

    `previous_evidence=False` resumes the decisions only: new evidence is on its way (a
    collection), so the old file is neither read nor required to be unchanged.
    """
    questionnaire = questionnaire or sec2()
    if session_path is None:
        if evidence_path is None:
            raise InputFileError("Nothing to open: pass an evidence file or a review session.")
        session_path = default_session_path(evidence_path)
    evidence = load_evidence_file(evidence_path) if evidence_path is not None else None
    if not session_path.exists():
        session = new_session(questionnaire, default_workload(evidence))
    else:
        session = load_session(session_path)
        if session.evidence is not None and evidence is None and previous_evidence:
            bundle = load_bundle(session_path, questionnaire=questionnaire)
            return Review(
                session_path,
                bundle.session,
                questionnaire,
                bundle.assessment,
                bundle.evidence_path,
                bundle.evidence_file,
                since=since_last_review(
                    session_path,
                    bundle.session.previous_evidence,
                    bundle.evidence_file,
                    questionnaire,
                ),
            )
    review = Review(
        session_path, session, questionnaire, assess_session(session, questionnaire, ())
    )
    if evidence_path is not None and evidence is not None:
        review = with_evidence(review, assess_evidence(review, evidence_path, evidence))
        save_session(review.session, review.session_path)
    # Without evidence nothing has changed yet: the file is written at the first change (a
    # collection that fails before it has any evidence leaves no empty session behind).
    return review
