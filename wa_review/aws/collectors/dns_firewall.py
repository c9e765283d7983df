"""Route 53 Resolver DNS Firewall collector: rule group associations and fail-open per VPC."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.model.snapshots.dns_firewall import (
    DnsFirewallAssociation,
    DnsFirewallConfig,
    DnsFirewallSnapshot,
)

SERVICE = "route53resolver"


class DnsFirewallCollector:
    service: ClassVar[str] = SERVICE
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "route53resolver:ListFirewallRuleGroupAssociations",
        "route53resolver:GetFirewallConfig",
    )

    def collect(self, api: RegionApi) -> DnsFirewallSnapshot:
        try:
            listed = api.paginate(
                SERVICE, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations"
            )
        except CallFailed as failed:
            return DnsFirewallSnapshot(listing_error=failed.error)
        associations = [_association(raw) for raw in listed]
        # Fail-open matters only where a rule group is associated: read those VPCs' settings.
        vpcs = sorted({a.vpc_id for a in associations if a.vpc_id})
        configs = api.fan_out(lambda vpc: self._config(api, vpc), vpcs)
        return DnsFirewallSnapshot(associations=tuple(associations), configs=tuple(configs))

    def _config(self, api: RegionApi, vpc_id: str) -> DnsFirewallConfig:
        try:
            found = api.call(SERVICE, "get_firewall_config", resource=vpc_id, ResourceId=vpc_id)
        except CallFailed as failed:
            return DnsFirewallConfig(vpc_id, error=failed.error)
        config = found.get("FirewallConfig") or {}
        return DnsFirewallConfig(vpc_id, fail_open=str(config.get("FirewallFailOpen", "")))


def _association(raw: dict[str, Any]) -> DnsFirewallAssociation:
    return DnsFirewallAssociation(
        id=str(raw.get("Id", "")),
        name=str(raw.get("Name", "")),
        vpc_id=str(raw.get("VpcId", "")),
        rule_group_id=str(raw.get("FirewallRuleGroupId", "")),
        status=str(raw.get("Status", "")),
        priority=int(raw.get("Priority", 0)),
        mutation_protection=str(raw.get("MutationProtection", "")),
    )
