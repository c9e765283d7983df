"""Evidence: what one check says about one resource, and the errors met while collecting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @property
    def rank(self) -> int:
        """How much the status needs attention: FAIL is the highest, NOT_APPLICABLE the lowest."""
        return _RANK[self]


# Worst first: an UNKNOWN (nothing could be judged) needs more attention than a WARN.
STATUSES_WORST_FIRST: tuple[Status, ...] = (
    Status.FAIL,
    Status.UNKNOWN,
    Status.WARN,
    Status.PASS,
    Status.NOT_APPLICABLE,
)
_RANK = {status: len(STATUSES_WORST_FIRST) - i for i, status in enumerate(STATUSES_WORST_FIRST)}


# The word a reviewer reads for each status (reports and the TUI alike).
STATUS_TEXT: dict[Status, str] = {
    Status.FAIL: "FAIL",
    Status.UNKNOWN: "UNKNOWN",
    Status.WARN: "WARN",
    Status.PASS: "PASS",
    Status.NOT_APPLICABLE: "N/A",
}


def worst(statuses: Iterable[Status]) -> Status:
    """The status that needs the most attention (ValueError when there is none)."""
    return max(statuses, key=lambda status: status.rank)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class FetchError:
    """One AWS call that failed after retries; it makes the resources it touched UNKNOWN."""

    service: str
    operation: str
    code: str
    message: str
    region: str = ""
    account: str = ""
    resource: str = ""

    def reason(self) -> str:
        where = f" for {self.resource}" if self.resource else ""
        return f"{self.service}:{self.operation}{where} failed: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {
            "service": self.service,
            "operation": self.operation,
            "code": self.code,
            "message": self.message,
            "region": self.region,
            "account": self.account,
            "resource": self.resource,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """A check's judgement of one resource (or of a whole service when nothing is in scope)."""

    check_id: str
    status: Status
    resource_arn: str
    region: str
    account: str
    summary: str
    # Keyword-only: a positional value here (as the choice id was, before the questionnaire alone
    # mapped checks to choices) fails loudly instead of landing in the wrong field.
    details: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "status": self.status.value,
            "resource_arn": self.resource_arn,
            "region": self.region,
            "account": self.account,
            "summary": self.summary,
            "details": self.details,
        }
