"""Outbound filtering for function VPCs: Network Firewall in the route, or DNS Firewall (a2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.dns_firewall_rules import rule_groups_verdict
from wa_review.checks.support.firewall_policy import policy_verdict
from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.network_scope import (
    RegionNetwork,
    names,
    not_collected,
    unresolved_functions,
    vpc_networks,
)
from wa_review.checks.support.registry import check
from wa_review.checks.support.routing import PathKind, grouped
from wa_review.model.evidence import Evidence, FetchError, Severity, Status, worst
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.lambda_ import LambdaFunction
from wa_review.model.snapshots.network_firewall import NetworkFirewallSnapshot


@check(
    "network.egress_filtering",
    title="Outbound traffic of function VPCs is filtered (Network Firewall or DNS Firewall)",
    severity=Severity.MEDIUM,
    service="network-firewall",
    rationale="Security groups allow or deny by address and port; stopping exfiltration to "
    "arbitrary domains needs a filter that sees names: AWS Network Firewall in the egress route, "
    "or a Route 53 Resolver DNS Firewall rule group on the VPC (ideally failing closed). The "
    "rule group's rules are read: one with only ALLOW or ALERT rules, or none, blocks nothing.",
    remediation="Route the function subnets' egress through AWS Network Firewall endpoints with a "
    "domain allow-list, or associate a DNS Firewall rule group with the VPC whose rules BLOCK "
    "(AWS managed threat lists, or ALLOW your domains then BLOCK '*') and set "
    "FirewallFailOpen to DISABLED.",
    references=(
        "https://docs.aws.amazon.com/network-firewall/latest/developerguide/what-is-aws-network-firewall.html",
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall.html",
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-vpc-configuration.html",
    ),
)
def egress_filtering(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for item in vpc_networks(inv, emit):
        if isinstance(item, Evidence):
            yield item
            continue
        for vpc_id, functions in item.by_vpc().items():
            yield _judge(emit, item, vpc_id, functions, inv)
        yield from unresolved_functions(emit, item)


def _firewall_verdicts(
    inv: AccountInventory, region: str, names: set[str]
) -> tuple[Status, dict[str, str]]:
    """Each firewall's policy verdict by name; the worst status of them."""
    snapshot = inv.get(region, NetworkFirewallSnapshot)
    known = {fw.name: fw for fw in (snapshot.firewalls if snapshot is not None else ())}
    verdicts: dict[str, str] = {}
    statuses: list[Status] = []
    for name in sorted(names):
        firewall = known.get(name)
        if firewall is None:  # the route names it, so the listing had it: kept safe anyway
            status, text = Status.UNKNOWN, "its policy was not read"
        else:
            status, text = policy_verdict(firewall)
        statuses.append(status)
        verdicts[name] = text
    return worst(statuses), verdicts


def _firewall_error(net: RegionNetwork, inv: AccountInventory) -> FetchError | None:
    firewalls = inv.get(net.region, NetworkFirewallSnapshot)
    if firewalls is None:
        return not_collected("network-firewall", "ListFirewalls", net.region, inv.account)
    return firewalls.listing_error


def _dns_error(net: RegionNetwork, inv: AccountInventory) -> FetchError | None:
    if net.dns is None:
        return not_collected(
            "route53resolver", "ListFirewallRuleGroupAssociations", net.region, inv.account
        )
    return net.dns.listing_error


def _judge(
    emit: Emitter,
    net: RegionNetwork,
    vpc_id: str,
    functions: list[LambdaFunction],
    inv: AccountInventory,
) -> Evidence:
    arn = net.vpc(vpc_id).arn
    subnets = sorted({s for f in functions for s in net.known_subnets(f)})
    paths = [net.index.path(s) for s in subnets]
    details: dict[str, Any] = {"paths": [p.to_dict() for p in paths]}
    egress = [p for p in paths if p.kind.has_egress]
    unresolved = [p for p in paths if p.kind is PathKind.UNRESOLVED]
    bypass = [p for p in egress if not p.firewall]
    who = f"functions {names(functions)}"
    if not egress and not unresolved:
        return emit(
            Status.PASS,
            arn,
            net.region,
            f"{vpc_id}: isolated (no default route on {', '.join(subnets)}): there is no "
            f"internet egress to filter for {who}",
            **details,
        )
    if egress and not bypass and not unresolved:
        status, verdicts = _firewall_verdicts(inv, net.region, {p.firewall for p in egress})
        details["firewall_policies"] = verdicts
        said = "; ".join(f"{name}: {text}" for name, text in verdicts.items())
        return emit(
            status,
            arn,
            net.region,
            f"{vpc_id}: egress from {', '.join(p.subnet_id for p in egress)} passes Network "
            f"Firewall {said}; {who}",
            **details,
        )
    dns = _dns_verdict(net, vpc_id, details)
    if dns is not None:
        status, text = dns
        return emit(status, arn, net.region, f"{vpc_id}: {text}; {who}", **details)
    unfiltered = "; ".join(_unfiltered(m[0].kind, text) for m, text in grouped(bypass + unresolved))
    errors = [
        e
        for e in (
            _firewall_error(net, inv),
            _dns_error(net, inv),
            *(p.error for p in unresolved),
        )
        if e is not None
    ]
    if errors:
        details["errors"] = [e.to_dict() for e in errors]
        cannot = "; ".join(f"{e.service}:{e.operation} failed: {e.code}" for e in errors)
        return emit(
            Status.UNKNOWN,
            arn,
            net.region,
            f"{vpc_id}: {unfiltered}; no Network Firewall is known in the route, and the rest "
            f"could not be read ({cannot}); {who}",
            **details,
        )
    return emit(
        Status.WARN,
        arn,
        net.region,
        f"{vpc_id}: {unfiltered}: no Network Firewall in the route and no DNS Firewall rule "
        f"group associated with the VPC; {who}",
        **details,
    )


def _unfiltered(kind: PathKind, text: str) -> str:
    if kind is PathKind.UNRESOLVED:
        return f"egress could not be followed ({text})"
    return f"egress via {kind.value} ({text})"


def _dns_verdict(
    net: RegionNetwork, vpc_id: str, details: dict[str, Any]
) -> tuple[Status, str] | None:
    """The DNS Firewall judgement when a rule group is associated with the VPC, else None.

    A known weakness (nothing blocked, fail-open ENABLED) is a WARN; otherwise a setting or
    rule that could not be read makes it UNKNOWN, never PASS.
    """
    if net.dns is None or net.dns.listing_error is not None:
        return None
    associations = [
        a for a in net.dns.associations if a.vpc_id == vpc_id and a.status != "DELETING"
    ]
    if not associations:
        return None
    rules_status, said, details["dns_firewall"] = rule_groups_verdict(net.dns, associations)
    groups = f"DNS Firewall rule group{'s' if len(associations) > 1 else ''} {said}"
    config = next((c for c in net.dns.configs if c.vpc_id == vpc_id), None)
    if config is None or config.error is not None:
        code = config.error.code if config is not None and config.error is not None else "not read"
        if config is not None and config.error is not None:
            details["errors"] = [config.error.to_dict()]
        status = Status.WARN if rules_status is Status.WARN else Status.UNKNOWN
        return status, f"{groups}; the fail-open setting could not be read ({code})"
    details["firewall_fail_open"] = config.fail_open
    if config.fail_open == "ENABLED":
        return (
            Status.WARN,
            f"{groups}; FirewallFailOpen is ENABLED: queries are answered unfiltered whenever "
            "the firewall cannot evaluate them",
        )
    return rules_status, f"{groups} (FirewallFailOpen {config.fail_open or 'DISABLED'})"
