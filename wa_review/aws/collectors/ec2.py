"""EC2/VPC collector: every VPC of the region with its routes, gateways, filters and flow logs.

The network of an in-scope function is judged even when its VPC is outside the workload
scope, and the function's VPC is derived from its subnets (Lambda's VpcId is unreliable),
so this collector reads the whole region: the describe calls are cheap and paginated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.ec2 import (
    Ec2Snapshot,
    FlowLog,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
    VpcEndpoint,
)

# Route fields that name a target, in the order AWS documents them.
_ROUTE_TARGETS = (
    "GatewayId",
    "NatGatewayId",
    "EgressOnlyInternetGatewayId",
    "VpcEndpointId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
)


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class Ec2Collector(Collector[Ec2Snapshot]):
    service: ClassVar[str] = "ec2"
    snapshot_type: ClassVar[type[Ec2Snapshot]] = Ec2Snapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNatGateways",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeFlowLogs",
    )

    def collect(self, api: RegionApi) -> Ec2Snapshot:
        arn = f"arn:{partition_of(api.region)}:ec2:{api.region}:"
        sections: list[tuple[str, str, Callable[[dict[str, Any]], Any]]] = [
            ("describe_vpcs", "Vpcs", lambda r: _vpc(r, arn, api.account_id)),
            ("describe_subnets", "Subnets", lambda r: _subnet(r, arn, api.account_id)),
            ("describe_route_tables", "RouteTables", _route_table),
            ("describe_nat_gateways", "NatGateways", _nat),
            ("describe_security_groups", "SecurityGroups", lambda r: _sg(r, arn, api.account_id)),
            ("describe_network_acls", "NetworkAcls", _nacl),
            ("describe_vpc_endpoints", "VpcEndpoints", _endpoint),
            ("describe_flow_logs", "FlowLogs", _flow_log),
        ]
        read = api.fan_out(lambda s: _section(api, *s), sections)
        found = {op: items for (op, _, _), (items, _) in zip(sections, read, strict=True)}
        errors = {op: err for (op, _, _), (_, err) in zip(sections, read, strict=True)}
        core = (
            errors["describe_vpcs"] or errors["describe_subnets"] or errors["describe_route_tables"]
        )
        return Ec2Snapshot(
            vpcs=tuple(found["describe_vpcs"]),
            subnets=tuple(found["describe_subnets"]),
            route_tables=tuple(found["describe_route_tables"]),
            nat_gateways=tuple(found["describe_nat_gateways"]),
            security_groups=tuple(found["describe_security_groups"]),
            network_acls=tuple(found["describe_network_acls"]),
            endpoints=tuple(found["describe_vpc_endpoints"]),
            flow_logs=tuple(found["describe_flow_logs"]),
            listing_error=core,
            nat_gateways_error=errors["describe_nat_gateways"],
            security_groups_error=errors["describe_security_groups"],
            network_acls_error=errors["describe_network_acls"],
            endpoints_error=errors["describe_vpc_endpoints"],
            flow_logs_error=errors["describe_flow_logs"],
        )


def _section(
    api: RegionApi, operation: str, key: str, build: Callable[[dict[str, Any]], Any]
) -> tuple[list[Any], FetchError | None]:
    try:
        raw = api.paginate("ec2", operation, key)
    except CallFailed as failed:
        return [], failed.error
    return [build(item) for item in raw], None


def _vpc(raw: dict[str, Any], arn: str, account: str) -> Vpc:
    cidrs = [str(c["CidrBlock"]) for c in raw.get("CidrBlockAssociationSet") or ()]
    if not cidrs and raw.get("CidrBlock"):
        cidrs = [str(raw["CidrBlock"])]
    cidrs += [str(c["Ipv6CidrBlock"]) for c in raw.get("Ipv6CidrBlockAssociationSet") or ()]
    vpc_id = str(raw["VpcId"])
    owner = str(raw.get("OwnerId") or account)
    return Vpc(vpc_id, f"{arn}{owner}:vpc/{vpc_id}", tuple(cidrs), bool(raw.get("IsDefault")))


def _subnet(raw: dict[str, Any], arn: str, account: str) -> Subnet:
    subnet_id = str(raw["SubnetId"])
    owner = str(raw.get("OwnerId") or account)
    return Subnet(
        id=subnet_id,
        arn=str(raw.get("SubnetArn") or f"{arn}{owner}:subnet/{subnet_id}"),
        vpc_id=str(raw["VpcId"]),
        availability_zone=str(raw.get("AvailabilityZone", "")),
        cidr=str(raw.get("CidrBlock", "")),
        map_public_ip=bool(raw.get("MapPublicIpOnLaunch")),
    )


def _route(raw: dict[str, Any]) -> Route:
    destination = (
        raw.get("DestinationCidrBlock")
        or raw.get("DestinationIpv6CidrBlock")
        or raw.get("DestinationPrefixListId")
        or ""
    )
    target = next((str(raw[k]) for k in _ROUTE_TARGETS if raw.get(k)), "")
    return Route(str(destination), target, str(raw.get("State", "active")))


def _route_table(raw: dict[str, Any]) -> RouteTable:
    associations = [
        a
        for a in raw.get("Associations") or ()
        if (a.get("AssociationState") or {}).get("State", "associated") == "associated"
    ]
    return RouteTable(
        id=str(raw["RouteTableId"]),
        vpc_id=str(raw["VpcId"]),
        main=any(a.get("Main") for a in associations),
        subnet_ids=tuple(str(a["SubnetId"]) for a in associations if a.get("SubnetId")),
        routes=tuple(_route(r) for r in raw.get("Routes") or ()),
    )


def _nat(raw: dict[str, Any]) -> NatGateway:
    return NatGateway(
        id=str(raw["NatGatewayId"]),
        vpc_id=str(raw.get("VpcId", "")),
        subnet_id=str(raw.get("SubnetId", "")),
        state=str(raw.get("State", "")),
        connectivity=str(raw.get("ConnectivityType") or "public"),
    )


def _sg_rules(raw: list[dict[str, Any]]) -> tuple[SgRule, ...]:
    rules = []
    for perm in raw:
        cidrs = [str(r["CidrIp"]) for r in perm.get("IpRanges") or ()]
        cidrs += [str(r["CidrIpv6"]) for r in perm.get("Ipv6Ranges") or ()]
        rules.append(
            SgRule(
                protocol=str(perm.get("IpProtocol", "-1")),
                from_port=perm.get("FromPort"),
                to_port=perm.get("ToPort"),
                cidrs=tuple(cidrs),
                prefix_lists=tuple(str(p["PrefixListId"]) for p in perm.get("PrefixListIds") or ()),
                groups=tuple(str(g["GroupId"]) for g in perm.get("UserIdGroupPairs") or ()),
            )
        )
    return tuple(rules)


def _sg(raw: dict[str, Any], arn: str, account: str) -> SecurityGroup:
    group_id = str(raw["GroupId"])
    owner = str(raw.get("OwnerId") or account)
    return SecurityGroup(
        id=group_id,
        arn=str(raw.get("SecurityGroupArn") or f"{arn}{owner}:security-group/{group_id}"),
        name=str(raw.get("GroupName", "")),
        vpc_id=str(raw.get("VpcId", "")),
        egress=_sg_rules(raw.get("IpPermissionsEgress") or []),
        ingress=_sg_rules(raw.get("IpPermissions") or []),
    )


def _nacl(raw: dict[str, Any]) -> NetworkAcl:
    entries = []
    for entry in raw.get("Entries") or ():
        ports = entry.get("PortRange") or {}
        entries.append(
            NaclEntry(
                rule_number=int(entry["RuleNumber"]),
                protocol=str(entry.get("Protocol", "-1")),
                action=str(entry.get("RuleAction", "")),
                egress=bool(entry.get("Egress")),
                cidr=str(entry.get("CidrBlock") or entry.get("Ipv6CidrBlock") or ""),
                port_from=ports.get("From"),
                port_to=ports.get("To"),
            )
        )
    return NetworkAcl(
        id=str(raw["NetworkAclId"]),
        vpc_id=str(raw["VpcId"]),
        is_default=bool(raw.get("IsDefault")),
        subnet_ids=tuple(
            str(a["SubnetId"]) for a in raw.get("Associations") or () if a.get("SubnetId")
        ),
        entries=tuple(entries),
    )


def _endpoint(raw: dict[str, Any]) -> VpcEndpoint:
    policy = raw.get("PolicyDocument")
    return VpcEndpoint(
        id=str(raw["VpcEndpointId"]),
        vpc_id=str(raw.get("VpcId", "")),
        service_name=str(raw.get("ServiceName", "")),
        type=str(raw.get("VpcEndpointType", "")),
        state=str(raw.get("State", "")).lower(),
        private_dns=bool(raw.get("PrivateDnsEnabled")),
        route_table_ids=tuple(str(r) for r in raw.get("RouteTableIds") or ()),
        subnet_ids=tuple(str(s) for s in raw.get("SubnetIds") or ()),
        policy=str(policy) if policy else None,
    )


def _flow_log(raw: dict[str, Any]) -> FlowLog:
    destination_type = str(raw.get("LogDestinationType") or "cloud-watch-logs")
    destination = str(raw.get("LogDestination") or raw.get("LogGroupName") or "")
    return FlowLog(
        id=str(raw["FlowLogId"]),
        resource_id=str(raw.get("ResourceId", "")),
        status=str(raw.get("FlowLogStatus", "")),
        deliver_status=str(raw.get("DeliverLogsStatus", "")),
        deliver_error=str(raw.get("DeliverLogsErrorMessage", "")),
        destination_type=destination_type,
        destination=destination,
        traffic_type=str(raw.get("TrafficType", "")),
    )
