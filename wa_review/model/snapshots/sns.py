"""SNS: topics and their access policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic; `policy` None means no policy was returned (AWS always sets a default one)."""

    name: str
    arn: str
    in_scope: bool
    policy: str | None = None
    error: FetchError | None = None  # GetTopicAttributes failed: the policy is unknown


@dataclass(frozen=True, slots=True)
class SnsSnapshot:
    service: ClassVar[str] = "sns"
    topics: tuple[Topic, ...] = ()
    listing_error: FetchError | None = None
