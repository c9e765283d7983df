"""Where in-scope functions sit in the network and how their traffic leaves (practice a2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.network_scope import (
    RegionNetwork,
    names,
    unresolved_function,
    vpc_networks,
)
from wa_review.checks.support.registry import check
from wa_review.checks.support.routing import PathKind, SubnetPath, grouped
from wa_review.model.evidence import Evidence, Severity, Status, worst
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.ec2 import Ec2Snapshot
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot

VPC_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"
INTERNET_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html"


@check(
    "lambda.vpc_attachment",
    title="Lambda functions attach to a VPC only when they need private resources",
    severity=Severity.INFO,
    service="lambda",
    rationale="A function outside a VPC runs in the Lambda-managed network with internet egress and "
    "no VPC controls; inside a VPC its traffic obeys your routes, security groups and NACLs. Whether "
    "it should be attached depends on what it reaches, so this is evidence for the reviewer, never a "
    "failure.",
    remediation="Attach the function to private subnets (VpcConfig) when it reaches private resources "
    "or when egress must be controlled; otherwise keep it in the Lambda-managed network.",
    references=(VPC_DOCS,),
)
def vpc_attachment(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, lam in inv.each(LambdaSnapshot):
        functions = [f for f in lam.functions if f.in_scope]
        if lam.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, lam.listing_error, "Lambda functions", listed=len(lam.functions)
            )
        elif not functions:
            yield emit.not_applicable(region, "Lambda functions")
            continue
        ec2 = inv.get(region, Ec2Snapshot)
        vpc_of = {s.id: s.vpc_id for s in ec2.subnets} if ec2 is not None else {}
        for fn in functions:
            yield _attachment(emit, region, fn, vpc_of)


def _attachment(emit: Emitter, region: str, fn: LambdaFunction, vpc_of: dict[str, str]) -> Evidence:
    if not fn.in_vpc:
        return emit(
            Status.WARN,
            fn.arn,
            region,
            f"{fn.name}: not attached to a VPC. Attach to a VPC only when the function needs "
            "private resources; this function runs in the Lambda-managed network with internet "
            "egress",
        )
    vpcs = sorted({vpc_of[s] for s in fn.subnet_ids if s in vpc_of})
    where = ", ".join(vpcs) if vpcs else "a VPC (its subnets are not in describe_subnets)"
    return emit(
        Status.PASS,
        fn.arn,
        region,
        f"{fn.name}: attached to {where}, subnets {', '.join(fn.subnet_ids)}",
        vpcs=vpcs,
        subnets=list(fn.subnet_ids),
        security_groups=list(fn.security_group_ids),
    )


def _function_paths(
    inv: AccountInventory, emit: Emitter
) -> Iterator[Evidence | tuple[RegionNetwork, LambdaFunction, list[SubnetPath]]]:
    """Each in-scope VPC function with the egress path of each of its known subnets."""
    for item in vpc_networks(inv, emit):
        if isinstance(item, Evidence):
            yield item
            continue
        for fn in item.functions:
            known = item.known_subnets(fn)
            if not known:
                yield unresolved_function(emit, item, fn)
            else:
                yield item, fn, [item.index.path(s) for s in known]


@check(
    "lambda.subnets_private",
    title="VPC functions use private subnets (no route to an internet gateway)",
    severity=Severity.HIGH,
    service="lambda",
    rationale="A subnet whose default route points to an internet gateway is public. Lambda network "
    "interfaces never get a public IP, so a function there has no working internet egress and sits "
    "in the subnet meant for internet-facing resources.",
    remediation="Move the function to private subnets whose default route goes to a NAT gateway (or "
    "none, with VPC endpoints), and keep internet gateways on public subnets only.",
    references=(
        INTERNET_DOCS,
        "https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",
    ),
)
def subnets_private(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for item in _function_paths(inv, emit):
        if isinstance(item, Evidence):
            yield item
            continue
        net, fn, paths = item
        users = net.subnet_users()
        public = [p for p in paths if p.kind is PathKind.IGW]
        unresolved = [p for p in paths if p.kind is PathKind.UNRESOLVED and p.route is None]
        details = {"paths": [p.to_dict() for p in paths]}
        if public:
            text = "; ".join(
                f"{p.text}; functions {names(users.get(p.subnet_id, []))} use it" for p in public
            )
            yield emit(Status.FAIL, fn.arn, net.region, f"{fn.name}: {text}", **details)
        elif unresolved:
            yield emit(
                Status.UNKNOWN,
                fn.arn,
                net.region,
                f"{fn.name}: no route table found for {', '.join(p.subnet_id for p in unresolved)}",
                **details,
            )
        else:
            subnets = ", ".join(f"{p.subnet_id} ({p.route_table_id})" for p in paths)
            yield emit(
                Status.PASS,
                fn.arn,
                net.region,
                f"{fn.name}: subnets {subnets} have no route to an internet gateway",
                **details,
            )


# The status each way out earns a function (no default route is judged by `_isolated`).
_PATH_STATUS = {
    PathKind.IGW: Status.FAIL,
    PathKind.NAT: Status.PASS,
    PathKind.FIREWALL: Status.PASS,
    PathKind.INSPECTION: Status.PASS,
    PathKind.EGRESS_ONLY: Status.PASS,
    PathKind.TRANSIT: Status.WARN,
    PathKind.BROKEN: Status.WARN,
    PathKind.UNRESOLVED: Status.UNKNOWN,
}


@check(
    "lambda.egress_path",
    title="VPC functions leave the VPC through NAT, a firewall or VPC endpoints only",
    severity=Severity.MEDIUM,
    service="lambda",
    rationale="A VPC function reaches the internet and AWS APIs only through what its subnet routes "
    "offer: a NAT gateway, a firewall endpoint, or VPC endpoints when there is no default route. "
    "Knowing the path is the basis for controlling outbound traffic.",
    remediation="Route the function subnets' 0.0.0.0/0 to a NAT gateway (ideally behind AWS Network "
    "Firewall), or remove the default route and add VPC endpoints for the AWS services used.",
    references=(
        INTERNET_DOCS,
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    ),
)
def egress_path(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for item in _function_paths(inv, emit):
        if isinstance(item, Evidence):
            yield item
            continue
        net, fn, paths = item
        yield _egress(emit, net, fn, paths)


def _egress(
    emit: Emitter, net: RegionNetwork, fn: LambdaFunction, paths: list[SubnetPath]
) -> Evidence:
    details: dict[str, Any] = {"paths": [p.to_dict() for p in paths]}
    vpc = net.index.vpc_of(fn.subnet_ids) or ""
    services = sorted(
        {e.short_service for e in net.ec2.endpoints if e.vpc_id == vpc and e.state == "available"}
    )
    graded: list[tuple[Status, str]] = []
    for members, text in grouped(paths):
        kind = members[0].kind
        if kind is PathKind.NONE:
            graded.append(_isolated(net, text, services))
        elif kind is PathKind.IGW:
            graded.append(
                (
                    Status.FAIL,
                    f"{text}: a public subnet, where a function has no working egress "
                    "(Lambda interfaces get no public IP)",
                )
            )
        else:
            via = f"egress via {kind.value}" if kind.has_egress else kind.value
            graded.append((_PATH_STATUS[kind], f"{via}: {text}"))
    status = worst(g[0] for g in graded)
    errors = [p.error.to_dict() for p in paths if p.error is not None]
    if errors:
        details["errors"] = errors
    summary = f"{fn.name}: " + "; ".join(g[1] for g in graded)
    return emit(status, fn.arn, net.region, summary, **details)


def _isolated(net: RegionNetwork, text: str, services: list[str]) -> tuple[Status, str]:
    if services:
        return (
            Status.PASS,
            f"isolated ({text}); reaches AWS only through VPC endpoints: {', '.join(services)}",
        )
    if net.ec2.endpoints_error is not None:
        return (
            Status.UNKNOWN,
            f"isolated ({text}); VPC endpoints could not be read: {net.ec2.endpoints_error.code}",
        )
    return (
        Status.WARN,
        f"isolated ({text}): the function cannot reach AWS APIs unless VPC endpoints exist",
    )
