"""Route resolution and the edge cases moto cannot build, over hand-made snapshots (pure)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from wa_review.checks.ec2 import function_sg_egress, function_subnet_nacl
from wa_review.checks.lambda_network import egress_path, subnets_private
from wa_review.checks.network_filtering import egress_filtering
from wa_review.checks.support.routing import NetIndex, PathKind
from wa_review.checks.vpc import endpoints_for_services, flow_logs
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.dns_firewall import DnsFirewallSnapshot
from wa_review.model.snapshots.ec2 import (
    Ec2Snapshot,
    NatGateway,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot
from wa_review.model.snapshots.network_firewall import (
    Firewall,
    FirewallEndpoint,
    FirewallPolicy,
    NetworkFirewallSnapshot,
)

REGION, ACCOUNT = "us-east-1", "123456789012"
LOCAL = Route("10.0.0.0/16", "local", "active")
DENIED = FetchError("ec2", "DescribeNatGateways", "UnauthorizedOperation", "no", REGION, ACCOUNT)


def subnet(subnet_id: str, vpc: str = "vpc-a") -> Subnet:
    return Subnet(
        subnet_id, f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{subnet_id}", vpc, "a", "", False
    )


def table(
    table_id: str, vpc: str, *routes: Route, main: bool = False, subnets: tuple[str, ...] = ()
) -> RouteTable:
    return RouteTable(table_id, vpc, main, subnets, (LOCAL, *routes))


def default(target: str, state: str = "active", cidr: str = "0.0.0.0/0") -> Route:
    return Route(cidr, target, state)


def fn(name: str, *subnets: str, groups: tuple[str, ...] = ("sg-1",)) -> LambdaFunction:
    return LambdaFunction(
        name=name,
        arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
        role="r",
        runtime="python3.12",
        vpc_id="vpc-123abc",
        subnet_ids=subnets,
        security_group_ids=groups,
        layers=(),
        env_var_names=(),
        static_credential_vars=(),
        in_scope=True,
    )


def inventory(functions: list[LambdaFunction], ec2: Ec2Snapshot, *extra: Any) -> AccountInventory:
    inv = AccountInventory(ACCOUNT, REGION)
    for snap in (LambdaSnapshot(functions=tuple(functions)), ec2, *extra):
        inv.add(REGION, snap)
    return inv


def by_summary_start(evidence: list[Evidence]) -> dict[str, Evidence]:
    return {e.summary.split(":")[0]: e for e in evidence}


def test_main_table_fallback_stays_in_the_subnets_vpc() -> None:
    """Prowler's fallback takes any main table; the other VPC's (listed first) routes to an IGW."""
    ec2 = Ec2Snapshot(
        subnets=(subnet("subnet-a"), subnet("subnet-b", "vpc-b")),
        route_tables=(
            table("rtb-b-main", "vpc-b", default("igw-b"), main=True),
            table("rtb-a-main", "vpc-a", default("nat-a"), main=True),
        ),
        nat_gateways=(NatGateway("nat-a", "vpc-a", "subnet-pub", "available", "public"),),
    )
    path = NetIndex.build(ec2, None).path("subnet-a")
    assert (path.kind, path.route_table_id, path.main_table) == (PathKind.NAT, "rtb-a-main", True)
    found = list(subnets_private(inventory([fn("orders", "subnet-a")], ec2), CheckConfig()))
    assert [e.status for e in found] == [Status.PASS]


def test_unusual_routes() -> None:
    ec2 = Ec2Snapshot(
        subnets=tuple(subnet(s) for s in ("s-v6", "s-hole", "s-dead", "s-tgw", "s-nat", "s-lost")),
        route_tables=(
            table("rtb-v6", "vpc-a", default("eigw-1", cidr="::/0"), subnets=("s-v6",)),
            table("rtb-hole", "vpc-a", default("nat-1", "blackhole"), subnets=("s-hole",)),
            table("rtb-dead", "vpc-a", default("nat-dead"), subnets=("s-dead",)),
            table("rtb-tgw", "vpc-a", default("tgw-1"), subnets=("s-tgw",)),
            table("rtb-nat", "vpc-a", default("nat-unknown"), subnets=("s-nat",)),
        ),
        nat_gateways=(NatGateway("nat-dead", "vpc-a", "s-pub", "deleted", "public"),),
        nat_gateways_error=DENIED,
    )
    index = NetIndex.build(ec2, None)
    kinds = {s: index.path(s).kind for s in ("s-v6", "s-hole", "s-dead", "s-tgw", "s-nat")}
    assert kinds == {
        "s-v6": PathKind.EGRESS_ONLY,  # eigw- is egress-only: not a public subnet
        "s-hole": PathKind.BROKEN,
        "s-dead": PathKind.BROKEN,
        "s-tgw": PathKind.TRANSIT,
        "s-nat": PathKind.UNRESOLVED,  # NAT gateways could not be read
    }
    functions = [fn(s, s) for s in kinds] + [fn("lost", "subnet-gone")]
    found = by_summary_start(list(egress_path(inventory(functions, ec2), CheckConfig())))
    assert {k: e.status for k, e in found.items()} == {
        "s-v6": Status.PASS,
        "s-hole": Status.WARN,
        "s-dead": Status.WARN,
        "s-tgw": Status.WARN,
        "s-nat": Status.UNKNOWN,
        "lost": Status.UNKNOWN,
    }
    assert "the NAT gateway is deleted" in found["s-dead"].summary
    assert found["s-nat"].details["errors"][0]["code"] == "UnauthorizedOperation"
    assert "not in describe_subnets" in found["lost"].summary


ALLOW_LIST = FirewallPolicy(
    "arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/egress",
    stateless_default_actions=("aws:forward_to_sfe",),
    stateful_default_actions=("aws:drop_strict",),
    stateful_rule_groups=("arn:rg/domains",),
)
DENIED_POLICY = FetchError(
    "network-firewall", "DescribeFirewallPolicy", "AccessDeniedException", "no", REGION, ACCOUNT
)


@pytest.mark.parametrize(
    ("policy", "error", "status", "says"),
    [
        (ALLOW_LIST, None, Status.PASS, "1 rule group(s) and default aws:drop_strict (allow-list)"),
        (
            replace(ALLOW_LIST, stateful_default_actions=()),
            None,
            Status.PASS,
            "what no rule matches passes",
        ),
        (
            replace(ALLOW_LIST, stateful_rule_groups=()),
            None,
            Status.PASS,
            "default aws:drop_strict (drops everything)",
        ),
        (
            replace(ALLOW_LIST, stateless_default_actions=("aws:pass",)),
            None,
            Status.WARN,
            "all traffic leaves uninspected",
        ),
        (
            replace(ALLOW_LIST, stateful_default_actions=(), stateful_rule_groups=()),
            None,
            Status.WARN,
            "no rule groups and no default drop: everything passes",
        ),
        (
            FirewallPolicy("arn:p", stateless_default_actions=("aws:drop",)),
            None,
            Status.PASS,
            "drops all traffic by default",
        ),
        (None, DENIED_POLICY, Status.UNKNOWN, "its policy could not be read"),
    ],
)
def test_firewall_behind_the_nat_gateway_is_judged_by_its_policy(
    policy: FirewallPolicy | None, error: FetchError | None, status: Status, says: str
) -> None:
    """In the route is not enough: a policy that passes everything filters nothing."""
    ec2 = Ec2Snapshot(
        vpcs=(Vpc("vpc-a", f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-a", (), False),),
        subnets=(subnet("s-fn"), subnet("s-nat")),
        route_tables=(
            table("rtb-fn", "vpc-a", default("nat-1"), subnets=("s-fn",)),
            table("rtb-nat", "vpc-a", default("vpce-fw"), subnets=("s-nat",)),
        ),
        nat_gateways=(NatGateway("nat-1", "vpc-a", "s-nat", "available", "public"),),
    )
    firewall = Firewall(
        "edge-fw",
        "arn:fw",
        "vpc-a",
        endpoints=(FirewallEndpoint("us-east-1a", "s-fw", "vpce-fw", "READY"),),
        policy=policy,
        policy_error=error,
    )
    inv = inventory(
        [fn("orders", "s-fn")],
        ec2,
        NetworkFirewallSnapshot(firewalls=(firewall,)),
        DnsFirewallSnapshot(listing_error=DENIED),
    )
    (only,) = egress_filtering(inv, CheckConfig())
    assert only.status is status
    assert "passes Network Firewall edge-fw: its policy" in only.summary
    assert says in only.summary
    (verdict,) = only.details["firewall_policies"].values()
    assert says in verdict
    assert only.resource_arn == f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-a"


def test_security_group_edge_cases() -> None:
    any_port = SgRule("tcp", 0, 65535, ("0.0.0.0/0",), (), ())
    narrow = SgRule("tcp", 443, 443, (), ("pl-63a5400a",), ("sg-db",))
    ec2 = Ec2Snapshot(
        subnets=(subnet("s-1"),),
        route_tables=(table("rtb", "vpc-a", main=True),),
        security_groups=(
            SecurityGroup("sg-wide", "arn:sg-wide", "wide", "vpc-a", (any_port,), ()),
            SecurityGroup("sg-narrow", "arn:sg-narrow", "narrow", "vpc-a", (narrow,), ()),
        ),
    )
    functions = [fn("a", "s-1", groups=("sg-wide", "sg-narrow", "sg-gone"))]
    found = {
        e.resource_arn.rsplit("/", 1)[-1]: e
        for e in function_sg_egress(inventory(functions, ec2), CheckConfig())
    }
    assert found["arn:sg-wide"].status is Status.WARN
    assert "tcp 0-65535 to 0.0.0.0/0" in found["arn:sg-wide"].summary
    assert found["arn:sg-narrow"].status is Status.PASS
    assert "tcp 443 to pl-63a5400a, sg-db" in found["arn:sg-narrow"].summary
    assert found["sg-gone"].status is Status.UNKNOWN
    denied = Ec2Snapshot(
        subnets=ec2.subnets, route_tables=ec2.route_tables, security_groups_error=DENIED
    )
    (only,) = function_sg_egress(inventory(functions, denied), CheckConfig())
    assert only.status is Status.UNKNOWN and only.resource_arn == ""


def test_isolated_vpc_endpoint_gaps() -> None:
    gateway = VpcEndpoint(
        "vpce-s3",
        "vpc-a",
        f"com.amazonaws.{REGION}.s3",
        "Gateway",
        "available",
        False,
        ("rtb-other",),
        (),
        None,
    )
    no_dns = VpcEndpoint(
        "vpce-sqs",
        "vpc-a",
        f"com.amazonaws.{REGION}.sqs",
        "Interface",
        "available",
        False,
        (),
        ("s-1",),
        None,
    )
    ec2 = Ec2Snapshot(
        subnets=(subnet("s-1"),),
        route_tables=(table("rtb-fn", "vpc-a", subnets=("s-1",)),),
        endpoints=(gateway, no_dns),
    )
    (only,) = endpoints_for_services(inventory([fn("a", "s-1")], ec2), CheckConfig())
    assert only.status is Status.WARN
    assert only.details["problems"] == [
        "the s3 gateway endpoint is not on route table(s) rtb-fn",
        "no dynamodb gateway endpoint",
        "vpce-sqs (sqs) has private DNS off, so SDK calls to the regional name do not use it",
    ]
    failed = Ec2Snapshot(subnets=ec2.subnets, route_tables=ec2.route_tables, endpoints_error=DENIED)
    (unknown,) = endpoints_for_services(inventory([fn("a", "s-1")], failed), CheckConfig())
    assert unknown.status is Status.UNKNOWN


def test_ec2_listing_error_makes_the_region_unknown() -> None:
    broken = Ec2Snapshot(listing_error=DENIED)
    for check in (subnets_private, egress_path, egress_filtering, endpoints_for_services):
        (only,) = check(inventory([fn("a", "s-1")], broken), CheckConfig())
        assert only.status is Status.UNKNOWN and only.resource_arn == ""
        assert (
            only.summary
            == "Could not check the VPC network of Lambda functions: UnauthorizedOperation"
        )


def test_vpc_level_checks_report_functions_whose_vpc_is_unknown() -> None:
    ec2 = Ec2Snapshot(subnets=(subnet("s-1"),), route_tables=(table("rtb", "vpc-a", main=True),))
    inv = inventory([fn("lost", "subnet-gone")], ec2, NetworkFirewallSnapshot())
    for check in (endpoints_for_services, flow_logs, egress_filtering, function_subnet_nacl):
        (only,) = check(inv, CheckConfig())
        assert only.status is Status.UNKNOWN and only.resource_arn.endswith(":function:lost")
