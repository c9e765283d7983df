"""IAM Access Analyzer's CheckNoPublicAccess answers for the resource policies we collected.

Only present when the reviewer asked for the cross-check (`--access-analyzer`): its absence
from an inventory means "not requested", not "nothing to check".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError

PASS = "PASS"  # AWS: the policy grants no public access
FAIL = "FAIL"  # AWS: the policy can grant public access


@dataclass(frozen=True, slots=True)
class AwsReason:
    """One reason AWS gives for its answer; the index counts statements from 0."""

    description: str
    statement_index: int | None = None
    statement_id: str = ""


@dataclass(frozen=True, slots=True)
class PublicAccessCheck:
    """AWS's answer for one resource policy, with what our judge needs to compare it."""

    resource_arn: str  # the policy's target: a qualified ARN for a Lambda alias, a stream ARN
    label: str  # how a summary names it: "queue orders", "function api (alias live)"
    resource_type: str  # Access Analyzer's type: AWS::SQS::Queue, AWS::Lambda::Function, …
    judge_type: str  # our judge's name for the same type: sqs, lambda, …
    region: str  # where the resource lives (S3 buckets are checked from the home region)
    document: str  # the policy text exactly as collected
    result: str = ""  # PASS | FAIL; "" when the call failed
    message: str = ""
    reasons: tuple[AwsReason, ...] = ()
    error: FetchError | None = None  # the call failed: the comparison is unknown

    @property
    def aws_says_public(self) -> bool:
        return self.result == FAIL


@dataclass(frozen=True, slots=True)
class AccessAnalyzerCrossCheckSnapshot:
    service: ClassVar[str] = "access-analyzer-cross-check"
    checks: tuple[PublicAccessCheck, ...] = ()
    # Set when the API itself was refused or absent in the region (AccessDenied, an endpoint
    # without it): every policy there would fail the same way, so none was sent after that.
    listing_error: FetchError | None = None
