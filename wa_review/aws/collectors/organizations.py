"""Organizations collector: the organization this account belongs to and its SCPs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

NOT_IN_ORG = "AWSOrganizationsNotInUseException"
SCP_FILTER = "SERVICE_CONTROL_POLICY"


class OrganizationsCollector:
    """Runs once per account.

    Any member account may describe its organization, but only the management account or a
    delegated administrator may list policies; a denial there is kept as `scp_error`.
    """

    service: ClassVar[str] = "organizations"
    global_: ClassVar[bool] = True
    iam_actions: ClassVar[tuple[str, ...]] = (
        "organizations:DescribeOrganization",
        "organizations:ListPolicies",
        "organizations:DescribePolicy",
        "organizations:ListTargetsForPolicy",
    )

    def collect(self, api: RegionApi) -> OrganizationsSnapshot:
        try:
            found = api.call("organizations", "describe_organization", absent=(NOT_IN_ORG,))
        except CallFailed as failed:
            if failed.code == NOT_IN_ORG:  # a fact about the account, not a failure
                return OrganizationsSnapshot(in_organization=False)
            return OrganizationsSnapshot(listing_error=failed.error)
        org = found.get("Organization") or {}
        base = OrganizationsSnapshot(
            org_id=str(org.get("Id") or "") or None,
            management_account=str(org.get("MasterAccountId") or "") or None,
            in_organization=True,
            org_arn=str(org.get("Arn") or "") or None,
            feature_set=str(org.get("FeatureSet") or ""),
        )
        if base.feature_set == "CONSOLIDATED_BILLING":  # SCPs need all features enabled
            return base
        try:
            listed = api.paginate(
                "organizations",
                "list_policies",
                "Policies",
                resource=base.org_arn or "",
                Filter=SCP_FILTER,
            )
        except CallFailed as failed:
            return replace(base, scp_error=failed.error)
        scps = api.fan_out(lambda summary: self._scp(api, summary), listed)
        return replace(base, scps=tuple(scps))

    def _scp(self, api: RegionApi, summary: dict[str, Any]) -> Scp:
        policy_id, arn = str(summary["Id"]), str(summary.get("Arn") or "")
        scp = Scp(
            id=policy_id,
            name=str(summary.get("Name") or policy_id),
            arn=arn,
            document="",
            targets=(),
            aws_managed=bool(summary.get("AwsManaged")),
        )
        try:
            described = api.call(
                "organizations", "describe_policy", resource=arn, PolicyId=policy_id
            )
            scp = replace(scp, document=str((described.get("Policy") or {}).get("Content") or ""))
            targets = api.paginate(
                "organizations",
                "list_targets_for_policy",
                "Targets",
                resource=arn,
                PolicyId=policy_id,
            )
        except CallFailed as failed:
            return replace(scp, error=failed.error)
        return replace(
            scp,
            targets=tuple(str(t["TargetId"]) for t in targets),
            target_names=tuple(_target_label(t) for t in targets),
        )


def _target_label(target: dict[str, Any]) -> str:
    kind = {"ROOT": "root", "ORGANIZATIONAL_UNIT": "OU", "ACCOUNT": "account"}.get(
        str(target.get("Type")), ""
    )
    name = str(target.get("Name") or "")
    ident = str(target["TargetId"])
    label = f"{name} ({ident})" if name and name != ident else ident
    return f"{kind} {label}".strip()
