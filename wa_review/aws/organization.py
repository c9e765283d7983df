"""Organizations discovery: which accounts `--org-role` reviews, and which it skips and why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from wa_review.errors import CredentialsError

# ListAccounts reports Status ACTIVE | SUSPENDED | PENDING_CLOSURE; only active accounts can be
# signed in to (a suspended account answers every call with an error).
ACTIVE = "ACTIVE"
# Organizations nests OUs at most five levels below the root; deeper is a broken answer.
MAX_OU_DEPTH = 5


@dataclass(frozen=True, slots=True)
class OrgAccount:
    id: str
    name: str
    status: str


@dataclass(frozen=True, slots=True)
class OrgMembers:
    """The accounts of one organization (or of some of its OUs), split by what happens to them.

    `members` is every account seen, the ones reviewed or not: they all belong to the
    organization, so cross-account grants between them are not "untrusted".
    """

    org_id: str
    reviewed: tuple[OrgAccount, ...]
    suspended: tuple[OrgAccount, ...] = ()
    excluded: tuple[str, ...] = ()
    other_shards: int = 0
    members: frozenset[str] = frozenset()

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.org_id,
            "reviewed": [a.id for a in self.reviewed],
            "suspended": [a.id for a in self.suspended],
            "excluded": list(self.excluded),
            "other_shards": self.other_shards,
        }


def discover_accounts(
    orgs: Any,
    *,
    units: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    shard: tuple[int, int] | None = None,
) -> OrgMembers:
    """List the organization's accounts (or those under `units`, nested OUs included).

    `orgs` is an Organizations client of the management or a delegated-admin account.
    `shard` (K, N) keeps a stable 1/N of the accounts: the K-th by sorted account id.
    """
    try:
        org_id = str(orgs.describe_organization()["Organization"]["Id"])
        listed = list(_listed(orgs, units))
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "Error")
        raise CredentialsError(
            f"Could not list the organization's accounts: {code}.",
            hint="Run from the management account or a delegated administrator, with "
            "organizations:ListAccounts, ListAccountsForParent and "
            "ListOrganizationalUnitsForParent allowed; check each --ou id.",
        ) from err
    except BotoCoreError as err:
        raise CredentialsError(
            f"Could not reach AWS Organizations: {err}",
            hint="Check the network, --endpoint-url and --region.",
        ) from err
    unique = {a.id: a for a in listed}
    accounts = sorted(unique.values(), key=lambda a: a.id)
    active = [a for a in accounts if a.status == ACTIVE and a.id not in exclude]
    chosen = active
    if shard is not None:
        index, count = shard
        chosen = [a for n, a in enumerate(active) if n % count == index - 1]
    return OrgMembers(
        org_id=org_id,
        reviewed=tuple(chosen),
        suspended=tuple(a for a in accounts if a.status != ACTIVE),
        excluded=tuple(sorted(set(exclude) & set(unique))),
        other_shards=len(active) - len(chosen),
        members=frozenset(unique),
    )


def _listed(orgs: Any, units: tuple[str, ...]) -> Iterator[OrgAccount]:
    if not units:
        for page in orgs.get_paginator("list_accounts").paginate():
            yield from (_account(raw) for raw in page.get("Accounts") or [])
        return
    for unit in units:
        yield from _under(orgs, unit, depth=0)


def _under(orgs: Any, parent: str, *, depth: int) -> Iterator[OrgAccount]:
    for page in orgs.get_paginator("list_accounts_for_parent").paginate(ParentId=parent):
        yield from (_account(raw) for raw in page.get("Accounts") or [])
    if depth >= MAX_OU_DEPTH:
        return
    paginator = orgs.get_paginator("list_organizational_units_for_parent")
    for page in paginator.paginate(ParentId=parent):
        for child in page.get("OrganizationalUnits") or []:
            yield from _under(orgs, str(child["Id"]), depth=depth + 1)


def _account(raw: dict[str, Any]) -> OrgAccount:
    # `State` is the newer field (ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED ...); `Status`
    # the older one that AWS still returns. Either says whether the account can be reviewed.
    status = str(raw.get("Status") or raw.get("State") or "")
    return OrgAccount(str(raw["Id"]), str(raw.get("Name") or ""), status)
