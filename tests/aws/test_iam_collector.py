"""The IAM collector against moto in-process, plus IAM's own wire shapes via before-send hooks."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tests.aws.fixtures import iam_account
from tests.aws.fixtures.common import LAMBDA_TRUST, execution_role
from tests.conftest import make_context
from wa_review.aws.collectors.iam import IamCollector, trusts_lambda
from wa_review.aws.run import Collection, collect_inventory
from wa_review.model.snapshots.iam import IamSnapshot, decode_document

GUARD = iam_account.doc(
    {
        "Effect": "Deny",
        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
        "Resource": "*",
        "Condition": {"Null": {"lambda:VpcIds": "true"}},
    }
)


def _collect(session: Any, *hooks: Any) -> tuple[IamSnapshot, Collection]:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    collection = collect_inventory(ctx, collectors=(IamCollector,))
    snap = collection.inventories[0].get_global(IamSnapshot)
    assert snap is not None
    return snap, collection


def test_reads_lambda_roles_with_their_policies(moto: Any) -> None:
    iam_account.build(moto)
    snap, collection = _collect(moto)
    roles = {r.name: r for r in snap.roles}
    assert set(roles) == set(iam_account.FUNCTIONS.values())  # ec2-role is not Lambda's
    writer = roles["writer-role"]
    assert [p.name for p in writer.attached] == ["writer-policy"]
    assert writer.attached[0].document is not None
    assert writer.attached[0].document["Statement"][0]["Action"] == [
        "sqs:SendMessage",
        "sqs:GetQueueUrl",
    ]
    assert [(p.name, p.arn) for p in writer.inline] == [("writer-role-inline", "")]
    assert all(r.first_error() is None for r in snap.roles)
    assert snap.listing_error is None and snap.local_policies_error is None
    # writer-policy says nothing about Lambda, so it is not a VPC-guardrail candidate.
    assert snap.local_policies == ()
    # Every call made is one the collector declares (the least-privilege policy is built from it).
    made = {call for call in collection.calls if not call.startswith("sts:")}  # the identity
    assert made <= set(IamCollector.iam_actions)
    # The customer-managed policy was read once, by the local listing, not again per role.
    assert collection.calls["iam:GetPolicyVersion"] == 1
    assert "iam:GetPolicy" not in collection.calls


def test_local_policies_keep_lambda_guardrail_candidates_with_usage(moto: Any) -> None:
    iam_account.local_policy(moto, "vpc-guard", GUARD, attach=True)
    iam_account.local_policy(moto, "vpc-guard-unused", GUARD, attach=False)
    iam_account.local_policy(
        moto, "s3-only", iam_account.doc(iam_account.allow("s3:GetObject", "*")), attach=True
    )
    snap, _ = _collect(moto)
    found = {p.name: p for p in snap.local_policies}
    assert set(found) == {"vpc-guard", "vpc-guard-unused"}
    assert found["vpc-guard"].in_use is True
    assert found["vpc-guard-unused"].in_use is False
    assert found["vpc-guard"].document == GUARD
    assert snap.roles == ()  # the deployer role is assumed by people, not by Lambda


def test_access_denied_on_one_role_is_that_roles_error(moto: Any) -> None:
    iam_account.build(moto)
    hook = iam_account.iam_access_denied(
        ("ListAttachedRolePolicies", "ListRolePolicies"), role="denied-role"
    )
    snap, collection = _collect(moto, hook)
    roles = {r.name: r for r in snap.roles}
    denied = roles["denied-role"]
    assert denied.error is not None and denied.error.code == "AccessDenied"
    assert denied.error.resource == denied.arn
    assert denied.policies == ()
    assert all(r.first_error() is None for name, r in roles.items() if name != "denied-role")
    assert snap.listing_error is None
    assert [e.operation for e in collection.errors] == [
        "ListAttachedRolePolicies",
        "ListRolePolicies",
    ]


def test_denied_inline_policy_read_is_an_error_on_that_policy(moto: Any) -> None:
    execution_role(moto, "r", iam_account.LEAST)
    snap, _ = _collect(moto, iam_account.iam_access_denied(("GetRolePolicy",), role="r"))
    (role,) = snap.roles
    assert role.error is None
    (inline,) = role.inline
    assert inline.document is None and inline.error is not None
    assert inline.error.code == "AccessDenied"
    assert role.first_error() is inline.error


def test_missing_aws_managed_policy_is_an_error_not_a_crash(moto: Any) -> None:
    execution_role(moto, "basic-role")
    basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    snap, collection = _collect(moto, iam_account.attached_aws_managed("basic-role", basic))
    (role,) = snap.roles
    (policy,) = role.attached
    assert (policy.name, policy.arn) == ("AWSLambdaBasicExecutionRole", basic)
    assert policy.error is not None and policy.error.code == "NoSuchEntity"
    assert collection.calls["iam:GetPolicy"] == 1


def test_list_roles_denied_is_the_listing_error(moto: Any) -> None:
    execution_role(moto, "r")
    iam_account.local_policy(moto, "vpc-guard", GUARD, attach=False)

    def deny_list_roles(request: Any, event_name: str = "", **_: Any) -> Any:
        if event_name == "before-send.iam.ListRoles":
            return iam_account._xml(
                403,
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                "<Message>no</Message></Error></ErrorResponse>",
            )
        return None

    snap, _ = _collect(moto, deny_list_roles)
    assert snap.listing_error is not None and snap.listing_error.code == "AccessDenied"
    assert snap.roles == ()
    # The local policies are still read: the VPC guardrail check does not need the roles.
    assert [p.name for p in snap.local_policies] == ["vpc-guard"]


def test_url_encoded_trust_policy_from_the_wire(moto: Any) -> None:
    """Real IAM sends AssumeRolePolicyDocument URL-encoded; the collector still finds the role."""
    execution_role(moto, "wire-role", iam_account.doc(iam_account.RUNTIME_LOGS))
    snap, _ = _collect(moto, iam_account.list_roles_wire("wire-role", LAMBDA_TRUST))
    (role,) = snap.roles
    assert role.arn == f"arn:aws:iam::{iam_account.ACCOUNT}:role/service-role/wire-role"
    assert [p.name for p in role.inline] == ["wire-role-inline"]
    # The function may name the role without its path: the join still finds it.
    assert snap.role_for(f"arn:aws:iam::{iam_account.ACCOUNT}:role/wire-role") is role


def test_documents_decode_from_every_shape() -> None:
    text = json.dumps(LAMBDA_TRUST)
    assert decode_document(LAMBDA_TRUST) == LAMBDA_TRUST
    assert decode_document(text) == LAMBDA_TRUST
    assert decode_document(quote(text)) == LAMBDA_TRUST
    assert decode_document("%7Bnot json") is None
    assert decode_document(None) is None
    assert trusts_lambda(quote(text))
    assert not trusts_lambda(quote(text.replace("lambda", "ec2")))
    assert not trusts_lambda(text.replace("Allow", "Deny"))
