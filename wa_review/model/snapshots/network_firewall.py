"""AWS Network Firewall: firewalls, their endpoints per AZ, and their policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class FirewallEndpoint:
    """The firewall endpoint in one AZ (from FirewallStatus.SyncStates): routes point at it."""

    availability_zone: str
    subnet_id: str
    endpoint_id: str  # vpce-…
    status: str  # READY | CREATING | …


@dataclass(frozen=True, slots=True)
class FirewallPolicy:
    arn: str
    stateless_default_actions: tuple[str, ...] = ()  # e.g. aws:forward_to_sfe, aws:drop
    stateless_fragment_default_actions: tuple[str, ...] = ()
    stateful_default_actions: tuple[str, ...] = ()  # e.g. aws:drop_strict
    stateless_rule_groups: tuple[str, ...] = ()
    stateful_rule_groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Firewall:
    name: str
    arn: str
    vpc_id: str = ""
    policy_arn: str = ""
    subnet_ids: tuple[str, ...] = ()
    endpoints: tuple[FirewallEndpoint, ...] = ()
    status: str = ""
    policy: FirewallPolicy | None = None
    policy_error: FetchError | None = None  # describe_firewall_policy failed (moto lacks it)
    error: FetchError | None = None  # describe_firewall failed: endpoints unknown


@dataclass(frozen=True, slots=True)
class NetworkFirewallSnapshot:
    service: ClassVar[str] = "network-firewall"
    firewalls: tuple[Firewall, ...] = ()
    listing_error: FetchError | None = None
