"""Organization SCPs: guardrails above the account's resources (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter, plural
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
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


def _organization_evidence(
    emit: Emitter, inv: AccountInventory, org: OrganizationsSnapshot
) -> Evidence:
    account_arn = f"arn:aws:iam::{inv.account}:root"
    if org.listing_error is not None:
        return emit.unknown(
            account_arn, GLOBAL, org.listing_error, "whether the account is in an organization"
        )
    if not org.in_organization:
        return emit(
            Status.WARN,
            account_arn,
            GLOBAL,
            f"account {inv.account} is not in an AWS Organization: no guardrails above the "
            "account (no service control policies)",
        )
    resource, name = org.org_arn or account_arn, org.org_id or "the organization"
    if org.feature_set == "CONSOLIDATED_BILLING":
        return emit(
            Status.WARN,
            resource,
            GLOBAL,
            f"{name} has only consolidated billing enabled: it cannot apply SCPs",
        )
    if org.scp_error is not None:
        return emit(
            Status.UNKNOWN,
            resource,
            GLOBAL,
            f"Could not list the SCPs of {name}: {org.scp_error.code}. Only the management "
            f"account ({org.management_account or 'unknown'}) or a delegated administrator "
            "can read them; run wa-review there, or ask its owner which SCPs apply",
            error=org.scp_error.to_dict(),
        )
    guards = [s for s in org.scps if not s.is_full_access and s.targets and s.error is None]
    unread = [(s, s.error) for s in org.scps if s.error is not None]
    details: dict[str, Any] = {
        "scps": [_scp_detail(s, org, inv.account) for s in org.scps],
        "ancestry": list(org.ancestry_names or org.ancestry),
        "ancestry_error": org.ancestry_error.to_dict() if org.ancestry_error else None,
    }
    if guards and org.management_account == inv.account:
        # SCPs never restrict the management account's own users and roles.
        return emit(
            Status.WARN,
            resource,
            GLOBAL,
            f"{name} attaches {plural(len(guards), 'SCP')} beyond FullAWSAccess "
            f"({'; '.join(_scp_line(s) for s in guards)}), but this account is the management "
            "account, which SCPs do not restrict: keep workloads in member accounts",
            **details,
        )
    # An SCP bounds the account only through the account itself, an OU above it, or the root.
    covering = [s for s in guards if org.applies_to(s, inv.account)]
    elsewhere = [s for s in guards if org.applies_to(s, inv.account) is False]
    unsure = [s for s in guards if org.applies_to(s, inv.account) is None]
    if covering:
        return emit(
            Status.PASS,
            resource,
            GLOBAL,
            f"{name} attaches {plural(len(covering), 'SCP')} beyond FullAWSAccess covering this "
            "account: "
            + "; ".join(_scp_line(s) for s in covering)
            + (f". Not counted: {_elsewhere(org, elsewhere, inv.account)}" if elsewhere else "")
            + (f". Not confirmed: {_elsewhere(org, unsure, inv.account)}" if unsure else ""),
            **details,
        )
    if unsure:
        return _unconfirmed(emit, org, unsure, inv.account, **details)
    if unread:
        first = unread[0][1]
        return emit(
            Status.UNKNOWN,
            resource,
            GLOBAL,
            f"Could not read {plural(len(unread), 'SCP')} of {name} "
            f"({', '.join(s.name for s, _ in unread)}): {first.code}",
            error=first.to_dict(),
            **details,
        )
    if elsewhere:
        return emit(
            Status.WARN,
            resource,
            GLOBAL,
            f"{name} attaches no SCP beyond FullAWSAccess that covers this account: "
            f"{_elsewhere(org, elsewhere, inv.account)} (the account sits under "
            f"{org.ancestry_line()}): nothing above the account limits what its principals may do",
            **details,
        )
    return emit(
        Status.WARN,
        resource,
        GLOBAL,
        f"{name} attaches no SCP beyond FullAWSAccess: nothing above the account limits what "
        "its principals may do",
        **details,
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
