"""App-wide messages, named as past-tense events; widget messages live in their widgets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message

from wa_review.aws.context import AccountSession
from wa_review.aws.run import Progress
from wa_review.errors import WaReviewError
from wa_review.model.evidence_file import EvidenceFile
from wa_review.preview import Preview
from wa_review.tui.state import AssessedEvidence, Review
from wa_review.watool.push import PushPlan, PushResult


@dataclass
class ReviewOpened(Message):
    """A session was loaded or started; the app shows it."""

    review: Review
    generation: int = 0
    """Which open it answers: an older open's answer, still in flight, is dropped."""


@dataclass
class IdentityResolved(Message):
    """STS said who the credentials are (one entry per account)."""

    accounts: list[AccountSession]
    regions: tuple[str, ...]


@dataclass
class IdentityFailed(Message):
    error: WaReviewError


@dataclass
class CollectionProgressed(Message):
    """One service in one account and region moved on."""

    progress: Progress

    def can_replace(self, message: Message) -> bool:
        # Only a newer state of the same row replaces a queued one: no row is ever skipped.
        return isinstance(message, CollectionProgressed) and (
            (message.progress.service, message.progress.account, message.progress.region)
            == (self.progress.service, self.progress.account, self.progress.region)
        )


@dataclass
class EvidencePreviewed(Message):
    """Checks answered while the collection runs (posted from its thread)."""

    preview: Preview


@dataclass
class EvidenceCollected(Message):
    """Collection and checks finished and the file is written (None: cancelled, nothing saved)."""

    path: Path
    evidence_file: EvidenceFile | None


@dataclass
class EvidenceAssessed(Message):
    """New evidence was judged against the questionnaire, ready to apply to the session."""

    found: AssessedEvidence


@dataclass
class ReportExported(Message):
    path: Path
    fmt: str


@dataclass
class PushPlanned(Message):
    """The WA Tool was read and the diff is ready for the reviewer to confirm."""

    plan: PushPlan
    client: Any


@dataclass
class PushFinished(Message):
    result: PushResult
