"""Filters on function traffic: security group egress and subnet network ACLs (practice a2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.network_scope import (
    RegionNetwork,
    names,
    unresolved_functions,
    vpc_networks,
)
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.ec2 import NaclEntry, NetworkAcl, SecurityGroup, SgRule
from wa_review.model.snapshots.lambda_ import LambdaFunction

ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
# Rule 32767 is the catch-all deny AWS adds to every ACL (moto omits it on custom ACLs):
# either way, traffic no numbered rule allows is denied.
CATCH_ALL = 32767


def _rule_text(rule: SgRule) -> str:
    proto = "all traffic" if rule.protocol == "-1" else rule.protocol
    if rule.protocol != "-1" and rule.from_port is not None:
        ports = (
            str(rule.from_port)
            if rule.from_port == rule.to_port
            else f"{rule.from_port}-{rule.to_port}"
        )
        proto = f"{proto} {ports}"
    targets = [*rule.cidrs, *rule.prefix_lists, *rule.groups]
    return f"{proto} to {', '.join(targets) or 'nothing'}"


def _wide_open(rule: SgRule) -> bool:
    """Every protocol (or every port of one) to anywhere on the internet."""
    if not ANYWHERE & set(rule.cidrs):
        return False
    if rule.protocol == "-1":
        return True
    # Every TCP or UDP port is as open as "all traffic" for exfiltration.
    every_port = rule.from_port in (None, 0) and rule.to_port in (None, 65535)
    return rule.protocol.lower() in {"tcp", "udp", "6", "17"} and every_port


@check(
    "ec2.function_sg_egress",
    title="Security groups of VPC functions restrict outbound traffic",
    severity=Severity.MEDIUM,
    service="ec2",
    rationale="A security group acts as the function's outbound firewall. The default rule allows "
    "all traffic to 0.0.0.0/0, so a compromised function can reach any host on any port.",
    remediation="Replace the allow-all egress rule with rules for the ports and destinations the "
    "function needs: prefix lists (S3, DynamoDB), security groups of databases and endpoints, VPC "
    "CIDRs, or 443 only.",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-security-groups",
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    ),
)
def function_sg_egress(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    needs = (lambda ec2: ec2.security_groups_error, "the functions' security groups")
    for item in vpc_networks(inv, emit, needs=needs):
        if isinstance(item, Evidence):
            yield item
            continue
        users: dict[str, list[LambdaFunction]] = {}
        for fn in item.functions:
            for group in fn.security_group_ids:
                users.setdefault(group, []).append(fn)
        groups = {g.id: g for g in item.ec2.security_groups}
        for group_id, functions in sorted(users.items()):
            yield _judge_group(emit, item, group_id, groups.get(group_id), functions)


def _judge_group(
    emit: Emitter,
    net: RegionNetwork,
    group_id: str,
    group: SecurityGroup | None,
    functions: list[LambdaFunction],
) -> Evidence:
    who = f"functions {names(functions)} use it"
    if group is None:
        arn = f"arn:aws:ec2:{net.region}:{net.account}:security-group/{group_id}"
        return emit(
            Status.UNKNOWN,
            arn,
            net.region,
            f"{group_id}: not in describe_security_groups (deleted?); {who}",
        )
    label = f"{group.id} ({group.name})" if group.name else group.id
    rules = [{"rule": _rule_text(r), "wide_open": _wide_open(r)} for r in group.egress]
    open_rules = [r for r in group.egress if _wide_open(r)]
    if open_rules:
        text = "; ".join(_rule_text(r) for r in open_rules)
        return emit(
            Status.WARN,
            group.arn,
            net.region,
            f"{label}: egress allows {text}; {who}",
            egress=rules,
        )
    if not group.egress:
        summary = f"{label}: no egress rules, so the functions open no outbound connections; {who}"
    else:
        summary = (
            f"{label}: egress limited to {'; '.join(_rule_text(r) for r in group.egress)}; {who}"
        )
    return emit(Status.PASS, group.arn, net.region, summary, egress=rules)


@check(
    "ec2.function_subnet_nacl",
    title="Network ACLs of function subnets are not allow-all",
    severity=Severity.LOW,
    service="ec2",
    rationale="Network ACLs are the stateless, subnet-wide layer under security groups: they can "
    "block CIDR ranges or ports for every function in the subnet. An ACL that allows all traffic "
    "both ways (the default ACL) adds no defence in depth.",
    remediation="Associate the function subnets with a custom network ACL that allows only the "
    "ports and ranges needed (e.g. 443 out, ephemeral ports back in) and denies the rest.",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
        "https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html#VPC_Security_Comparison",
    ),
)
def function_subnet_nacl(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    needs = (lambda ec2: ec2.network_acls_error, "the network ACLs of function subnets")
    for item in vpc_networks(inv, emit, needs=needs):
        if isinstance(item, Evidence):
            yield item
            continue
        for subnet_id, functions in item.subnet_users().items():
            yield _judge_subnet(emit, item, subnet_id, functions)
        yield from unresolved_functions(emit, item)


def _acl_for(net: RegionNetwork, subnet_id: str) -> NetworkAcl | None:
    acls = net.ec2.network_acls
    explicit = next((a for a in acls if subnet_id in a.subnet_ids), None)
    if explicit is not None:
        return explicit
    vpc = net.index.subnets[subnet_id].vpc_id
    return next((a for a in acls if a.vpc_id == vpc and a.is_default), None)


def _allow_all(entries: tuple[NaclEntry, ...], egress: bool) -> tuple[NaclEntry | None, int]:
    """The allow-all rule that decides this direction, and how many deny rules come first."""
    ordered = sorted(
        (e for e in entries if e.egress == egress and e.rule_number < CATCH_ALL),
        key=lambda e: e.rule_number,
    )
    denies = 0
    for entry in ordered:
        if entry.action == "deny":
            denies += 1
        elif entry.protocol == "-1" and entry.cidr in ANYWHERE:
            return entry, denies
    return None, denies


def _judge_subnet(
    emit: Emitter, net: RegionNetwork, subnet_id: str, functions: list[LambdaFunction]
) -> Evidence:
    arn = net.subnet_arn(subnet_id)
    who = f"functions {names(functions)} use it"
    acl = _acl_for(net, subnet_id)
    if acl is None:
        return emit(Status.UNKNOWN, arn, net.region, f"{subnet_id}: no network ACL found; {who}")
    label = f"{acl.id} (the VPC default)" if acl.is_default else acl.id
    open_dirs: list[str] = []
    notes: list[str] = []
    details: dict[str, Any] = {"network_acl": acl.id, "default": acl.is_default}
    for egress, direction in ((False, "inbound"), (True, "outbound")):
        rule, denies = _allow_all(acl.entries, egress)
        if rule is None:
            continue
        details[direction] = {
            "rule_number": rule.rule_number,
            "cidr": rule.cidr,
            "denies_before": denies,
        }
        if denies:
            notes.append(
                f"{direction} allow-all rule {rule.rule_number} after {denies} deny rule(s)"
            )
        else:
            open_dirs.append(f"all {direction} traffic (rule {rule.rule_number}, {rule.cidr})")
    if open_dirs:
        return emit(
            Status.WARN,
            arn,
            net.region,
            f"{subnet_id}: {label} allows {' and '.join(open_dirs)}; {who}",
            **details,
        )
    extra = f" ({'; '.join(notes)})" if notes else ""
    return emit(
        Status.PASS,
        arn,
        net.region,
        f"{subnet_id}: {label} has no unconditional allow-all rule{extra}; {who}",
        **details,
    )
