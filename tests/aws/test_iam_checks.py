"""Execution-role permission checks (a3) over the fixture account, resource by resource."""

from __future__ import annotations

from typing import Any

import pytest

from tests.aws.fixtures import iam_account
from tests.aws.fixtures.common import function
from tests.conftest import make_context
from wa_review.aws.collectors.iam import IamCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.run import collect_inventory
from wa_review.checks.iam import function_role_wildcards
from wa_review.checks.lambda_roles import function_role_breadth
from wa_review.checks.support.execution_roles import is_write_action
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.iam import IamSnapshot

DENY_ROLE_POLICIES = ("ListAttachedRolePolicies", "ListRolePolicies")


def _inventory(session: Any, *hooks: Any) -> AccountInventory:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=(LambdaCollector, IamCollector)).inventories[0]


def _by_function(evidence: list[Evidence]) -> dict[str, Evidence]:
    return {e.resource_arn.rsplit(":", 1)[-1]: e for e in evidence}


@pytest.fixture
def account(moto: Any) -> AccountInventory:
    iam_account.build(moto)
    return _inventory(moto)


def test_wildcards_fail_for_star_and_writes_on_every_resource(account: AccountInventory) -> None:
    found = _by_function(list(function_role_wildcards(account, CheckConfig())))
    assert set(found) == set(iam_account.FUNCTIONS)
    failing = {name for name, e in found.items() if e.status is Status.FAIL}
    assert failing == {"admin-fn", "writer-fn"}
    assert all(e.status is Status.PASS for n, e in found.items() if n not in failing)

    admin = found["admin-fn"]
    assert admin.summary.startswith("admin-fn: role admin-role allows admin-role-inline #1")
    assert admin.details["findings"][0]["actions"] == ["*"]
    assert admin.details["findings"][0]["statement_json"] == {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
    }
    writer = found["writer-fn"]
    (finding,) = writer.details["findings"]
    # The read (GetQueueUrl) and the runtime's own log writes on "*" are not findings.
    assert (finding["policy"], finding["actions"]) == ("writer-policy", ["sqs:SendMessage"])
    assert finding["policy_arn"].endswith(":policy/writer-policy")
    assert 'write actions on Resource "*"' in writer.summary
    # Runtime log writes on "*" alone do not fail the least-privilege role.
    assert "grants no wildcard" in found["clean-fn"].summary


def test_breadth_warns_above_the_limit_and_names_the_services(account: AccountInventory) -> None:
    found = _by_function(list(function_role_breadth(account, CheckConfig())))
    warned = {name for name, e in found.items() if e.status is Status.WARN}
    assert warned == {"admin-fn", "broad-fn"}
    assert found["admin-fn"].summary == "admin-fn: role admin-role can act on every service"
    broad = found["broad-fn"]
    assert broad.details["services"] == [
        "dynamodb",
        "events",
        "kms",
        "s3",
        "secretsmanager",
        "sns",
        "sqs",
    ]
    assert "7 services (more than 5)" in broad.summary
    assert found["orders-api"].status is Status.PASS
    assert found["orders-api"].details["services"] == ["dynamodb", "logs"]
    # The limit is the reviewer's setting.
    relaxed = _by_function(list(function_role_breadth(account, CheckConfig(max_role_services=7))))
    assert relaxed["broad-fn"].status is Status.PASS


def test_denied_role_policies_make_exactly_its_functions_unknown(moto: Any) -> None:
    iam_account.build(moto)
    inv = _inventory(moto, iam_account.iam_access_denied(DENY_ROLE_POLICIES, role="denied-role"))
    for run in (function_role_wildcards, function_role_breadth):
        found = _by_function(list(run(inv, CheckConfig())))
        unknown = {name for name, e in found.items() if e.status is Status.UNKNOWN}
        assert unknown == {"denied-a", "denied-b"}, run.__name__
        assert found["denied-a"].details["error"]["code"] == "AccessDenied"
        assert "role denied-role" in found["denied-a"].summary


def test_a_finding_in_a_readable_policy_is_not_hidden_by_an_unreadable_one(moto: Any) -> None:
    iam_account.build(moto)
    # admin-role's inline policy is readable; deny the listing of its managed ones only.
    hook = iam_account.iam_access_denied(("ListAttachedRolePolicies",), role="admin-role")
    inv = _inventory(moto, hook)
    assert _by_function(list(function_role_wildcards(inv, CheckConfig())))["admin-fn"].status is (
        Status.FAIL
    )
    assert _by_function(list(function_role_breadth(inv, CheckConfig())))["admin-fn"].status is (
        Status.WARN
    )
    # ...while a role with nothing wrong in what was read stays unknown.
    hook = iam_account.iam_access_denied(("ListAttachedRolePolicies",), role="writer-role")
    inv = _inventory(moto, hook)
    found = _by_function(list(function_role_wildcards(inv, CheckConfig())))
    assert found["writer-fn"].status is Status.UNKNOWN


def test_role_outside_the_iam_snapshot_is_unknown(moto: Any) -> None:
    iam_account.build(moto)
    ec2_role = f"arn:aws:iam::{iam_account.ACCOUNT}:role/ec2-role"
    function(moto, "odd-fn", ec2_role)
    inv = _inventory(moto)
    found = _by_function(list(function_role_wildcards(inv, CheckConfig())))
    assert found["odd-fn"].status is Status.UNKNOWN
    assert "ec2-role is not among the roles Lambda may assume" in found["odd-fn"].summary
    # No IAM snapshot at all (IAM not collected): unknown, never pass.
    del inv.global_[IamSnapshot]
    assert {e.status for e in function_role_breadth(inv, CheckConfig())} == {Status.UNKNOWN}


def test_iam_listing_error_and_nothing_in_scope(moto: Any) -> None:
    def deny(request: Any, event_name: str = "", **_: Any) -> Any:
        if event_name == "before-send.iam.ListRoles":
            return iam_account._xml(
                403,
                "<ErrorResponse><Error><Code>AccessDenied</Code>"
                "<Message>no</Message></Error></ErrorResponse>",
            )
        return None

    empty = _inventory(moto, deny)
    (na,) = list(function_role_wildcards(empty, CheckConfig()))
    assert na.status is Status.NOT_APPLICABLE
    assert na.summary == "No Lambda functions in scope in us-east-1"
    iam_account.build(moto)
    inv = _inventory(moto, deny)
    evidence = list(function_role_breadth(inv, CheckConfig()))
    assert len(evidence) == len(iam_account.FUNCTIONS)
    assert {e.status for e in evidence} == {Status.UNKNOWN}
    assert evidence[0].details["error"]["operation"] == "ListRoles"


@pytest.mark.parametrize(
    ("action", "write"),
    [
        ("s3:PutObject", True),
        ("s3:put*", True),
        ("dynamodb:*Item", True),
        ("sqs:De*", True),
        ("iam:PassRole", True),
        ("sts:AssumeRole", True),
        ("s3:GetObject", False),
        ("s3:Get*", False),
        ("ec2:Describe*", False),
        ("logs:CreateLogStream", False),  # the runtime's own logging
        ("ec2:CreateNetworkInterface", False),  # VPC ENIs take no resource ARN
        ("ec2:CreateTags", True),
    ],
)
def test_write_actions(action: str, write: bool) -> None:
    assert is_write_action(action) is write
