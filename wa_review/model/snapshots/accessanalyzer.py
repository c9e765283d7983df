"""IAM Access Analyzer: external-access analyzers in a region and their ACTIVE findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class Finding:
    """An ACTIVE finding: `resource` is reachable from outside the zone of trust."""

    id: str
    resource: str  # the resource ARN
    resource_type: str  # AWS::SQS::Queue, AWS::Lambda::Function, …
    principals: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    is_public: bool = False
    in_scope: bool = True


@dataclass(frozen=True, slots=True)
class Analyzer:
    name: str
    arn: str
    type: str  # ACCOUNT | ORGANIZATION
    status: str  # ACTIVE | CREATING | DISABLED | FAILED
    findings: tuple[Finding, ...] = ()
    findings_error: FetchError | None = None

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


@dataclass(frozen=True, slots=True)
class AccessAnalyzerSnapshot:
    service: ClassVar[str] = "accessanalyzer"
    analyzers: tuple[Analyzer, ...] = ()  # external-access analyzers only
    listing_error: FetchError | None = None
