"""The airline's network: a well-built VPC, a legacy VPC with a public subnet, endpoints, flow logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class Network:
    private_subnets: tuple[str, str]
    app_sg: str
    legacy_subnet: str
    legacy_sg: str
    api_endpoint: str  # the execute-api interface endpoint the private API is reached through
    vpc_id: str


def _tag(name: str, kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def build_network(ec2: Any, logs: Any) -> Network:
    # The airline VPC: private subnets for functions, egress through a NAT in a public subnet.
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=_tag("airline-vpc", "vpc"))[
        "Vpc"
    ]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1a")[
        "Subnet"
    ]["SubnetId"]
    priv_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")[
        "Subnet"
    ]["SubnetId"]
    priv_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")[
        "Subnet"
    ]["SubnetId"]
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    for subnet in (priv_a, priv_b):
        ec2.associate_route_table(RouteTableId=private_rt, SubnetId=subnet)
    app_sg = ec2.create_security_group(
        GroupName="booking-fn", Description="booking functions", VpcId=vpc
    )["GroupId"]
    # Least-privilege egress: HTTPS only, instead of the default allow-all rule.
    ec2.revoke_security_group_egress(
        GroupId=app_sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    ec2.authorize_security_group_egress(
        GroupId=app_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/16"}],
            }
        ],
    )
    endpoint_sg = ec2.create_security_group(
        GroupName="endpoints", Description="VPC endpoints", VpcId=vpc
    )["GroupId"]
    api_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.execute-api",
        VpcEndpointType="Interface",
        SubnetIds=[priv_a, priv_b],
        SecurityGroupIds=[endpoint_sg],
        PrivateDnsEnabled=True,
    )["VpcEndpoint"]["VpcEndpointId"]
    for service in ("s3", "dynamodb"):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.{REGION}.{service}",
            VpcEndpointType="Gateway",
            RouteTableIds=[private_rt],
        )
    logs.create_log_group(logGroupName="/vpc/airline")
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName="/vpc/airline",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs",
    )

    # The legacy VPC: a payments function was dropped into a public subnet, default egress, no flow logs.
    legacy = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=_tag("legacy-vpc", "vpc"))[
        "Vpc"
    ]["VpcId"]
    legacy_igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=legacy_igw, VpcId=legacy)
    legacy_subnet = ec2.create_subnet(
        VpcId=legacy, CidrBlock="10.1.0.0/24", AvailabilityZone="us-east-1a"
    )["Subnet"]["SubnetId"]
    legacy_rt = ec2.create_route_table(VpcId=legacy)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=legacy_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=legacy_igw)
    ec2.associate_route_table(RouteTableId=legacy_rt, SubnetId=legacy_subnet)
    legacy_sg = ec2.create_security_group(
        GroupName="legacy-payments", Description="payments", VpcId=legacy
    )["GroupId"]
    return Network((priv_a, priv_b), app_sg, legacy_subnet, legacy_sg, api_endpoint, vpc)
