"""EC2/VPC: the network around Lambda functions (routes, gateways, filters, endpoints, flow logs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError

DEFAULT_ROUTES = frozenset({"0.0.0.0/0", "::/0"})


@dataclass(frozen=True, slots=True)
class Vpc:
    id: str
    arn: str  # built from owner and region: describe_vpcs returns no ARN
    cidrs: tuple[str, ...]  # IPv4 and IPv6 blocks
    is_default: bool


@dataclass(frozen=True, slots=True)
class Subnet:
    id: str
    arn: str
    vpc_id: str
    availability_zone: str
    cidr: str
    map_public_ip: bool


@dataclass(frozen=True, slots=True)
class Route:
    destination: str  # IPv4/IPv6 CIDR or prefix-list id
    target: str  # igw-…, eigw-…, nat-…, vpce-…, tgw-…, pcx-…, eni-…, local, …
    state: str  # active | blackhole

    @property
    def is_default(self) -> bool:
        return self.destination in DEFAULT_ROUTES


@dataclass(frozen=True, slots=True)
class RouteTable:
    id: str
    vpc_id: str
    main: bool
    subnet_ids: tuple[str, ...]  # explicit associations
    routes: tuple[Route, ...]


@dataclass(frozen=True, slots=True)
class NatGateway:
    id: str
    vpc_id: str
    subnet_id: str
    state: str  # pending | failed | available | deleting | deleted
    connectivity: str  # public | private (moto omits it: public)


@dataclass(frozen=True, slots=True)
class SgRule:
    """One permission of a security group; `protocol` "-1" means every protocol."""

    protocol: str
    from_port: int | None
    to_port: int | None
    cidrs: tuple[str, ...]  # IPv4 and IPv6
    prefix_lists: tuple[str, ...]
    groups: tuple[str, ...]  # referenced security group ids


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    id: str
    arn: str
    name: str
    vpc_id: str
    egress: tuple[SgRule, ...]
    ingress: tuple[SgRule, ...]


@dataclass(frozen=True, slots=True)
class NaclEntry:
    rule_number: int
    protocol: str  # "-1" = all
    action: str  # allow | deny
    egress: bool
    cidr: str  # IPv4 or IPv6 block
    port_from: int | None = None
    port_to: int | None = None


@dataclass(frozen=True, slots=True)
class NetworkAcl:
    id: str
    vpc_id: str
    is_default: bool
    subnet_ids: tuple[str, ...]
    # AWS lists the rule-32767 deny entries; moto's custom ACLs omit them: both mean "deny the rest".
    entries: tuple[NaclEntry, ...]


@dataclass(frozen=True, slots=True)
class VpcEndpoint:
    id: str
    vpc_id: str
    service_name: str  # com.amazonaws.<region>.<service>
    type: str  # Gateway | Interface | GatewayLoadBalancer
    state: str
    private_dns: bool
    route_table_ids: tuple[str, ...]
    subnet_ids: tuple[str, ...]
    policy: str | None  # the policy document as returned (JSON text)

    @property
    def short_service(self) -> str:
        """`s3` for com.amazonaws.us-east-1.s3; endpoint services (com.amazonaws.vpce.…) whole."""
        parts = self.service_name.split(".")
        if len(parts) > 3 and parts[:2] == ["com", "amazonaws"] and parts[2] != "vpce":
            return ".".join(parts[3:])
        return self.service_name


@dataclass(frozen=True, slots=True)
class FlowLog:
    id: str
    resource_id: str  # vpc-…, subnet-… or eni-…
    status: str  # ACTIVE
    deliver_status: str  # SUCCESS | FAILED | "" when unreported
    deliver_error: str
    destination_type: str  # cloud-watch-logs | s3 | kinesis-data-firehose
    destination: str  # log group name or destination ARN
    traffic_type: str  # ALL | ACCEPT | REJECT

    @property
    def destination_label(self) -> str:
        """`s3://bucket/prefix/`, `log group NAME` or the ARN, for summaries.

        AWS accepts (and returns) an S3 destination with a key prefix:
        `arn:aws:s3:::bucket/prefix/`; moto only accepts the bucket ARN.
        """
        if self.destination_type == "s3" and self.destination.startswith("arn:"):
            resource = self.destination.split(":", 5)[-1]
            bucket, _, prefix = resource.partition("/")
            return f"s3://{bucket}/{prefix}"
        if self.destination_type == "cloud-watch-logs":
            name = self.destination
            if name.startswith("arn:") and ":log-group:" in name:
                name = name.split(":log-group:", 1)[1].removesuffix(":*")
            return f"log group {name}"
        return self.destination or self.destination_type


@dataclass(frozen=True, slots=True)
class Ec2Snapshot:
    """Every VPC of the region: the network of a function is judged even when the VPC is out of scope.

    `listing_error` is set when the routing core (VPCs, subnets, route tables) could not be
    read; the other sections carry their own error and leave the rest judgeable. Internet
    gateways are not read: a default route's target id (igw-, eigw-) is all the checks use, and
    a route to a deleted or detached gateway already says so in its state ("blackhole").
    """

    service: ClassVar[str] = "ec2"
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    network_acls: tuple[NetworkAcl, ...] = ()
    endpoints: tuple[VpcEndpoint, ...] = ()
    flow_logs: tuple[FlowLog, ...] = ()
    listing_error: FetchError | None = None
    nat_gateways_error: FetchError | None = None
    security_groups_error: FetchError | None = None
    network_acls_error: FetchError | None = None
    endpoints_error: FetchError | None = None
    flow_logs_error: FetchError | None = None
