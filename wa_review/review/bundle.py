"""A session with everything it refers to: its questionnaire and the evidence file (hash-checked)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from wa_review import questionnaires
from wa_review.assessment import Assessment
from wa_review.errors import InputFileError
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.model.questionnaire import Questionnaire
from wa_review.review.outcome import assess_session
from wa_review.review.session import EvidenceRef, ReviewSession
from wa_review.review.store import load_session


@dataclass(frozen=True, slots=True)
class ReviewBundle:
    path: Path
    session: ReviewSession
    questionnaire: Questionnaire
    evidence_path: Path
    evidence_file: EvidenceFile
    assessment: Assessment


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_ref(evidence_path: Path, session_path: Path, evidence: EvidenceFile) -> EvidenceRef:
    """Reference the evidence relative to the session's folder when possible, so the pair moves
    together (a review folder can be zipped or committed)."""
    target = evidence_path.resolve()
    try:
        shown = os.path.relpath(target, session_path.resolve().parent)
    except ValueError:  # another drive on Windows
        shown = str(target)
    return EvidenceRef(
        path=shown, sha256=file_sha256(evidence_path), collected_at=evidence.collected_at
    )


def resolve_evidence(session_path: Path, ref: EvidenceRef) -> Path:
    given = Path(ref.path)
    return given if given.is_absolute() else session_path.parent / given


def load_bundle(session_path: Path, *, questionnaire: Questionnaire | None = None) -> ReviewBundle:
    """Load a session, its questionnaire and its evidence; refuse evidence that changed since."""
    session_path = Path(session_path)
    session = load_session(session_path)
    if questionnaire is None:
        questionnaire = questionnaires.find_questionnaire(session.lens_alias, session.question_id)
    if session.evidence is None:
        raise InputFileError(
            f"{session_path}: evidence: the session does not name an evidence file",
            hint=f"Run 'wa-review assess EVIDENCE -o {session_path}'.",
        )
    evidence_path = resolve_evidence(session_path, session.evidence)
    evidence_file = load_evidence_file(evidence_path)
    actual = file_sha256(evidence_path)
    if actual != session.evidence.sha256:
        raise InputFileError(
            f"{evidence_path}: changed since {session_path} was assessed "
            f"(sha256 {actual[:12]}, expected {session.evidence.sha256[:12]})",
            hint=f"Run 'wa-review assess {evidence_path} -o {session_path}' to refresh the "
            "suggestions (decisions and notes are kept).",
        )
    return ReviewBundle(
        path=session_path,
        session=session,
        questionnaire=questionnaire,
        evidence_path=evidence_path,
        evidence_file=evidence_file,
        assessment=assess_session(session, questionnaire, evidence_file.evidence),
    )
