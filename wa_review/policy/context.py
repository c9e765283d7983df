"""What the judge needs to know about the resource that owns the policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RESOURCE_TYPES: tuple[str, ...] = (
    "lambda",
    "apigateway",
    "sqs",
    "sns",
    "s3",
    "dynamodb",
    "events",
    "layer",
    "generic",
)

ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """The owner of the policy and who counts as "us".

    Attributes:
        account_id: the 12-digit account that owns the resource.
        resource_type: one of RESOURCE_TYPES; picks the table of action groups.
        resource_arn: the resource's ARN, when known (used to read `execute-api:/` shorthands).
        org_id: the owner's organization id, when known; an org condition naming another
            organization is then cross-account rather than org-only.
        trusted_accounts: accounts the reviewer treats like the owner (for example a shared
            services account); access granted to them is `account_only`.
    """

    account_id: str
    resource_type: str = "generic"
    resource_arn: str = ""
    org_id: str | None = None
    trusted_accounts: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not ACCOUNT_ID.match(self.account_id):
            raise ValueError(f"account_id must be 12 digits, got {self.account_id!r}")
        if self.resource_type not in RESOURCE_TYPES:
            raise ValueError(
                f"resource_type must be one of {', '.join(RESOURCE_TYPES)}, "
                f"got {self.resource_type!r}"
            )
        # Accept any iterable of ids but keep the frozen set the type promises.
        object.__setattr__(self, "trusted_accounts", frozenset(self.trusted_accounts))

    def is_ours(self, account: str) -> bool:
        """The owner or an account the reviewer trusts like the owner."""
        return account == self.account_id or account in self.trusted_accounts

    def ours_label(self, account: str) -> str:
        return "this account" if account == self.account_id else f"trusted account {account}"
