"""IAM Access Analyzer collector: external-access analyzers in a region and their ACTIVE findings."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.accessanalyzer import AccessAnalyzerSnapshot, Analyzer, Finding

# Unused-access analyzers (ACCOUNT_UNUSED_ACCESS, …) say nothing about who can reach a resource.
EXTERNAL_ACCESS = frozenset({"ACCOUNT", "ORGANIZATION"})
ACTIVE_ONLY = {"status": {"eq": ["ACTIVE"]}}


class AccessAnalyzerCollector(Collector[AccessAnalyzerSnapshot]):
    """Analyzers are regional, so this runs per region.

    ListFindings (not V2) is used: for external-access analyzers it also says which principals
    are granted and whether the access is public, which is what the evidence shows.
    """

    service: ClassVar[str] = "accessanalyzer"
    snapshot_type: ClassVar[type[AccessAnalyzerSnapshot]] = AccessAnalyzerSnapshot
    endpoints: ClassVar[tuple[str, ...]] = ("access-analyzer",)
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "access-analyzer:ListAnalyzers",
        "access-analyzer:ListFindings",
    )

    def collect(self, api: RegionApi) -> AccessAnalyzerSnapshot:
        try:
            listed = api.paginate("accessanalyzer", "list_analyzers", "analyzers")
        except CallFailed as failed:
            return AccessAnalyzerSnapshot(listing_error=failed.error)
        external = [a for a in listed if a.get("type") in EXTERNAL_ACCESS]
        analyzers = api.fan_out(lambda raw: self._analyzer(api, raw), external)
        return AccessAnalyzerSnapshot(analyzers=tuple(analyzers))

    def _analyzer(self, api: RegionApi, raw: dict[str, Any]) -> Analyzer:
        analyzer = Analyzer(
            name=str(raw.get("name") or ""),
            arn=str(raw["arn"]),
            type=str(raw.get("type") or ""),
            status=str(raw.get("status") or ""),
        )
        if not analyzer.active:  # a disabled or failed analyzer has no current findings
            return analyzer
        try:
            findings = api.paginate(
                "accessanalyzer",
                "list_findings",
                "findings",
                resource=analyzer.arn,
                analyzerArn=analyzer.arn,
                filter=ACTIVE_ONLY,
            )
        except CallFailed as failed:
            return Analyzer(
                analyzer.name,
                analyzer.arn,
                analyzer.type,
                analyzer.status,
                findings_error=failed.error,
            )
        return Analyzer(
            analyzer.name,
            analyzer.arn,
            analyzer.type,
            analyzer.status,
            findings=tuple(_finding(api, f) for f in findings),
        )


def _finding(api: RegionApi, raw: dict[str, Any]) -> Finding:
    resource = str(raw.get("resource") or "")
    principal = raw.get("principal") or {}
    return Finding(
        id=str(raw.get("id") or ""),
        resource=resource,
        resource_type=str(raw.get("resourceType") or ""),
        principals=tuple(f"{k}: {v}" for k, v in sorted(principal.items())),
        actions=tuple(str(a) for a in raw.get("action") or ()),
        is_public=bool(raw.get("isPublic")),
        in_scope=api.scope.includes(*_scope_names(resource, api.region)),
    )


def _scope_names(arn: str, region: str) -> tuple[str, ...]:
    """The forms a scope may know the resource by: ARN, name, and for a queue its URL."""
    parts = arn.split(":")
    name = arn.rsplit(":", 1)[-1].split("/")[-1]
    if len(parts) >= 6 and parts[2] == "sqs":
        return (arn, name, f"https://sqs.{region}.amazonaws.com/{parts[4]}/{name}")
    return (arn, name)
