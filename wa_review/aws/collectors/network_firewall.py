"""AWS Network Firewall collector: firewalls, their per-AZ endpoints and their policies."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.network_firewall import (
    Firewall,
    FirewallEndpoint,
    FirewallPolicy,
    NetworkFirewallSnapshot,
)

SERVICE = "network-firewall"


class NetworkFirewallCollector(Collector[NetworkFirewallSnapshot]):
    service: ClassVar[str] = SERVICE
    snapshot_type: ClassVar[type[NetworkFirewallSnapshot]] = NetworkFirewallSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "network-firewall:ListFirewalls",
        "network-firewall:DescribeFirewall",
        "network-firewall:DescribeFirewallPolicy",
    )

    def collect(self, api: RegionApi) -> NetworkFirewallSnapshot:
        # Firewalls listed before a page failed are kept: a route through one of them is
        # judged, a route to an endpoint not listed stays unresolved (checks.routing).
        listed, listing_error = api.listing(SERVICE, "list_firewalls", "Firewalls")
        firewalls = api.fan_out(lambda raw: self._firewall(api, raw), listed)
        # Several firewalls often share one policy: read each policy once.
        policy_arns = sorted({fw.policy_arn for fw in firewalls if fw.policy_arn})
        policies = dict(
            zip(policy_arns, api.fan_out(lambda a: self._policy(api, a), policy_arns), strict=True)
        )
        return NetworkFirewallSnapshot(
            firewalls=tuple(
                _with_policy(fw, *policies[fw.policy_arn]) if fw.policy_arn in policies else fw
                for fw in firewalls
            ),
            listing_error=listing_error,
        )

    def _firewall(self, api: RegionApi, raw: dict[str, Any]) -> Firewall:
        name, arn = str(raw["FirewallName"]), str(raw["FirewallArn"])
        try:
            found = api.call(SERVICE, "describe_firewall", resource=arn, FirewallArn=arn)
        except CallFailed as failed:
            return Firewall(name, arn, error=failed.error)
        firewall = found.get("Firewall") or {}
        status = found.get("FirewallStatus") or {}
        endpoints = [
            FirewallEndpoint(
                availability_zone=str(az),
                subnet_id=str((state.get("Attachment") or {}).get("SubnetId", "")),
                endpoint_id=str((state.get("Attachment") or {}).get("EndpointId", "")),
                status=str((state.get("Attachment") or {}).get("Status", "")),
            )
            for az, state in sorted((status.get("SyncStates") or {}).items())
        ]
        return Firewall(
            name=name,
            arn=arn,
            vpc_id=str(firewall.get("VpcId", "")),
            policy_arn=str(firewall.get("FirewallPolicyArn", "")),
            subnet_ids=tuple(str(m["SubnetId"]) for m in firewall.get("SubnetMappings") or ()),
            endpoints=tuple(e for e in endpoints if e.endpoint_id),
            status=str(status.get("Status", "")),
        )

    def _policy(self, api: RegionApi, arn: str) -> tuple[FirewallPolicy | None, FetchError | None]:
        try:
            found = api.call(
                SERVICE, "describe_firewall_policy", resource=arn, FirewallPolicyArn=arn
            )
        except CallFailed as failed:
            return None, failed.error
        policy = found.get("FirewallPolicy") or {}

        def arns(key: str) -> tuple[str, ...]:
            return tuple(str(r["ResourceArn"]) for r in policy.get(key) or ())

        return (
            FirewallPolicy(
                arn=arn,
                stateless_default_actions=tuple(policy.get("StatelessDefaultActions") or ()),
                stateless_fragment_default_actions=tuple(
                    policy.get("StatelessFragmentDefaultActions") or ()
                ),
                stateful_default_actions=tuple(policy.get("StatefulDefaultActions") or ()),
                stateless_rule_groups=arns("StatelessRuleGroupReferences"),
                stateful_rule_groups=arns("StatefulRuleGroupReferences"),
            ),
            None,
        )


def _with_policy(
    firewall: Firewall, policy: FirewallPolicy | None, error: FetchError | None
) -> Firewall:
    return replace(firewall, policy=policy, policy_error=error)
