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
# FirewallFailOpen of a VPC without a configuration of its own: AWS's default, fail closed.
DEFAULT_FAIL_OPEN = "DISABLED"


class DnsFirewallCollector:
    service: ClassVar[str] = SERVICE
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "route53resolver:ListFirewallRuleGroupAssociations",
        "route53resolver:ListFirewallConfigs",
    )

    def collect(self, api: RegionApi) -> DnsFirewallSnapshot:
        try:
            listed = api.paginate(
                SERVICE, "list_firewall_rule_group_associations", "FirewallRuleGroupAssociations"
            )
        except CallFailed as failed:
            return DnsFirewallSnapshot(listing_error=failed.error)
        associations = [_association(raw) for raw in listed]
        # Fail-open matters only where a rule group is associated: read those VPCs' settings,
        # all from one listing of the region's configurations.
        vpcs = sorted({a.vpc_id for a in associations if a.vpc_id})
        configs = self._configs(api, vpcs) if vpcs else ()
        return DnsFirewallSnapshot(associations=tuple(associations), configs=configs)

    def _configs(self, api: RegionApi, vpcs: list[str]) -> tuple[DnsFirewallConfig, ...]:
        """The fail-open setting of each VPC, from one listing of the region (paginated).

        ListFirewallConfigs holds the configurations defined in the region, up to 100 a page
        when MaxResults is not given; a VPC it omits has none of its own, so AWS's default
        applies: fail open DISABLED, the failure mode closed. A failed listing leaves every
        VPC's setting unknown.
        """
        try:
            listed = api.paginate(SERVICE, "list_firewall_configs", "FirewallConfigs")
        except CallFailed as failed:
            return tuple(DnsFirewallConfig(vpc, error=failed.error) for vpc in vpcs)
        fail_open = {
            str(c.get("ResourceId", "")): str(c.get("FirewallFailOpen") or DEFAULT_FAIL_OPEN)
            for c in listed
        }
        return tuple(DnsFirewallConfig(v, fail_open.get(v, DEFAULT_FAIL_OPEN)) for v in vpcs)


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
