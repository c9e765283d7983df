"""AWS Organizations: whether the account is in an organization, where in it, and its SCPs."""

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
    # The account and its parents up to the root (ListParents): ("1234…", "ou-…", …, "r-…").
    # Partial, or empty, when ListParents failed: see `ancestry_error`.
    ancestry: tuple[str, ...] = ()
    # The same ids labelled for summaries ("OU Workloads (ou-…)"), named where an SCP's targets
    # named them (FullAWSAccess is usually attached everywhere), else by kind and id.
    ancestry_names: tuple[str, ...] = ()
    # ListParents failed: like ListPolicies, only the management account or a delegated
    # administrator may call it.
    ancestry_error: FetchError | None = None

    @property
    def ancestry_complete(self) -> bool:
        """The chain was read all the way up to the root."""
        return (
            self.ancestry_error is None
            and len(self.ancestry) > 1
            and self.ancestry[-1].startswith("r-")
        )

    def applies_to(self, scp: Scp, account: str) -> bool | None:
        """Whether `scp` bounds `account`: attached to it, to an OU above it, or to the root.

        None when that cannot be told: the account's chain of parents was not (fully) read, or
        was read for another account. Attachment to the account itself, or to a parent that was
        read, is known either way. (The management account is never bound; callers check that.)
        """
        if account in scp.targets:
            return True
        if not self.ancestry or self.ancestry[0] != account:
            return None
        if any(target in self.ancestry[1:] for target in scp.targets):
            return True
        return False if self.ancestry_complete else None

    def where_attached(self, scp: Scp, account: str) -> str:
        """Where `scp` is attached and whether that reaches `account`, for both checks' summaries."""
        where = ", ".join(scp.target_names or scp.targets) or "nothing"
        applies = self.applies_to(scp, account)
        if applies:
            return f"attached to {where}, which covers this account"
        if applies is False:
            which = "which does not contain" if len(scp.targets) == 1 else "none of which contains"
            return f"attached to {where}, {which} this account"
        return f"attached to {where}; could not confirm that covers this account ({self.why_unknown()})"

    def why_unknown(self) -> str:
        """Why `applies_to` may answer None: what stopped the chain of parents short."""
        if self.ancestry_error is not None:
            return self.ancestry_error.reason()
        return "the account's parents in the organization were not read"

    def ancestry_line(self) -> str:
        """The account's parents, nearest first: "OU Prod (ou-…) → root Root (r-…)"."""
        return " → ".join((self.ancestry_names or self.ancestry)[1:])
