"""Which functions' networks are judged in a region, and the lookups the network checks share.

A pure helper for the network checks (no check is registered here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.routing import NetIndex
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import AccountInventory
from wa_review.model.snapshots.dns_firewall import DnsFirewallSnapshot
from wa_review.model.snapshots.ec2 import Ec2Snapshot, Vpc
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot
from wa_review.model.snapshots.network_firewall import NetworkFirewallSnapshot


def not_collected(service: str, operation: str, region: str, account: str) -> FetchError:
    """What a check records when a snapshot it needs was never collected (collector not run)."""
    return FetchError(
        service=service,
        operation=operation,
        code="NotCollected",
        message=f"the {service} collector did not run for this region",
        region=region,
        account=account,
    )


@dataclass(frozen=True, slots=True)
class RegionNetwork:
    """The in-scope VPC functions of one region, with the network they run in."""

    region: str
    account: str
    functions: tuple[LambdaFunction, ...]
    ec2: Ec2Snapshot
    index: NetIndex
    dns: DnsFirewallSnapshot | None

    @property
    def resolved(self) -> list[LambdaFunction]:
        """Functions with at least one subnet that EC2 knows (their VPC can be derived)."""
        return [f for f in self.functions if self.index.vpc_of(f.subnet_ids) is not None]

    def by_vpc(self) -> dict[str, list[LambdaFunction]]:
        grouped: dict[str, list[LambdaFunction]] = {}
        for fn in self.functions:
            vpc = self.index.vpc_of(fn.subnet_ids)
            if vpc is not None:
                grouped.setdefault(vpc, []).append(fn)
        return dict(sorted(grouped.items()))

    def vpc(self, vpc_id: str) -> Vpc:
        found = next((v for v in self.ec2.vpcs if v.id == vpc_id), None)
        if found is not None:
            return found
        return Vpc(vpc_id, f"arn:aws:ec2:{self.region}:{self.account}:vpc/{vpc_id}", (), False)

    def known_subnets(self, fn: LambdaFunction) -> list[str]:
        return [s for s in fn.subnet_ids if s in self.index.subnets]

    def subnet_users(self) -> dict[str, list[LambdaFunction]]:
        """Function subnets (that EC2 knows) and the functions attached to each."""
        users: dict[str, list[LambdaFunction]] = {}
        for fn in self.functions:
            for subnet in self.known_subnets(fn):
                users.setdefault(subnet, []).append(fn)
        return dict(sorted(users.items()))

    def subnet_arn(self, subnet_id: str) -> str:
        subnet = self.index.subnets.get(subnet_id)
        if subnet is not None:
            return subnet.arn
        return f"arn:aws:ec2:{self.region}:{self.account}:subnet/{subnet_id}"


def names(functions: list[LambdaFunction]) -> str:
    return ", ".join(sorted({f.name for f in functions}))


def unresolved_function(emit: Emitter, net: RegionNetwork, fn: LambdaFunction) -> Evidence:
    """A function none of whose subnets EC2 reports: its network cannot be judged."""
    return emit(
        Status.UNKNOWN,
        fn.arn,
        net.region,
        f"{fn.name}: its subnets {', '.join(fn.subnet_ids)} are not in describe_subnets "
        "(deleted, or in another account), so its network cannot be judged",
        subnets=list(fn.subnet_ids),
    )


def unresolved_functions(emit: Emitter, net: RegionNetwork) -> Iterator[Evidence]:
    """UNKNOWN for each function whose VPC cannot be derived (VPC-level checks skip them)."""
    for fn in net.functions:
        if net.index.vpc_of(fn.subnet_ids) is None:
            yield unresolved_function(emit, net, fn)


# An EC2 section a check depends on (its error field) and how to name it when unreadable.
Needs = tuple[Callable[[Ec2Snapshot], "FetchError | None"], str]


def vpc_networks(
    inv: AccountInventory,
    emit: Emitter,
    *,
    needs: Needs | None = None,
    what: str = "Lambda functions attached to a VPC",
) -> Iterator[Evidence | RegionNetwork]:
    """Per region: evidence that ends the region (unknown, not applicable) or its network."""
    for region, lam in inv.each(LambdaSnapshot):
        functions = tuple(f for f in lam.functions if f.in_scope and f.in_vpc)
        if lam.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, lam.listing_error, "Lambda functions", listed=len(lam.functions)
            )
            if not functions:
                continue
        elif not functions:
            yield emit.not_applicable(region, what)
            continue
        ec2 = inv.get(region, Ec2Snapshot)
        if ec2 is None:
            error = not_collected("ec2", "DescribeSubnets", region, inv.account)
            yield emit.unknown("", region, error, "the VPC network of Lambda functions")
            continue
        if ec2.listing_error is not None:
            yield emit.unknown("", region, ec2.listing_error, "the VPC network of Lambda functions")
            continue
        section_error = needs[0](ec2) if needs is not None else None
        if needs is not None and section_error is not None:
            yield emit.unknown("", region, section_error, needs[1])
            continue
        firewalls = inv.get(region, NetworkFirewallSnapshot)
        yield RegionNetwork(
            region=region,
            account=inv.account,
            functions=functions,
            ec2=ec2,
            index=NetIndex.build(ec2, firewalls),
            dns=inv.get(region, DnsFirewallSnapshot),
        )
