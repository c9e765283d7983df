"""AWS Organizations: whether the account is in an organization, and its service control policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError

FULL_AWS_ACCESS = "p-FullAWSAccess"


@dataclass(frozen=True, slots=True)
class Scp:
    """One service control policy, its JSON text and the roots, OUs and accounts it is attached to."""

    id: str
    name: str
    arn: str
    document: str  # "" when it could not be read (see `error`)
    targets: tuple[str, ...]  # target ids: r-…, ou-…, or 12-digit account ids
    target_names: tuple[str, ...] = ()  # the same targets, by name, for summaries
    aws_managed: bool = False
    error: FetchError | None = None  # DescribePolicy or ListTargetsForPolicy failed

    @property
    def is_full_access(self) -> bool:
        """AWS's default allow-all SCP: attached everywhere, it restricts nothing."""
        return self.id == FULL_AWS_ACCESS or (self.aws_managed and self.name == "FullAWSAccess")


@dataclass(frozen=True, slots=True)
class OrganizationsSnapshot:
    service: ClassVar[str] = "organizations"
    org_id: str | None = None
    management_account: str | None = None
    in_organization: bool = False
    scps: tuple[Scp, ...] = ()
    # DescribeOrganization failed (not "not in an organization", which is a fact).
    listing_error: FetchError | None = None
    # ListPolicies failed: typically AccessDenied outside the management or delegated-admin account.
    scp_error: FetchError | None = None
    org_arn: str | None = None
    feature_set: str = ""  # ALL, or CONSOLIDATED_BILLING (which has no SCPs)
