"""The least-privilege policy, generated from what each collector declares it calls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wa_review.aws import access_analyzer_cross_check
from wa_review.aws.collectors import ALL_COLLECTORS

# Calls made outside the collectors: identity, role assumption and scope resolution.
SUPPORT_ACTIONS = (
    "sts:GetCallerIdentity",
    "sts:AssumeRole",
    "cloudformation:ListStackResources",
    "tag:GetResources",
    # --region all: the Regions enabled in each account.
    "ec2:DescribeRegions",
    # --org-role, in the management or delegated-admin account only: the accounts to review.
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
)


def collection_actions() -> list[str]:
    # The Access Analyzer cross-check runs only with --access-analyzer; its action is listed
    # anyway, so opting in needs no change to the role.
    actions = set(SUPPORT_ACTIONS) | set(access_analyzer_cross_check.IAM_ACTIONS)
    for collector in ALL_COLLECTORS:
        actions.update(collector.iam_actions)
    return sorted(actions)


def least_privilege_policy(*, push_actions: Iterable[str] = ()) -> dict[str, Any]:
    """The collection policy; `push_actions` (the WA Tool layer declares them) add a statement.

    The AWS layer never imports the WA Tool layer, so the caller hands the push actions in.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "WaReviewCollectReadOnly",
            "Effect": "Allow",
            "Action": collection_actions(),
            "Resource": "*",
        }
    ]
    push = sorted(push_actions)
    if push:
        statements.append(
            {
                "Sid": "WaReviewPushToWellArchitectedTool",
                "Effect": "Allow",
                "Action": push,
                "Resource": "*",
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


# Where the IAM action differs from "<endpoint prefix>:<operation>".
_IAM_PREFIX = {
    "tagging": "tag",
    "access-analyzer": "access-analyzer",
    "s3-control": "s3",
    "streams.dynamodb": "dynamodb",  # DynamoDB Streams' own endpoint, DynamoDB's actions
}
_IAM_NAMES = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketPolicy"): "s3:GetBucketPolicy",
    ("s3-control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
}


def iam_action_for(endpoint_prefix: str, operation: str) -> str:
    """The IAM action that authorises one API operation (as the call recorder names it)."""
    if endpoint_prefix == "apigateway":  # API Gateway authorises management reads by HTTP verb
        return "apigateway:GET"
    named = _IAM_NAMES.get((endpoint_prefix, operation))
    if named:
        return named
    return f"{_IAM_PREFIX.get(endpoint_prefix, endpoint_prefix)}:{operation}"
