"""SQS: queues and their access policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class Queue:
    """One queue; `policy` None means the queue has no access policy (not that it was unread)."""

    name: str
    url: str
    arn: str
    in_scope: bool
    policy: str | None = None
    error: FetchError | None = None  # GetQueueAttributes failed: the policy is unknown


@dataclass(frozen=True, slots=True)
class SqsSnapshot:
    service: ClassVar[str] = "sqs"
    queues: tuple[Queue, ...] = ()
    listing_error: FetchError | None = None
