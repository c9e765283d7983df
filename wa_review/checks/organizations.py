"""Organization SCPs: guardrails above the account's resources (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from wa_review.checks.support.helpers import Emitter, plural
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, FetchError, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

GLOBAL = "global"  # account-wide evidence has no region


def _scp_line(scp: Scp) -> str:
    return f"{scp.name} → {', '.join(scp.target_names or scp.targets)}"


def _scp_detail(scp: Scp, org: OrganizationsSnapshot, account: str) -> dict[str, Any]:
    return {
        "id": scp.id,
        "name": scp.name,
        "arn": scp.arn,
        "targets": list(scp.targets),
        "target_names": list(scp.target_names),
        "covers_account": org.applies_to(scp, account),  # None: could not be told
        "document": scp.document,
        "error": scp.error.to_dict() if scp.error else None,
    }


def _elsewhere(org: OrganizationsSnapshot, scps: list[Scp], account: str) -> str:
    return "; ".join(f"{s.name} is {org.where_attached(s, account)}" for s in scps)


def _unconfirmed(
    emit: Emitter, org: OrganizationsSnapshot, unsure: list[Scp], account: str, **details: Any
) -> Evidence:
    """SCPs whose reach is unknown are listed as before, but never make a pass."""
    name = org.org_id or "the organization"
    error = org.ancestry_error
    if error is not None:
        why = (
            f"{error.operation} failed: {error.code}. Only the management account "
            f"({org.management_account or 'unknown'}) or a delegated administrator can read "
            f"where account {account} sits; run wa-review there, or ask its owner which OUs "
            "hold the account"
        )
    else:
        why = org.why_unknown()
    return emit(
        Status.UNKNOWN,
        org.org_arn or f"arn:aws:iam::{account}:root",
        GLOBAL,
        f"{name} attaches {plural(len(unsure), 'SCP')} beyond FullAWSAccess "
        f"({'; '.join(_scp_line(s) for s in unsure)}), but could not confirm "
        f"{'it covers' if len(unsure) == 1 else 'they cover'} this account: {why}",
        **({"error": error.to_dict()} if error is not None else {}),
        **details,
    )


class _Situation(Enum):
    """Where the account stands, decided before anything is worded."""

    NOT_LISTED = auto()  # whether the account is in an organization could not be read
    NO_ORGANIZATION = auto()
    BILLING_ONLY = auto()  # consolidated billing only: the organization cannot apply SCPs
    SCPS_NOT_LISTED = auto()
    MANAGEMENT_ACCOUNT = auto()  # SCPs never restrict the management account
    COVERED = auto()  # at least one SCP beyond FullAWSAccess reaches the account
    UNCONFIRMED = auto()  # some SCPs may reach it, but where the account sits is unknown
    SOME_UNREAD = auto()
    ONLY_ELSEWHERE = auto()  # the SCPs are attached where they do not reach the account
    NO_GUARDS = auto()


@dataclass(frozen=True, slots=True)
class _Reach:
    """The SCPs beyond FullAWSAccess, by whether they bound the account: an SCP does so only
    through the account itself, an OU above it, or the root."""

    guards: list[Scp]
    covering: list[Scp]
    elsewhere: list[Scp]
    unsure: list[Scp]
    unread: list[tuple[Scp, FetchError]]  # SCPs listed but not read, with why


def _reach(org: OrganizationsSnapshot, account: str) -> _Reach:
    guards = [s for s in org.scps if not s.is_full_access and s.targets and s.error is None]
    return _Reach(
        guards=guards,
        covering=[s for s in guards if org.applies_to(s, account)],
        elsewhere=[s for s in guards if org.applies_to(s, account) is False],
        unsure=[s for s in guards if org.applies_to(s, account) is None],
        unread=[(s, s.error) for s in org.scps if s.error is not None],
    )


def _classify(org: OrganizationsSnapshot, reach: _Reach, account: str) -> _Situation:
    if org.listing_error is not None:
        return _Situation.NOT_LISTED
    if not org.in_organization:
        return _Situation.NO_ORGANIZATION
    if org.feature_set == "CONSOLIDATED_BILLING":
        return _Situation.BILLING_ONLY
    if org.scp_error is not None:
        return _Situation.SCPS_NOT_LISTED
    if reach.guards and org.management_account == account:
        return _Situation.MANAGEMENT_ACCOUNT
    if reach.covering:
        return _Situation.COVERED
    if reach.unsure:
        return _Situation.UNCONFIRMED
    if reach.unread:
        return _Situation.SOME_UNREAD
    if reach.elsewhere:
        return _Situation.ONLY_ELSEWHERE
    return _Situation.NO_GUARDS


def _organization_evidence(
    emit: Emitter, inv: AccountInventory, org: OrganizationsSnapshot
) -> Evidence:
    reach = _reach(org, inv.account)
    situation = _classify(org, reach, inv.account)
    if situation in _BEFORE_SCPS:
        return _organization_level(emit, situation, inv.account, org)
    return _scp_level(emit, situation, inv.account, org, reach)


_BEFORE_SCPS = frozenset(
    {
        _Situation.NOT_LISTED,
        _Situation.NO_ORGANIZATION,
        _Situation.BILLING_ONLY,
        _Situation.SCPS_NOT_LISTED,
    }
)


def _organization_level(
    emit: Emitter, situation: _Situation, account: str, org: OrganizationsSnapshot
) -> Evidence:
    """Word a situation decided before any SCP was read."""
    account_arn = f"arn:aws:iam::{account}:root"
    if situation is _Situation.NOT_LISTED and org.listing_error is not None:
        return emit.unknown(
            account_arn, GLOBAL, org.listing_error, "whether the account is in an organization"
        )
    if situation is _Situation.NO_ORGANIZATION:
        return emit(
            Status.WARN,
            account_arn,
            GLOBAL,
            f"account {account} is not in an AWS Organization: no guardrails above the "
            "account (no service control policies)",
        )
    resource, name = org.org_arn or account_arn, org.org_id or "the organization"
    if situation is _Situation.SCPS_NOT_LISTED and org.scp_error is not None:
        return emit(
            Status.UNKNOWN,
            resource,
            GLOBAL,
            f"Could not list the SCPs of {name}: {org.scp_error.code}. Only the management "
            f"account ({org.management_account or 'unknown'}) or a delegated administrator "
            "can read them; run wa-review there, or ask its owner which SCPs apply",
            error=org.scp_error.to_dict(),
        )
    return emit(  # BILLING_ONLY
        Status.WARN,
        resource,
        GLOBAL,
        f"{name} has only consolidated billing enabled: it cannot apply SCPs",
    )


def _scp_level(
    emit: Emitter, situation: _Situation, account: str, org: OrganizationsSnapshot, reach: _Reach
) -> Evidence:
    """Word a situation decided by where the organization's SCPs reach."""
    resource = org.org_arn or f"arn:aws:iam::{account}:root"
    name = org.org_id or "the organization"
    details: dict[str, Any] = {
        "scps": [_scp_detail(s, org, account) for s in org.scps],
        "ancestry": list(org.ancestry_names or org.ancestry),
        "ancestry_error": org.ancestry_error.to_dict() if org.ancestry_error else None,
    }
    if situation is _Situation.UNCONFIRMED:
        return _unconfirmed(emit, org, reach.unsure, account, **details)
    status, summary, extra = _scp_wording(situation, account, org, reach, name)
    return emit(status, resource, GLOBAL, summary, **extra, **details)


def _scp_wording(
    situation: _Situation, account: str, org: OrganizationsSnapshot, reach: _Reach, name: str
) -> tuple[Status, str, dict[str, Any]]:
    if situation is _Situation.MANAGEMENT_ACCOUNT:
        return (
            Status.WARN,
            f"{name} attaches {plural(len(reach.guards), 'SCP')} beyond FullAWSAccess "
            f"({'; '.join(_scp_line(s) for s in reach.guards)}), but this account is the "
            "management account, which SCPs do not restrict: keep workloads in member accounts",
            {},
        )
    if situation is _Situation.COVERED:
        elsewhere, unsure = reach.elsewhere, reach.unsure
        return (
            Status.PASS,
            f"{name} attaches {plural(len(reach.covering), 'SCP')} beyond FullAWSAccess covering "
            "this account: "
            + "; ".join(_scp_line(s) for s in reach.covering)
            + (f". Not counted: {_elsewhere(org, elsewhere, account)}" if elsewhere else "")
            + (f". Not confirmed: {_elsewhere(org, unsure, account)}" if unsure else ""),
            {},
        )
    if situation is _Situation.SOME_UNREAD:
        first = reach.unread[0][1]
        return (
            Status.UNKNOWN,
            f"Could not read {plural(len(reach.unread), 'SCP')} of {name} "
            f"({', '.join(s.name for s, _ in reach.unread)}): {first.code}",
            {"error": first.to_dict()},
        )
    if situation is _Situation.ONLY_ELSEWHERE:
        return (
            Status.WARN,
            f"{name} attaches no SCP beyond FullAWSAccess that covers this account: "
            f"{_elsewhere(org, reach.elsewhere, account)} (the account sits under "
            f"{org.ancestry_line()}): nothing above the account limits what its principals may do",
            {},
        )
    return (  # NO_GUARDS
        Status.WARN,
        f"{name} attaches no SCP beyond FullAWSAccess: nothing above the account limits what "
        "its principals may do",
        {},
    )


@check(
    "organizations.scp_guardrails",
    title="Service control policies set guardrails above the account",
    severity=Severity.MEDIUM,
    service="organizations",
    rationale="SCPs bound what any principal in a member account can do, whatever its resource and "
    "identity policies say (regions, services, Lambda VPC settings). An SCP counts only when it is "
    "attached to the account, to an OU above it or to the root (read with ListParents). An account "
    "outside an organization, or one with only FullAWSAccess, has no such boundary; the management "
    "account is never restricted by SCPs.",
    remediation="Run the workload in a member account of an organization with all features, and "
    "attach SCPs (for example a region deny and a Lambda VPC requirement) to its OU.",
    references=(
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
    ),
)
def scp_guardrails(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    org = inv.get_global(OrganizationsSnapshot)
    if org is not None:
        yield _organization_evidence(emit, inv, org)


# -- IAM Access Analyzer -----------------------------------------------------------------------
