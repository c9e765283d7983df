"""What a DNS Firewall rule group blocks, read from its rules in AWS's response shapes.

moto has neither ListFirewallRules nor the domain list APIs: they are answered at before-call
(tests/aws/test_network_real_shapes.py `stub`), checked against botocore's output shapes.
"""

from __future__ import annotations

from typing import Any

from tests.aws.fixtures.network_account import ACCOUNT, REGION, Built
from tests.aws.test_network_checks import judged, statuses
from tests.aws.test_network_real_shapes import Respond, account, collect, dns_stubs
from wa_review.checks.network_filtering import egress_filtering
from wa_review.model.evidence import Status
from wa_review.model.snapshots.dns_firewall import AWS_MANAGED_OWNER, DnsFirewallSnapshot

__all__ = ["account"]  # the module-scoped moto account fixture, shared with the shapes tests

MALWARE = "rslvr-fdl-malware"
BOTNET = "rslvr-fdl-botnet"
ALLOWED = "rslvr-fdl-allowed"
ALL = "rslvr-fdl-all"
BAD = "rslvr-fdl-bad"
NAMES = {
    MALWARE: ("AWSManagedDomainsMalwareDomainList", AWS_MANAGED_OWNER),
    BOTNET: ("AWSManagedDomainsBotnetCommandandControl", AWS_MANAGED_OWNER),
    ALLOWED: ("allowed", ""),
    ALL: ("all", ""),
    BAD: ("bad", ""),
}
DOMAINS = {ALLOWED: ["example.com.", "*.example.com."], ALL: ["*"], BAD: ["evil.example."]}
CALLS = "route53resolver:ListFirewallRules"


def rule(group: str, name: str, priority: int, action: str, lists: str = "", **extra: Any) -> Any:
    """One FirewallRule as ListFirewallRules returns it."""
    found: dict[str, Any] = {
        "FirewallRuleGroupId": f"rslvr-frg-{group}",
        "Name": name,
        "Priority": priority,
        "Action": action,
        "CreatorRequestId": name,
        "CreationTime": "2024-05-01T10:00:00.000000Z",
        "ModificationTime": "2024-05-01T10:00:00.000000Z",
        **({"FirewallDomainListId": lists} if lists else {}),
        **({"BlockResponse": "NODATA"} if action == "BLOCK" else {}),
        **extra,
    }
    if lists:
        found["FirewallDomainRedirectionAction"] = "INSPECT_REDIRECTION_DOMAIN"
    return found


def paged(pages: dict[str, list[list[Any]]], key: str, seen: list[str]) -> Respond:
    """A listing per rule group, page by page (NextToken "<group>-<n>"); records the groups asked."""

    def respond(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        group = str(params.get("FirewallRuleGroupId", ""))
        seen.append(group)
        listing = pages.get(group.removeprefix("rslvr-frg-"), [[]])
        token = str(params.get("NextToken", ""))
        index = int(token.rsplit("-", 1)[-1]) if token else 0
        body: dict[str, Any] = {key: listing[index]}
        if index + 1 < len(listing):
            body["NextToken"] = f"{group}-{index + 1}"
        return 200, body

    return respond


def domain_lists(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The region's lists in two pages: the AWS managed ones come second."""
    items = [
        {
            "Id": list_id,
            "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:firewall-domain-list/{list_id}",
            "Name": name,
            **({"ManagedOwnerName": owner} if owner else {"CreatorRequestId": name}),
        }
        for list_id, (name, owner) in NAMES.items()
    ]
    if params.get("NextToken") == "lists-2":
        return 200, {"FirewallDomainLists": items[:2]}
    return 200, {"FirewallDomainLists": items[2:], "NextToken": "lists-2"}


def domains(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return 200, {"Domains": DOMAINS[str(params["FirewallDomainListId"])]}


def with_rules(built: Built, pages: dict[str, list[list[Any]]], **options: Any) -> Any:
    seen: list[str] = []
    stubs = dns_stubs(
        built,
        rules=paged(pages, "FirewallRules", seen),
        domain_lists=domain_lists,
        domains=domains,
        **options,
    )
    return stubs, seen


def test_block_on_aws_managed_lists_passes_and_names_them(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, seen = with_rules(
        built,
        {
            "core": [
                [
                    rule("core", "watch-bad", 1, "ALERT", BAD),
                    rule("core", "malware", 2, "BLOCK", MALWARE),
                    rule("core", "botnet", 3, "BLOCK", BOTNET, BlockResponse="NXDOMAIN"),
                    rule(
                        "core",
                        "tunnels",
                        4,
                        "BLOCK",
                        FirewallThreatProtectionId="rslvr-ftp-1",
                        DnsThreatProtection="DNS_TUNNELING",
                        ConfidenceThreshold="HIGH",
                    ),
                ]
            ],
            "edge": [[rule("edge", "malware", 1, "BLOCK", MALWARE)]],
        },
    )
    collection = collect(session, stubs=stubs)
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.PASS
    assert (
        "rslvr-frg-core (core) blocks AWS managed lists AWSManagedDomainsMalwareDomainList and "
        "AWSManagedDomainsBotnetCommandandControl, DNS_TUNNELING threats, confidence HIGH "
        "(FirewallFailOpen DISABLED)"
    ) in found["core"].summary
    (group,) = found["core"].details["dns_firewall"]
    assert [(r["name"], r["action"], r.get("domain_list")) for r in group["rules"]] == [
        ("watch-bad", "ALERT", "bad"),
        ("malware", "BLOCK", "AWSManagedDomainsMalwareDomainList"),
        ("botnet", "BLOCK", "AWSManagedDomainsBotnetCommandandControl"),
        ("tunnels", "BLOCK", None),  # DNS Firewall Advanced: a threat, no domain list
    ]
    assert group["rules"][2]["block_response"] == "NXDOMAIN"
    assert group["rules"][1]["aws_managed"] is True
    assert group["rules"][3]["threat_protection"] == "DNS_TUNNELING"
    # Blocking, but failing open: still a warning, the rules told as well.
    assert found["edge"].status is Status.WARN
    assert "blocks AWS managed list AWSManagedDomainsMalwareDomainList" in found["edge"].summary
    assert "FirewallFailOpen is ENABLED" in found["edge"].summary
    # One rule listing per associated group, one listing (two pages) of the domain lists, and
    # no domains read: no BLOCK rule follows an ALLOW rule.
    assert sorted(seen) == ["rslvr-frg-core", "rslvr-frg-edge"]
    assert collection.calls[CALLS] == 2
    assert collection.calls["route53resolver:ListFirewallDomainLists"] == 2
    assert "route53resolver:ListFirewallDomains" not in collection.calls


def test_allow_list_then_block_star_is_told_as_an_allow_list(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, _ = with_rules(
        built,
        {
            "core": [
                [
                    rule("core", "block-all", 200, "BLOCK", ALL),
                    rule("core", "allow-ours", 100, "ALLOW", ALLOWED),
                ]
            ],
            # A BLOCK after an ALLOW on a list that is not `*`: a block-list, not an allow-list.
            "edge": [
                [
                    rule("edge", "allow-ours", 1, "ALLOW", ALLOWED),
                    rule("edge", "bad", 2, "BLOCK", BAD),
                ]
            ],
        },
    )
    collection = collect(session, stubs=stubs)
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None
    assert {d.id: d.wildcard for d in dns.domain_lists if d.wildcard is not None} == {
        ALL: True,
        BAD: False,
    }
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.PASS
    assert (
        "rslvr-frg-core (core) is an allow-list: ALLOW domain list 'allowed' then BLOCK * "
        "(domain list 'all')"
    ) in found["core"].summary
    assert "blocks domain list 'bad'" in found["edge"].summary
    assert "allow-list" not in found["edge"].summary
    # Domains are read only for the custom lists blocked after an ALLOW, once each.
    assert collection.calls["route53resolver:ListFirewallDomains"] == 2


def test_only_allow_and_alert_rules_filter_nothing(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, _ = with_rules(
        built,
        {
            "core": [
                [
                    rule("core", "allow-ours", 1, "ALLOW", ALLOWED),
                    rule("core", "watch-malware", 2, "ALERT", MALWARE),
                    rule("core", "watch-bad", 3, "ALERT", BAD),
                ]
            ]
        },
    )
    found = judged(built, collect(session, stubs=stubs), egress_filtering)
    assert found["core"].status is Status.WARN
    assert (
        "rslvr-frg-core (core) filters nothing: its rules only allow/alert (1 ALLOW, 2 ALERT)"
    ) in found["core"].summary


def test_a_group_without_rules_filters_nothing(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, seen = with_rules(built, {})
    collection = collect(session, stubs=stubs)
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.WARN
    assert "rslvr-frg-core (core) filters nothing: it has no rules" in found["core"].summary
    assert found["core"].details["dns_firewall"][0]["rules"] == []
    assert len(seen) == 2
    # No rule uses a domain list: the lists are not listed.
    assert "route53resolver:ListFirewallDomainLists" not in collection.calls


def test_rules_denied_are_unknown_with_the_reason(account: tuple[Built, Any]) -> None:
    built, session = account

    def denied(_params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        message = "not authorized to perform: route53resolver:ListFirewallRules"
        return 400, {"__type": "AccessDeniedException", "message": message}

    collection = collect(session, stubs=dns_stubs(built, rules=denied))
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None
    assert {g.id: g.error.code if g.error else None for g in dns.rule_groups} == {
        "rslvr-frg-core": "AccessDeniedException",
        "rslvr-frg-edge": "AccessDeniedException",
    }
    assert {e.resource for e in collection.errors if e.operation == "ListFirewallRules"} == {
        "rslvr-frg-core",
        "rslvr-frg-edge",
    }
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.UNKNOWN
    assert (
        "rslvr-frg-core (core) is associated, but its rules could not be read "
        "(route53resolver:ListFirewallRules for rslvr-frg-core failed: AccessDeniedException"
    ) in found["core"].summary
    assert found["core"].details["dns_firewall"][0]["rules_error"]["code"] == (
        "AccessDeniedException"
    )
    assert found["edge"].status is Status.WARN  # fail-open ENABLED is known either way


def test_two_vpcs_sharing_a_group_read_its_rules_once(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, seen = with_rules(
        built,
        {"shared": [[rule("shared", "malware", 1, "BLOCK", MALWARE)]]},
        associated=("core", "inspected"),
        shared={"core": "shared", "inspected": "shared"},
    )
    collection = collect(session, stubs=stubs)
    assert seen == ["rslvr-frg-shared"]
    assert collection.calls[CALLS] == 1
    found = judged(built, collection, egress_filtering)
    assert statuses(found)["core"] is Status.PASS
    assert statuses(found)["inspected"] is Status.PASS
    for vpc in ("core", "inspected"):
        assert (
            f"rslvr-frg-shared ({vpc}) blocks AWS managed list AWSManagedDomainsMalwareDomainList"
        ) in found[vpc].summary


def test_rule_pages_are_followed(account: tuple[Built, Any]) -> None:
    built, session = account
    stubs, seen = with_rules(
        built,
        {
            "core": [
                [rule("core", "watch-1", 1, "ALERT", BAD)],
                [rule("core", "watch-2", 2, "ALERT", BAD)],
                [rule("core", "botnet", 3, "BLOCK", BOTNET)],  # the only BLOCK: last page
            ]
        },
        associated=("core",),
    )
    collection = collect(session, stubs=stubs)
    assert collection.calls[CALLS] == 3
    assert seen == ["rslvr-frg-core"] * 3
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.PASS
    assert "blocks AWS managed list AWSManagedDomainsBotnetCommandandControl" in (
        found["core"].summary
    )
    assert [r["name"] for r in found["core"].details["dns_firewall"][0]["rules"]] == [
        "watch-1",
        "watch-2",
        "botnet",
    ]
