"""Does a Network Firewall's policy filter anything? (Being in the route is not enough.)

How a policy treats a packet: stateless rule groups first, then the stateless default action
(`aws:pass` lets it out uninspected, `aws:drop` drops it, `aws:forward_to_sfe` hands it to
the stateful engine); there, stateful rule groups, then the stateful default actions
(`aws:drop_strict` / `aws:drop_established` make the rule groups an allow-list; with none the
engine passes what no rule matched).
"""

from __future__ import annotations

from wa_review.model.evidence import Status
from wa_review.model.snapshots.network_firewall import Firewall

STATEFUL_DROPS = frozenset({"aws:drop_strict", "aws:drop_established"})


def policy_verdict(firewall: Firewall) -> tuple[Status, str]:
    """PASS when the policy can stop egress, WARN when it lets everything out, UNKNOWN unread."""
    policy = firewall.policy
    if policy is None:
        why = firewall.policy_error.reason() if firewall.policy_error else "it was not read"
        return Status.UNKNOWN, f"its policy could not be read ({why})"
    name = policy.arn.rsplit("/", 1)[-1] or policy.arn
    stateless = set(policy.stateless_default_actions)
    stateful_drop = sorted(STATEFUL_DROPS & set(policy.stateful_default_actions))
    if "aws:pass" in stateless and not policy.stateless_rule_groups:
        return (
            Status.WARN,
            f"its policy {name} has stateless default action aws:pass and no stateless rule "
            "groups: all traffic leaves uninspected (the stateful engine never sees it)",
        )
    if "aws:drop" in stateless and not policy.stateless_rule_groups:
        return Status.PASS, f"its policy {name} drops all traffic by default (stateless aws:drop)"
    groups = len(policy.stateless_rule_groups) + len(policy.stateful_rule_groups)
    if stateful_drop:
        kind = "allow-list" if policy.stateful_rule_groups else "drops everything"
        return (
            Status.PASS,
            f"its policy {name} has {groups} rule group(s) and default {stateful_drop[0]} ({kind})",
        )
    if groups:
        return (
            Status.PASS,
            f"its policy {name} has {groups} rule group(s); what no rule matches passes "
            "(no stateful default drop)",
        )
    return (
        Status.WARN,
        f"its policy {name} has no rule groups and no default drop: everything passes",
    )
