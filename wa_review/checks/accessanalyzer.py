"""IAM Access Analyzer: active findings on the workload's serverless resources (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter, plural
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.accessanalyzer import AccessAnalyzerSnapshot, Analyzer, Finding

# The resource types whose policies SEC2 is about (Access Analyzer's names for them).
SERVERLESS_TYPES = frozenset(
    {
        "AWS::Lambda::Function",
        "AWS::Lambda::LayerVersion",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::Stream",
        "AWS::S3::Bucket",
        "AWS::S3Express::DirectoryBucket",
    }
)


def _finding_line(finding: Finding) -> str:
    who = "anyone" if finding.is_public else (", ".join(finding.principals) or "another account")
    return f"{finding.resource} ({finding.resource_type}) is open to {who}"


def _analyzer_evidence(emit: Emitter, region: str, snap: AccessAnalyzerSnapshot) -> Evidence:
    active = [a for a in snap.analyzers if a.active]
    if not active:
        states = ", ".join(f"{a.name} is {a.status}" for a in snap.analyzers)
        return emit(
            Status.WARN,
            "",
            region,
            f"No active external-access analyzer in {region}"
            + (f" ({states})" if states else "")
            + ": nothing reports resources shared outside the account",
        )
    relevant = [f for a in active for f in a.findings if f.resource_type in SERVERLESS_TYPES]
    found = [f for f in relevant if f.in_scope]
    analyzer: Analyzer = active[0]
    details: dict[str, Any] = {
        "analyzers": [{"name": a.name, "arn": a.arn, "type": a.type} for a in active],
        "findings": [
            {
                "id": f.id,
                "resource": f.resource,
                "type": f.resource_type,
                "public": f.is_public,
                "principals": list(f.principals),
                "actions": list(f.actions),
            }
            for f in found
        ],
        "out_of_scope_findings": len(relevant) - len(found),
    }
    if found:
        return emit(
            Status.FAIL,
            analyzer.arn,
            region,
            f"{plural(len(found), 'ACTIVE finding')} in {region}: "
            + "; ".join(_finding_line(f) for f in found),
            **details,
        )
    for a in active:
        if a.findings_error is not None:
            return emit.unknown(a.arn, region, a.findings_error, f"the findings of {a.name}")
    names = ", ".join(f"{a.name} ({a.type})" for a in active)
    return emit(
        Status.PASS,
        analyzer.arn,
        region,
        f"{names} active in {region}, with no ACTIVE finding on in-scope Lambda, SQS, SNS, "
        "DynamoDB or S3 resources",
        **details,
    )


@check(
    "accessanalyzer.findings",
    title="IAM Access Analyzer watches the region and reports no open serverless resources",
    severity=Severity.MEDIUM,
    service="accessanalyzer",
    rationale="An external-access analyzer re-evaluates resource policies whenever they change and "
    "reports functions, layers, queues, topics, tables, streams and buckets reachable from outside "
    "the account or organization; without one, a new public grant goes unnoticed.",
    remediation="Create an analyzer in every region the workload uses (`aws accessanalyzer "
    "create-analyzer --type ACCOUNT`), then fix or archive each ACTIVE finding.",
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
    ),
)
def findings(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, snap in inv.each(AccessAnalyzerSnapshot):
        if snap.listing_error is not None:
            yield emit.unknown("", region, snap.listing_error, "IAM Access Analyzer analyzers")
            continue
        yield _analyzer_evidence(emit, region, snap)
