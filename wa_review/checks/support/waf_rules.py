"""What a WAFv2 web ACL's rules cover, read from their statements (pure helper, no checks).

Statements nest (And/Or/Not, rate-based scope-down), so every search walks the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wa_review.model.snapshots.wafv2 import WafRule, WebAcl

SQLI_GROUP = "AWSManagedRulesSQLiRuleSet"
COMMON_GROUP = "AWSManagedRulesCommonRuleSet"
GROUP_KEYS = ("ManagedRuleGroupStatement", "RuleGroupReferenceStatement")
BLOCKING = frozenset({"Block", "Captcha", "Challenge"})


class Coverage(StrEnum):
    SQLI = "SQL injection"
    COMMON = "XSS/common rule set"
    IP_SET = "IP sets"
    GEO = "geo match"
    RATE = "rate-based rule"


# The protections that make an ACL more than an empty shell (the check fails without one).
ESSENTIAL = (Coverage.SQLI, Coverage.COMMON, Coverage.RATE)


def coverage(statement: Any) -> set[Coverage]:
    """The protections a statement tree provides."""
    found: set[Coverage] = set()
    if not isinstance(statement, dict):
        return found
    for key, value in statement.items():
        body = value if isinstance(value, dict) else {}
        if key == "SqliMatchStatement":
            found.add(Coverage.SQLI)
        elif key == "XssMatchStatement":
            found.add(Coverage.COMMON)
        elif key == "IPSetReferenceStatement":
            found.add(Coverage.IP_SET)
        elif key == "GeoMatchStatement":
            found.add(Coverage.GEO)
        elif key == "ManagedRuleGroupStatement":
            # A managed group's scope-down only narrows it, so it adds no protection itself.
            if body.get("Name") == SQLI_GROUP:
                found.add(Coverage.SQLI)
            elif body.get("Name") == COMMON_GROUP:
                found.add(Coverage.COMMON)
        elif key == "RateBasedStatement":
            found.add(Coverage.RATE)
            found |= coverage(body.get("ScopeDownStatement"))
        elif key in ("AndStatement", "OrStatement"):
            for child in body.get("Statements") or ():
                found |= coverage(child)
        elif key == "NotStatement":
            found |= coverage(body.get("Statement"))
    return found


def _group(rule: WafRule) -> tuple[str, dict[str, Any]] | None:
    for key in GROUP_KEYS:
        body = rule.statement.get(key)
        if isinstance(body, dict):
            # A custom group is named by its ARN: ...:regional/rulegroup/NAME/ID.
            arn = str(body.get("ARN", ""))
            name = str(body.get("Name") or (arn.split("/")[-2] if arn.count("/") >= 2 else arn))
            return name or key, body
    return None


def count_notes(rule: WafRule) -> list[str]:
    """Where this rule only counts: the rule itself, its group, or rules inside its group."""
    notes: list[str] = []
    if rule.action == "Count":
        notes.append(f"rule {rule.name} is in Count mode")
    group = _group(rule)
    if group is None:
        return notes
    name, body = group
    if rule.override_action == "Count":
        notes.append(f"rule group {name} ({rule.name}) is overridden to Count")
    counted = [
        str(o.get("Name"))
        for o in body.get("RuleActionOverrides") or ()
        if "Count" in (o.get("ActionToUse") or {})
    ]
    # ExcludedRules is the older way to set a managed group's rules to Count.
    counted += [str(e.get("Name")) for e in body.get("ExcludedRules") or ()]
    if counted:
        notes.append(f"{len(counted)} rule(s) of {name} set to Count: {', '.join(counted)}")
    return notes


def blocks(rule: WafRule) -> bool:
    if rule.action in BLOCKING:
        return True
    # A rule group that is not overridden acts on its own rules' actions (Block, usually).
    return _group(rule) is not None and rule.override_action in ("None", "")


@dataclass(frozen=True, slots=True)
class AclCoverage:
    has: tuple[Coverage, ...]
    lacks: tuple[Coverage, ...]
    counting: tuple[str, ...]
    blocking: bool
    managed_groups: tuple[str, ...]

    @property
    def essential(self) -> bool:
        return any(c in self.has for c in ESSENTIAL)


def acl_coverage(acl: WebAcl) -> AclCoverage:
    found: set[Coverage] = set()
    counting: list[str] = []
    groups: list[str] = []
    for rule in sorted(acl.rules, key=lambda r: r.priority):
        found |= coverage(rule.statement)
        counting += count_notes(rule)
        group = _group(rule)
        if group is not None:
            groups.append(group[0])
    return AclCoverage(
        has=tuple(c for c in Coverage if c in found),
        lacks=tuple(c for c in Coverage if c not in found),
        counting=tuple(counting),
        blocking=acl.default_action == "Block" or any(blocks(r) for r in acl.rules),
        managed_groups=tuple(groups),
    )


def rule_details(acl: WebAcl) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "priority": r.priority,
            "action": r.action or None,
            "override_action": r.override_action or None,
            "covers": [c.value for c in Coverage if c in coverage(r.statement)],
            "statement": r.statement,
        }
        for r in sorted(acl.rules, key=lambda r: r.priority)
    ]
