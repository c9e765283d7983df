"""Route 53 Resolver DNS Firewall: rule group associations per VPC, fail-open settings, rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError

# ManagedOwnerName of the domain lists AWS maintains (AWSManagedDomainsMalwareDomainList…).
AWS_MANAGED_OWNER = "Route 53 Resolver DNS Firewall"


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
class DnsFirewallRule:
    """One rule of a rule group (ListFirewallRules); the lowest priority number is evaluated first.

    A rule matches either a domain list or, for DNS Firewall Advanced, a threat
    (`threat_protection`: DGA, DNS_TUNNELING…).
    """

    name: str
    priority: int
    action: str  # ALLOW | BLOCK | ALERT
    domain_list_id: str = ""
    block_response: str = ""  # NODATA | NXDOMAIN | OVERRIDE (BLOCK rules only)
    redirection_action: str = ""  # INSPECT_REDIRECTION_DOMAIN | TRUST_REDIRECTION_DOMAIN
    qtype: str = ""  # only queries of this type match (A, TXT…); empty: every type
    threat_protection: str = ""  # DGA | DNS_TUNNELING | DICTIONARY_DGA
    confidence: str = ""  # LOW | MEDIUM | HIGH (threat protection rules)


@dataclass(frozen=True, slots=True)
class DnsFirewallRuleGroup:
    """The rules of one associated rule group; `error` when they could not be listed."""

    id: str
    rules: tuple[DnsFirewallRule, ...] = ()
    error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class DnsFirewallDomainList:
    """A domain list's name and owner (ListFirewallDomainLists).

    `wildcard` says whether its domains include `*` (every name): read only for custom lists
    a BLOCK rule uses after ALLOW rules (the allow-list pattern); None when not read or the
    first page did not settle it.
    """

    id: str
    name: str
    managed_owner: str = ""  # AWS_MANAGED_OWNER for AWS managed lists
    wildcard: bool | None = None

    @property
    def aws_managed(self) -> bool:
        return bool(self.managed_owner)  # set only on lists you do not manage


@dataclass(frozen=True, slots=True)
class DnsFirewallSnapshot:
    """`listing_error` is set when the associations could not be listed (moto lacks the API).

    `rule_groups` holds the groups associated with a VPC (each read once), `domain_lists` the
    region's lists when some rule uses one; `domain_lists_error` when that listing failed.
    """

    service: ClassVar[str] = "route53resolver"
    associations: tuple[DnsFirewallAssociation, ...] = ()
    configs: tuple[DnsFirewallConfig, ...] = ()  # one per associated VPC
    rule_groups: tuple[DnsFirewallRuleGroup, ...] = ()
    domain_lists: tuple[DnsFirewallDomainList, ...] = ()
    domain_lists_error: FetchError | None = None
    listing_error: FetchError | None = None
