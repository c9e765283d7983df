"""Route 53 Resolver DNS Firewall: rule group associations per VPC and fail-open settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class DnsFirewallAssociation:
    id: str
    name: str
    vpc_id: str
    rule_group_id: str
    status: str  # COMPLETE | CREATING | UPDATING | DELETING
    priority: int
    mutation_protection: str  # ENABLED | DISABLED


@dataclass(frozen=True, slots=True)
class DnsFirewallConfig:
    """One VPC's FirewallFailOpen: whether queries pass when the firewall cannot answer.

    From ListFirewallConfigs; a VPC without a configuration of its own has AWS's default,
    DISABLED (fail closed).
    """

    vpc_id: str
    fail_open: str = ""  # ENABLED | DISABLED | USE_LOCAL_RESOURCE_SETTING
    error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class DnsFirewallSnapshot:
    """`listing_error` is set when the associations could not be listed (moto lacks the API)."""

    service: ClassVar[str] = "route53resolver"
    associations: tuple[DnsFirewallAssociation, ...] = ()
    configs: tuple[DnsFirewallConfig, ...] = ()  # one per associated VPC
    listing_error: FetchError | None = None
