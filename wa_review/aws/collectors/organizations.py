"""Organizations collector: the organization this account belongs to and its SCPs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

NOT_IN_ORG = "AWSOrganizationsNotInUseException"
SCP_FILTER = "SERVICE_CONTROL_POLICY"
# An account sits at most five OUs below the root; a longer chain is a broken answer.
MAX_PARENTS = 6
KINDS = {"ROOT": "root", "ORGANIZATIONAL_UNIT": "OU", "ACCOUNT": "account"}


class OrganizationsCollector(Collector[OrganizationsSnapshot]):
    """Runs once per account.

    Any member account may describe its organization, but only the management account or a
    delegated administrator may list policies (a denial is kept as `scp_error`) or the account's
    parents (kept as `ancestry_error`), which tell which SCPs actually bound the account.
    """

    service: ClassVar[str] = "organizations"
    snapshot_type: ClassVar[type[OrganizationsSnapshot]] = OrganizationsSnapshot
    global_: ClassVar[bool] = True
    iam_actions: ClassVar[tuple[str, ...]] = (
        "organizations:DescribeOrganization",
        "organizations:ListPolicies",
        "organizations:DescribePolicy",
        "organizations:ListTargetsForPolicy",
        "organizations:ListParents",
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
        scps = tuple(api.fan_out(lambda summary: self._scp(api, summary), listed))
        ancestry, kinds, error = self._ancestry(api, api.account_id)
        names = {t: n for scp in scps for t, n in zip(scp.targets, scp.target_names, strict=False)}
        return replace(
            base,
            scps=scps,
            ancestry=ancestry,
            ancestry_names=tuple(
                names.get(ident) or f"{KINDS.get(kind, '')} {ident}".strip()
                for ident, kind in zip(ancestry, kinds, strict=True)
            ),
            ancestry_error=error,
        )

    def _ancestry(
        self, api: RegionApi, account: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], FetchError | None]:
        """The account and its parents up to the root, their types, and why the chain stops short."""
        chain, kinds = [account], ["ACCOUNT"]
        for _ in range(MAX_PARENTS):
            child = chain[-1]
            try:
                parents = api.paginate(
                    "organizations", "list_parents", "Parents", resource=child, ChildId=child
                )
            except CallFailed as failed:
                return tuple(chain), tuple(kinds), failed.error
            if len(parents) != 1:  # every account and OU has exactly one parent
                return tuple(chain), tuple(kinds), _broken(api, child, f"{len(parents)} parents")
            chain.append(str(parents[0]["Id"]))
            kinds.append(str(parents[0].get("Type") or ""))
            if kinds[-1] == "ROOT":
                return tuple(chain), tuple(kinds), None
        return tuple(chain), tuple(kinds), _broken(api, chain[-1], "no root within reach")

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


def _broken(api: RegionApi, child: str, what: str) -> FetchError:
    """An answer that cannot be a chain of parents: the chain stays unknown, never guessed."""
    message = f"ListParents for {child} gave {what}, not one parent up to a root"
    return api.unusable("organizations", "ListParents", child, "UnexpectedAnswer", message)


def _target_label(target: dict[str, Any]) -> str:
    kind = KINDS.get(str(target.get("Type")), "")
    name = str(target.get("Name") or "")
    ident = str(target["TargetId"])
    label = f"{name} ({ident})" if name and name != ident else ident
    return f"{kind} {label}".strip()
