"""Route 53 Resolver DNS Firewall collector: rule group associations, fail-open and rules per VPC."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.dns_firewall import (
    DnsFirewallAssociation,
    DnsFirewallConfig,
    DnsFirewallDomainList,
    DnsFirewallRule,
    DnsFirewallRuleGroup,
    DnsFirewallSnapshot,
)

SERVICE = "route53resolver"
# FirewallFailOpen of a VPC without a configuration of its own: AWS's default, fail closed.
DEFAULT_FAIL_OPEN = "DISABLED"
# One page of a list's domains settles whether it holds `*` (wildcard lists hold little else).
DOMAINS_PAGE = 1000


class DnsFirewallCollector(Collector[DnsFirewallSnapshot]):
    service: ClassVar[str] = SERVICE
    snapshot_type: ClassVar[type[DnsFirewallSnapshot]] = DnsFirewallSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "route53resolver:ListFirewallRuleGroupAssociations",
        "route53resolver:ListFirewallConfigs",
        "route53resolver:ListFirewallRules",
        "route53resolver:ListFirewallDomainLists",
        "route53resolver:ListFirewallDomains",
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
        # Only associated groups filter anything: read each once, however many VPCs share it.
        group_ids = sorted(
            {a.rule_group_id for a in associations if a.rule_group_id and a.status != "DELETING"}
        )
        groups = tuple(api.fan_out(lambda g: self._rules(api, g), group_ids))
        lists, lists_error = self._domain_lists(api, groups)
        return DnsFirewallSnapshot(
            associations=tuple(associations),
            configs=configs,
            rule_groups=groups,
            domain_lists=lists,
            domain_lists_error=lists_error,
        )

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

    def _rules(self, api: RegionApi, group_id: str) -> DnsFirewallRuleGroup:
        try:
            listed = api.paginate(
                SERVICE,
                "list_firewall_rules",
                "FirewallRules",
                resource=group_id,
                FirewallRuleGroupId=group_id,
            )
        except CallFailed as failed:
            return DnsFirewallRuleGroup(group_id, error=failed.error)
        rules = sorted((_rule(raw) for raw in listed), key=lambda r: (r.priority, r.name))
        return DnsFirewallRuleGroup(group_id, rules=tuple(rules))

    def _domain_lists(
        self, api: RegionApi, groups: tuple[DnsFirewallRuleGroup, ...]
    ) -> tuple[tuple[DnsFirewallDomainList, ...], FetchError | None]:
        """Names and owners of the region's domain lists (one listing), when a rule uses one.

        The domains themselves are read only for custom lists a BLOCK rule uses after ALLOW
        rules, to tell an allow-list (`BLOCK *` last) from a block-list.
        """
        if not any(r.domain_list_id for g in groups for r in g.rules):
            return (), None
        try:
            listed = api.paginate(SERVICE, "list_firewall_domain_lists", "FirewallDomainLists")
        except CallFailed as failed:
            return (), failed.error
        lists = {
            str(raw.get("Id", "")): DnsFirewallDomainList(
                id=str(raw.get("Id", "")),
                name=str(raw.get("Name", "")),
                managed_owner=str(raw.get("ManagedOwnerName") or ""),
            )
            for raw in listed
        }
        closing = sorted(
            {
                list_id
                for g in groups
                for list_id in _blocked_after_allow(g.rules)
                if list_id in lists and not lists[list_id].aws_managed
            }
        )
        wildcard = dict(
            zip(closing, api.fan_out(lambda i: _wildcard(api, i), closing), strict=True)
        )
        return tuple(
            DnsFirewallDomainList(d.id, d.name, d.managed_owner, wildcard.get(d.id))
            for d in lists.values()
        ), None


def _blocked_after_allow(rules: tuple[DnsFirewallRule, ...]) -> set[str]:
    """Domain lists of BLOCK rules evaluated after at least one ALLOW rule (rules are sorted)."""
    found: set[str] = set()
    allowed = False
    for rule in rules:
        allowed = allowed or rule.action == "ALLOW"
        if allowed and rule.action == "BLOCK" and rule.domain_list_id:
            found.add(rule.domain_list_id)
    return found


def _wildcard(api: RegionApi, list_id: str) -> bool | None:
    """Whether the list holds `*`; None when unread or its first page does not settle it."""
    try:
        page = api.call(
            SERVICE,
            "list_firewall_domains",
            resource=list_id,
            FirewallDomainListId=list_id,
            MaxResults=DOMAINS_PAGE,
        )
    except CallFailed:  # recorded by the api; the verdict does not depend on it
        return None
    domains = [str(d) for d in page.get("Domains") or ()]
    if "*" in domains:
        return True
    return None if page.get("NextToken") else False


def _rule(raw: dict[str, Any]) -> DnsFirewallRule:
    return DnsFirewallRule(
        name=str(raw.get("Name", "")),
        priority=int(raw.get("Priority", 0)),
        action=str(raw.get("Action", "")),
        domain_list_id=str(raw.get("FirewallDomainListId") or ""),
        block_response=str(raw.get("BlockResponse") or ""),
        redirection_action=str(raw.get("FirewallDomainRedirectionAction") or ""),
        qtype=str(raw.get("Qtype") or ""),
        threat_protection=str(raw.get("DnsThreatProtection") or ""),
        confidence=str(raw.get("ConfidenceThreshold") or ""),
    )


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
