"""IAM collector: Lambda execution roles with their policies, and local Lambda VPC guardrails."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.iam import (
    IamPolicyDoc,
    IamSnapshot,
    LambdaRole,
    as_strings,
    covers_action,
    decode_document,
    statements,
)

LAMBDA_SERVICE = "lambda.amazonaws.com"
# The actions a VPC guardrail has to govern; local policies that cannot touch them are dropped.
VPC_GUARDED_ACTIONS = ("lambda:CreateFunction", "lambda:UpdateFunctionConfiguration")


def trusts_lambda(raw_trust: object) -> bool:
    """Whether a trust policy lets the Lambda service assume the role."""
    for statement in statements(decode_document(raw_trust)):
        if statement.get("Effect") != "Allow" or not covers_action(statement, "sts:AssumeRole"):
            continue
        principal = statement.get("Principal")
        services = as_strings(principal.get("Service")) if isinstance(principal, dict) else ()
        if any(s.lower() == LAMBDA_SERVICE for s in services):
            return True
    return False


def mentions_vpc_guarded_actions(document: dict[str, Any] | None) -> bool:
    return any(
        covers_action(s, action) for s in statements(document) for action in VPC_GUARDED_ACTIONS
    )


class IamCollector(Collector[IamSnapshot]):
    service: ClassVar[str] = "iam"
    snapshot_type: ClassVar[type[IamSnapshot]] = IamSnapshot
    global_: ClassVar[bool] = True
    iam_actions: ClassVar[tuple[str, ...]] = (
        "iam:ListRoles",
        "iam:ListAttachedRolePolicies",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicies",
    )

    def collect(self, api: RegionApi) -> IamSnapshot:
        # Local policies first: a customer-managed policy attached to a role is then read once.
        local, local_error = self._local_policies(api)
        cache = {doc.arn: doc for doc in local}
        # Roles listed before a page failed are kept: functions using them are judged.
        raw_roles, listing_error = api.listing("iam", "list_roles", "Roles")
        # The collector runs once per account and cannot see which roles functions use, so it
        # reads every role Lambda may assume; the checks join functions to roles by ARN.
        candidates = [r for r in raw_roles if trusts_lambda(r.get("AssumeRolePolicyDocument"))]
        listed = api.fan_out(lambda raw: self._role(api, raw), candidates)
        # Many roles share a managed policy (AWSLambdaBasicExecutionRole): read each one once.
        wanted = {arn: name for _role, refs in listed for arn, name in refs if arn not in cache}
        for doc in api.fan_out(lambda ref: self._managed(api, *ref), sorted(wanted.items())):
            cache[doc.arn] = doc
        roles = tuple(
            LambdaRole(
                role.name,
                role.arn,
                attached=tuple(_without_usage(cache[arn]) for arn, _name in refs),
                inline=role.inline,
                error=role.error,
            )
            for role, refs in listed
        )
        return _snapshot(roles, local, listing_error, local_error)

    def _local_policies(self, api: RegionApi) -> tuple[list[IamPolicyDoc], FetchError | None]:
        try:
            raw = api.paginate("iam", "list_policies", "Policies", Scope="Local")
        except CallFailed as failed:
            return [], failed.error
        return api.fan_out(lambda p: self._local(api, p), raw), None

    def _local(self, api: RegionApi, raw: dict[str, Any]) -> IamPolicyDoc:
        counts = [raw.get(k) for k in ("AttachmentCount", "PermissionsBoundaryUsageCount")]
        known = [int(c) for c in counts if isinstance(c, int)]
        in_use = sum(known) > 0 if known else None
        doc = self._version(api, str(raw["PolicyName"]), str(raw["Arn"]), raw["DefaultVersionId"])
        return IamPolicyDoc(doc.name, doc.arn, doc.document, doc.error, in_use)

    def _role(
        self, api: RegionApi, raw: dict[str, Any]
    ) -> tuple[LambdaRole, list[tuple[str, str]]]:
        """The role with its inline policies read, and the (ARN, name) of its managed ones."""
        name, arn = str(raw["RoleName"]), str(raw["Arn"])
        error: FetchError | None = None
        refs: list[tuple[str, str]] = []
        try:
            attached = api.paginate(
                "iam",
                "list_attached_role_policies",
                "AttachedPolicies",
                resource=arn,
                RoleName=name,
            )
            refs = [(str(p["PolicyArn"]), str(p["PolicyName"])) for p in attached]
        except CallFailed as failed:
            error = failed.error
        inline: list[IamPolicyDoc] = []
        try:
            names = api.paginate(
                "iam", "list_role_policies", "PolicyNames", resource=arn, RoleName=name
            )
            inline = [self._inline(api, name, arn, str(n)) for n in names]
        except CallFailed as failed:
            error = error or failed.error
        return LambdaRole(name, arn, inline=tuple(inline), error=error), refs

    def _inline(self, api: RegionApi, role: str, role_arn: str, policy: str) -> IamPolicyDoc:
        try:
            found = api.call(
                "iam",
                "get_role_policy",
                resource=f"{role_arn} inline policy {policy}",
                RoleName=role,
                PolicyName=policy,
            )
        except CallFailed as failed:
            return IamPolicyDoc(policy, "", error=failed.error)
        return _document(api, policy, "", found.get("PolicyDocument"), "GetRolePolicy", role_arn)

    def _managed(self, api: RegionApi, arn: str, name: str) -> IamPolicyDoc:
        """A managed policy (AWS or customer) the local listing did not already read."""
        try:
            found = api.call("iam", "get_policy", resource=arn, PolicyArn=arn)
        except CallFailed as failed:
            # NoSuchEntity included: the role names a policy IAM cannot show us, so its
            # permissions stay unknown rather than assumed empty.
            return IamPolicyDoc(name, arn, error=failed.error)
        return self._version(api, name, arn, found["Policy"].get("DefaultVersionId"))

    def _version(self, api: RegionApi, name: str, arn: str, version: object) -> IamPolicyDoc:
        try:
            found = api.call(
                "iam", "get_policy_version", resource=arn, PolicyArn=arn, VersionId=str(version)
            )
        except CallFailed as failed:
            return IamPolicyDoc(name, arn, error=failed.error)
        raw = (found.get("PolicyVersion") or {}).get("Document")
        return _document(api, name, arn, raw, "GetPolicyVersion", arn)


def _document(
    api: RegionApi, name: str, arn: str, raw: object, operation: str, resource: str
) -> IamPolicyDoc:
    document = decode_document(raw)
    if document is not None:
        return IamPolicyDoc(name, arn, document)
    message = f"the document of policy {name} is not a JSON object"
    error = api.unusable("iam", operation, resource, "UnreadablePolicyDocument", message)
    return IamPolicyDoc(name, arn, error=error)


def _without_usage(doc: IamPolicyDoc) -> IamPolicyDoc:
    """Attachment counts matter for local guardrails only; a role's policy applies to it."""
    return IamPolicyDoc(doc.name, doc.arn, doc.document, doc.error)


def _snapshot(
    roles: tuple[LambdaRole, ...],
    local: list[IamPolicyDoc],
    listing_error: FetchError | None,
    local_error: FetchError | None,
) -> IamSnapshot:
    # Unreadable local policies are kept: they might have been the guardrail.
    guardrails = tuple(
        doc for doc in local if doc.error is not None or mentions_vpc_guarded_actions(doc.document)
    )
    return IamSnapshot(
        roles=roles,
        local_policies=guardrails,
        listing_error=listing_error,
        local_policies_error=local_error,
    )
