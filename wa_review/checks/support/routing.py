"""Where a function subnet's traffic goes: route table resolution and egress classification.

A pure helper for the network checks (no check is registered here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.ec2 import Ec2Snapshot, NatGateway, Route, RouteTable, Subnet
from wa_review.model.snapshots.network_firewall import Firewall, NetworkFirewallSnapshot


class PathKind(StrEnum):
    """The way out of a subnet, judged from its default route (0.0.0.0/0, else ::/0)."""

    IGW = "internet gateway"  # a public subnet
    NAT = "NAT gateway"
    FIREWALL = "Network Firewall"
    INSPECTION = "Gateway Load Balancer endpoint"
    EGRESS_ONLY = "egress-only internet gateway"  # IPv6 only
    TRANSIT = "another network"  # transit gateway, peering, VPN, an instance or ENI
    BROKEN = "broken route"  # blackhole, or a NAT gateway that is not available
    NONE = "no default route"  # isolated: only local routes and VPC endpoints
    UNRESOLVED = "unresolved"  # the data needed to follow the route could not be read

    @property
    def has_egress(self) -> bool:
        return self not in (PathKind.NONE, PathKind.BROKEN, PathKind.UNRESOLVED)


@dataclass(frozen=True, slots=True)
class SubnetPath:
    """The egress of one subnet, with the deciding route for the evidence details."""

    subnet_id: str
    route_table_id: str
    main_table: bool  # the VPC's main table applies (no explicit association)
    kind: PathKind
    route: Route | None
    detail: str
    firewall: str = ""  # Network Firewall name, when egress passes one (directly or after NAT)
    error: FetchError | None = None

    @property
    def text(self) -> str:
        return f"{self.subnet_id} {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "subnet": self.subnet_id,
            "route_table": self.route_table_id,
            "main_table": self.main_table,
            "path": self.kind.value,
            "route": None
            if self.route is None
            else {
                "destination": self.route.destination,
                "target": self.route.target,
                "state": self.route.state,
            },
            "firewall": self.firewall,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class NetIndex:
    """Lookups over one region's EC2 (and Network Firewall) snapshot."""

    ec2: Ec2Snapshot
    firewalls: NetworkFirewallSnapshot | None
    subnets: dict[str, Subnet] = field(default_factory=dict)
    explicit: dict[str, RouteTable] = field(default_factory=dict)
    main: dict[str, RouteTable] = field(default_factory=dict)
    nats: dict[str, NatGateway] = field(default_factory=dict)
    fw_endpoints: dict[str, Firewall] = field(default_factory=dict)

    @classmethod
    def build(cls, ec2: Ec2Snapshot, firewalls: NetworkFirewallSnapshot | None) -> NetIndex:
        return cls(
            ec2,
            firewalls,
            subnets={s.id: s for s in ec2.subnets},
            explicit={sid: rt for rt in ec2.route_tables for sid in rt.subnet_ids},
            # Keyed by VPC: the fallback is the main table of the subnet's *own* VPC.
            main={rt.vpc_id: rt for rt in ec2.route_tables if rt.main},
            nats={n.id: n for n in ec2.nat_gateways},
            fw_endpoints={
                e.endpoint_id: fw
                for fw in (firewalls.firewalls if firewalls is not None else ())
                for e in fw.endpoints
            },
        )

    def vpc_of(self, subnet_ids: tuple[str, ...]) -> str | None:
        """The VPC of a function, from its subnets (Lambda's own VpcId is not trusted)."""
        for subnet_id in subnet_ids:
            subnet = self.subnets.get(subnet_id)
            if subnet is not None:
                return subnet.vpc_id
        return None

    def route_table(self, subnet_id: str) -> tuple[RouteTable | None, bool]:
        """(table, is_main): the explicit association, else the main table of the same VPC."""
        explicit = self.explicit.get(subnet_id)
        if explicit is not None:
            return explicit, False
        subnet = self.subnets.get(subnet_id)
        if subnet is None:
            return None, False
        return self.main.get(subnet.vpc_id), True

    def path(self, subnet_id: str) -> SubnetPath:
        table, main = self.route_table(subnet_id)
        if table is None:
            return SubnetPath(subnet_id, "", False, PathKind.UNRESOLVED, None, "has no route table")
        where = f"({table.id}, main table)" if main else f"({table.id})"
        if not any(r.is_default for r in table.routes):
            where = f"in {table.id}, the main table" if main else f"in {table.id}"
        defaults = [r for r in table.routes if r.is_default]
        public = [r for r in defaults if r.target.startswith("igw-") and r.state == "active"]
        # A route to an internet gateway makes the subnet public whatever else it has.
        chosen = public[0] if public else _prefer_ipv4(defaults)
        if chosen is None:
            return SubnetPath(
                subnet_id, table.id, main, PathKind.NONE, None, f"has no default route {where}"
            )
        kind, note, firewall, error = self._classify(chosen)
        detail = f"routes {chosen.destination} to {chosen.target} {where}"
        return SubnetPath(
            subnet_id,
            table.id,
            main,
            kind,
            chosen,
            f"{detail}: {note}" if note else detail,
            firewall,
            error,
        )

    def _classify(self, route: Route) -> tuple[PathKind, str, str, FetchError | None]:
        target = route.target
        if route.state != "active":
            return PathKind.BROKEN, f"the route is {route.state}", "", None
        if target.startswith("igw-"):
            return PathKind.IGW, "", "", None
        if target.startswith("eigw-"):
            return PathKind.EGRESS_ONLY, "", "", None
        if target.startswith("nat-"):
            return self._nat(target)
        if target.startswith("vpce-"):
            return self._endpoint(target)
        return PathKind.TRANSIT, "traffic leaves this VPC", "", None

    def _nat(self, nat_id: str) -> tuple[PathKind, str, str, FetchError | None]:
        nat = self.nats.get(nat_id)
        if nat is None:
            if self.ec2.nat_gateways_error is not None:
                return (
                    PathKind.UNRESOLVED,
                    "NAT gateways could not be read",
                    "",
                    (self.ec2.nat_gateways_error),
                )
            return PathKind.BROKEN, "no such NAT gateway", "", None
        if nat.state != "available":
            return PathKind.BROKEN, f"the NAT gateway is {nat.state}", "", None
        if nat.connectivity == "private":
            return PathKind.TRANSIT, "a private NAT gateway (no internet)", "", None
        firewall = self._firewall_after(nat.subnet_id)
        detail = f"NAT in {nat.subnet_id}"
        if firewall:
            detail += f", then Network Firewall {firewall}"
        return PathKind.NAT, detail, firewall, None

    def _endpoint(self, endpoint_id: str) -> tuple[PathKind, str, str, FetchError | None]:
        firewall = self.fw_endpoints.get(endpoint_id)
        if firewall is not None:
            return PathKind.FIREWALL, f"Network Firewall {firewall.name}", firewall.name, None
        known = next((e for e in self.ec2.endpoints if e.id == endpoint_id), None)
        if known is not None and known.type == "GatewayLoadBalancer":
            return (
                PathKind.INSPECTION,
                f"Gateway Load Balancer endpoint ({known.service_name})",
                "",
                None,
            )
        error = self.firewalls.listing_error if self.firewalls is not None else None
        if error is not None:
            return PathKind.UNRESOLVED, "Network Firewall endpoints could not be read", "", error
        return PathKind.TRANSIT, "an endpoint that is no Network Firewall of this region", "", None

    def _firewall_after(self, subnet_id: str) -> str:
        """The Network Firewall a NAT gateway's own subnet sends its traffic through, if any."""
        table, _ = self.route_table(subnet_id)
        if table is None:
            return ""
        for route in table.routes:
            if route.is_default and route.state == "active":
                firewall = self.fw_endpoints.get(route.target)
                if firewall is not None:
                    return firewall.name
        return ""


def grouped(paths: list[SubnetPath]) -> list[tuple[list[SubnetPath], str]]:
    """Subnets that share a path, with one sentence for them all (keeps summaries short)."""
    groups: dict[tuple[PathKind, str], list[SubnetPath]] = {}
    for path in paths:
        groups.setdefault((path.kind, path.detail), []).append(path)
    out = []
    for (_, detail), members in groups.items():
        subnets = ", ".join(p.subnet_id for p in members)
        out.append((members, f"{subnets} {'each ' if len(members) > 1 else ''}{detail}"))
    return out


def _prefer_ipv4(routes: list[Route]) -> Route | None:
    for route in routes:
        if route.destination == "0.0.0.0/0":
            return route
    return routes[0] if routes else None
