"""Does a DNS Firewall rule group block anything? (Being associated with the VPC is not enough.)

How DNS Firewall treats a query: the VPC's rule groups in association priority order, inside
each the rules by ascending priority; the first match stops the inspection. ALLOW lets the
query through, ALERT lets it through and logs it, BLOCK answers NODATA, NXDOMAIN or an
override. A group with no BLOCK rule therefore lets every name resolve; `BLOCK *` after ALLOW
rules is an allow-list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wa_review.model.evidence import Status
from wa_review.model.snapshots.dns_firewall import (
    DnsFirewallAssociation,
    DnsFirewallDomainList,
    DnsFirewallRule,
    DnsFirewallRuleGroup,
    DnsFirewallSnapshot,
)


def rule_groups_verdict(
    dns: DnsFirewallSnapshot, associations: Sequence[DnsFirewallAssociation]
) -> tuple[Status, str, list[dict[str, Any]]]:
    """PASS when a group blocks something, WARN when none does, UNKNOWN when one is unread.

    Returns the status, one sentence per group ("rslvr-frg-1 (name) blocks …") and the rules
    of each group for the evidence details.
    """
    groups = {g.id: g for g in dns.rule_groups}
    lists = {d.id: d for d in dns.domain_lists}
    statuses: list[Status] = []
    texts: list[str] = []
    details: list[dict[str, Any]] = []
    for association in sorted(associations, key=lambda a: (a.priority, a.rule_group_id)):
        group = groups.get(association.rule_group_id)
        status, text = _group_verdict(group, lists)
        statuses.append(status)
        label = association.rule_group_id
        texts.append(
            f"{label} ({association.name}) {text}" if association.name else f"{label} {text}"
        )
        details.append(_details(association, group, lists))
    if Status.UNKNOWN in statuses:
        status = Status.UNKNOWN
    else:
        status = Status.PASS if Status.PASS in statuses else Status.WARN
    return status, "; ".join(texts), details


def _group_verdict(
    group: DnsFirewallRuleGroup | None, lists: dict[str, DnsFirewallDomainList]
) -> tuple[Status, str]:
    if group is None:
        return Status.UNKNOWN, "is associated, but its rules were not read"
    if group.error is not None:
        return (
            Status.UNKNOWN,
            f"is associated, but its rules could not be read ({group.error.reason()})",
        )
    if not group.rules:
        return Status.WARN, "filters nothing: it has no rules"
    blocks = [r for r in group.rules if r.action == "BLOCK"]
    if not blocks:
        counts = ", ".join(
            f"{sum(r.action == a for r in group.rules)} {a}"
            for a in ("ALLOW", "ALERT")
            if any(r.action == a for r in group.rules)
        )
        return Status.WARN, f"filters nothing: its rules only allow/alert ({counts})"
    allow_list = _allow_list(group.rules, lists)
    if allow_list:
        return Status.PASS, f"is an {allow_list}"
    return Status.PASS, f"blocks {_targets(blocks, lists)}"


def _allow_list(rules: tuple[DnsFirewallRule, ...], lists: dict[str, DnsFirewallDomainList]) -> str:
    """'allow-list: ALLOW … then BLOCK * (domain list 'all')' when the rules read that way."""
    for index, rule in enumerate(rules):
        listed = lists.get(rule.domain_list_id)
        if rule.action == "BLOCK" and listed is not None and listed.wildcard:
            allowed = [r for r in rules[:index] if r.action == "ALLOW"]
            if allowed:
                return (
                    f"allow-list: ALLOW {_targets(allowed, lists)} then BLOCK * "
                    f"({_list_name(rule.domain_list_id, lists)}{_qtype(rule)})"
                )
    return ""


def _targets(rules: Sequence[DnsFirewallRule], lists: dict[str, DnsFirewallDomainList]) -> str:
    """What the rules match, AWS managed lists grouped: "AWS managed lists A and B, domain list 'c'"."""
    managed: list[str] = []
    others: list[str] = []
    for rule in rules:
        listed = lists.get(rule.domain_list_id)
        if listed is not None and listed.aws_managed:
            item, into = f"{listed.name}{_qtype(rule)}", managed
        elif rule.threat_protection:
            confidence = f", confidence {rule.confidence}" if rule.confidence else ""
            item, into = f"{rule.threat_protection} threats{confidence}{_qtype(rule)}", others
        else:
            item, into = f"{_list_name(rule.domain_list_id, lists)}{_qtype(rule)}", others
        if item not in into:
            into.append(item)
    parts = []
    if managed:
        noun = "AWS managed list" if len(managed) == 1 else "AWS managed lists"
        parts.append(f"{noun} {_and(managed)}")
    return ", ".join([*parts, *others])


def _list_name(list_id: str, lists: dict[str, DnsFirewallDomainList]) -> str:
    listed = lists.get(list_id)
    if listed is None or not listed.name:
        return f"domain list {list_id or '(none)'}"
    return f"domain list '{listed.name}'"


def _qtype(rule: DnsFirewallRule) -> str:
    return f" (Qtype {rule.qtype} only)" if rule.qtype else ""


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _details(
    association: DnsFirewallAssociation,
    group: DnsFirewallRuleGroup | None,
    lists: dict[str, DnsFirewallDomainList],
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "association": association.id,
        "rule_group": association.rule_group_id,
        "status": association.status,
        "priority": association.priority,
    }
    if group is not None and group.error is not None:
        found["rules_error"] = group.error.to_dict()
    elif group is not None:
        found["rules"] = [_rule(r, lists) for r in group.rules]
    return found


def _rule(rule: DnsFirewallRule, lists: dict[str, DnsFirewallDomainList]) -> dict[str, Any]:
    listed = lists.get(rule.domain_list_id)
    fields = {
        "name": rule.name,
        "priority": rule.priority,
        "action": rule.action,
        "domain_list": listed.name if listed is not None and listed.name else rule.domain_list_id,
        "aws_managed": listed.aws_managed if listed is not None else None,
        "block_response": rule.block_response,
        "qtype": rule.qtype,
        "redirection": rule.redirection_action,
        "threat_protection": rule.threat_protection,
        "confidence": rule.confidence,
    }
    return {k: v for k, v in fields.items() if v not in ("", None)}
