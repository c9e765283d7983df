"""WAFv2 collector (REGIONAL): web ACLs with rules, protected resources, logging and IP sets.

Every regional web ACL is read: which of them protect in-scope API stages or GraphQL APIs
is decided by the checks, with the API snapshots, not here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.wafv2 import IpSet, WafRule, WafSnapshot, WebAcl

SCOPE = "REGIONAL"
# The resource types that front serverless APIs (ALB and Cognito are not this lens' concern).
RESOURCE_TYPES = ("API_GATEWAY", "APPSYNC")
# get_logging_configuration's answer when the ACL has no logging: a fact, not a failure.
NO_LOGGING = "WAFNonexistentItemException"


def _marker_pages(api: RegionApi, operation: str, key: str) -> list[Any]:
    """WAFv2 lists page with NextMarker (botocore has no paginator for them)."""
    items: list[Any] = []
    params: dict[str, Any] = {"Scope": SCOPE, "Limit": 100}
    while True:
        page = api.call("wafv2", operation, **params)
        items.extend(page.get(key) or [])
        marker = page.get("NextMarker")
        if not marker or not page.get(key) or api.cancelled():
            return items
        params["NextMarker"] = marker


class WafV2Collector(Collector[WafSnapshot]):
    service: ClassVar[str] = "wafv2"
    snapshot_type: ClassVar[type[WafSnapshot]] = WafSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "wafv2:ListWebACLs",
        "wafv2:GetWebACL",
        "wafv2:ListResourcesForWebACL",
        "wafv2:GetLoggingConfiguration",
        "wafv2:ListIPSets",
        "wafv2:GetIPSet",
    )

    def collect(self, api: RegionApi) -> WafSnapshot:
        try:
            listed = _marker_pages(api, "list_web_acls", "WebACLs")
        except CallFailed as failed:
            return WafSnapshot(listing_error=failed.error)
        acls = api.fan_out(lambda raw: self._web_acl(api, raw), listed)
        referenced = {
            arn for acl in acls for rule in acl.rules for arn in _ip_set_refs(rule.statement)
        }
        ip_sets, ip_sets_error = self._ip_sets(api, referenced)
        return WafSnapshot(
            web_acls=tuple(acls), ip_sets=tuple(ip_sets), ip_sets_error=ip_sets_error
        )

    def _web_acl(self, api: RegionApi, raw: dict[str, Any]) -> WebAcl:
        name, acl_id, arn = str(raw["Name"]), str(raw["Id"]), str(raw["ARN"])
        resources, resources_error = self._resources(api, arn)
        destinations, logging_error = self._logging(api, arn)
        base = WebAcl(
            name,
            acl_id,
            arn,
            resources=resources,
            resources_error=resources_error,
            logging_destinations=destinations,
            logging_error=logging_error,
        )
        try:
            found = api.call(
                "wafv2", "get_web_acl", resource=arn, Name=name, Scope=SCOPE, Id=acl_id
            )
        except CallFailed as failed:
            return replace(base, error=failed.error)
        acl = found.get("WebACL") or {}
        return replace(
            base,
            default_action=next(iter(acl.get("DefaultAction") or {}), ""),
            rules=tuple(_rule(r) for r in acl.get("Rules") or ()),
        )

    def _resources(self, api: RegionApi, arn: str) -> tuple[tuple[str, ...], FetchError | None]:
        found: list[str] = []
        for resource_type in RESOURCE_TYPES:
            try:
                page = api.call(
                    "wafv2",
                    "list_resources_for_web_acl",
                    resource=arn,
                    WebACLArn=arn,
                    ResourceType=resource_type,
                )
            except CallFailed as failed:
                return (), failed.error
            found += [str(r) for r in page.get("ResourceArns") or ()]
        return tuple(found), None

    def _logging(self, api: RegionApi, arn: str) -> tuple[tuple[str, ...], FetchError | None]:
        try:
            found = api.call(
                "wafv2",
                "get_logging_configuration",
                resource=arn,
                absent=(NO_LOGGING,),
                ResourceArn=arn,
            )
        except CallFailed as failed:
            if failed.code == NO_LOGGING:
                return (), None
            return (), failed.error
        config = found.get("LoggingConfiguration") or {}
        return tuple(str(d) for d in config.get("LogDestinationConfigs") or ()), None

    def _ip_sets(
        self, api: RegionApi, referenced: set[str]
    ) -> tuple[list[IpSet], FetchError | None]:
        try:
            listed = _marker_pages(api, "list_ip_sets", "IPSets")
        except CallFailed as failed:
            return [], failed.error

        def read(raw: dict[str, Any]) -> IpSet:
            base = IpSet(str(raw["Name"]), str(raw["Id"]), str(raw["ARN"]))
            if base.arn not in referenced:  # only the sets a rule uses are worth a call
                return base
            try:
                found = api.call(
                    "wafv2",
                    "get_ip_set",
                    resource=base.arn,
                    Name=base.name,
                    Scope=SCOPE,
                    Id=base.id,
                )
            except CallFailed as failed:
                return IpSet(base.name, base.id, base.arn, error=failed.error)
            ip_set = found.get("IPSet") or {}
            return IpSet(
                base.name,
                base.id,
                base.arn,
                ip_version=str(ip_set.get("IPAddressVersion", "")),
                address_count=len(ip_set.get("Addresses") or ()),
            )

        return api.fan_out(read, listed), None


def _rule(raw: dict[str, Any]) -> WafRule:
    return WafRule(
        name=str(raw.get("Name", "")),
        priority=int(raw.get("Priority", 0)),
        action=next(iter(raw.get("Action") or {}), ""),
        override_action=next(iter(raw.get("OverrideAction") or {}), ""),
        statement=_plain(raw.get("Statement") or {}),
    )


def _plain(value: Any) -> Any:
    """The statement as JSON-ready data: blobs (ByteMatch SearchString) become text."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _ip_set_refs(statement: Any) -> list[str]:
    """ARNs of IP sets referenced anywhere in a statement tree."""
    if isinstance(statement, dict):
        found = []
        for key, value in statement.items():
            if key == "IPSetReferenceStatement" and isinstance(value, dict) and "ARN" in value:
                found.append(str(value["ARN"]))
            else:
                found += _ip_set_refs(value)
        return found
    if isinstance(statement, list):
        return [arn for item in statement for arn in _ip_set_refs(item)]
    return []
