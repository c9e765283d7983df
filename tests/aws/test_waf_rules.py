"""What a web ACL's statements cover: nesting, managed groups, Count overrides (pure)."""

from __future__ import annotations

from typing import Any

from wa_review.checks.support.waf_rules import Coverage, acl_coverage, blocks, count_notes, coverage
from wa_review.model.snapshots.wafv2 import WafRule, WebAcl

GEO = {"GeoMatchStatement": {"CountryCodes": ["KP"]}}
SQLI = {"SqliMatchStatement": {"FieldToMatch": {"Body": {}}, "TextTransformations": []}}
XSS = {"XssMatchStatement": {"FieldToMatch": {"QueryString": {}}, "TextTransformations": []}}
IP = {"IPSetReferenceStatement": {"ARN": "arn:aws:wafv2:us-east-1:1:regional/ipset/x/1"}}


def managed(name: str, **extra: Any) -> dict[str, Any]:
    return {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name, **extra}}


def acl(*rules: WafRule, default: str = "Allow") -> WebAcl:
    return WebAcl("a", "1", "arn:aws:wafv2:us-east-1:1:regional/webacl/a/1", default, rules)


def test_nested_statements_are_searched() -> None:
    nested = {"AndStatement": {"Statements": [{"NotStatement": {"Statement": GEO}}, SQLI]}}
    assert coverage(nested) == {Coverage.GEO, Coverage.SQLI}
    rate = {
        "RateBasedStatement": {
            "Limit": 100,
            "ScopeDownStatement": {"OrStatement": {"Statements": [XSS, IP]}},
        }
    }
    assert coverage(rate) == {Coverage.RATE, Coverage.COMMON, Coverage.IP_SET}
    assert coverage(managed("AWSManagedRulesSQLiRuleSet")) == {Coverage.SQLI}
    assert coverage(managed("AWSManagedRulesCommonRuleSet")) == {Coverage.COMMON}
    # A managed group's scope-down narrows it: it is no geo rule of its own.
    assert (
        coverage(managed("AWSManagedRulesKnownBadInputsRuleSet", ScopeDownStatement=GEO)) == set()
    )


def test_count_mode_in_all_its_forms() -> None:
    overrides = [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}},
        {"Name": "NoUserAgent_HEADER", "ActionToUse": {"Block": {}}},
    ]
    group = WafRule(
        "core",
        0,
        "",
        "None",
        managed(
            "AWSManagedRulesCommonRuleSet",
            RuleActionOverrides=overrides,
            ExcludedRules=[{"Name": "EC2MetaDataSSRF_BODY"}],
        ),
    )
    assert count_notes(group) == [
        "2 rule(s) of AWSManagedRulesCommonRuleSet set to Count: SizeRestrictions_BODY, "
        "EC2MetaDataSSRF_BODY"
    ]
    assert blocks(group)
    counted = WafRule("core", 0, "", "Count", managed("AWSManagedRulesCommonRuleSet"))
    assert count_notes(counted) == [
        "rule group AWSManagedRulesCommonRuleSet (core) is overridden to Count"
    ]
    assert not blocks(counted)
    custom = {"RuleGroupReferenceStatement": {"ARN": "arn:aws:wafv2:r:1:regional/rulegroup/mine/9"}}
    assert count_notes(WafRule("own", 1, "", "Count", custom)) == [
        "rule group mine (own) is overridden to Count"
    ]
    assert count_notes(WafRule("geo", 2, "Count", "", GEO)) == ["rule geo is in Count mode"]


def test_acl_coverage_and_blocking() -> None:
    watch = acl(WafRule("geo", 0, "Count", "", GEO))
    found = acl_coverage(watch)
    assert found.has == (Coverage.GEO,) and not found.blocking and not found.essential
    # An allow-list ACL (DefaultAction Block) blocks whatever its rules do.
    assert acl_coverage(acl(WafRule("ok", 0, "Allow", "", IP), default="Block")).blocking
    rate = {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "IP"}}
    limited = acl_coverage(acl(WafRule("flood", 0, "Block", "", rate)))
    assert limited.essential and limited.blocking
    assert limited.lacks == (Coverage.SQLI, Coverage.COMMON, Coverage.IP_SET, Coverage.GEO)


def test_collected_statements_are_json_ready() -> None:
    """botocore returns ByteMatch SearchString as bytes; evidence details must stay JSON."""
    import json

    from wa_review.aws.collectors.wafv2 import _rule

    byte_match = {
        "ByteMatchStatement": {"SearchString": b"bad-bot", "PositionalConstraint": "CONTAINS"}
    }
    raw = {
        "Name": "bots",
        "Priority": 3,
        "Action": {"Block": {}},
        "Statement": {"NotStatement": {"Statement": byte_match}},
    }
    rule = _rule(raw)
    assert rule.action == "Block" and rule.override_action == ""
    assert (
        json.loads(json.dumps(rule.statement))["NotStatement"]["Statement"]["ByteMatchStatement"][
            "SearchString"
        ]
        == "bad-bot"
    )
