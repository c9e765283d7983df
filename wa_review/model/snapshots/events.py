"""EventBridge: event buses and their resource policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class EventBus:
    """One bus; `policy` None means no policy: only this account can put events on it."""

    name: str
    arn: str
    in_scope: bool
    policy: str | None = None
    error: FetchError | None = None  # DescribeEventBus failed: the policy is unknown

    @property
    def is_default(self) -> bool:
        return self.name == "default"


@dataclass(frozen=True, slots=True)
class EventsSnapshot:
    service: ClassVar[str] = "events"
    buses: tuple[EventBus, ...] = ()
    listing_error: FetchError | None = None
