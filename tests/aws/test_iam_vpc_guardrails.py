"""The Lambda VPC guardrail check (a2): SCPs and local IAM policies with lambda:VpcIds conditions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import iam_account
from tests.aws.fixtures.common import execution_role, function
from tests.conftest import make_context
from wa_review.aws.collectors.iam import IamCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.organizations import OrganizationsCollector
from wa_review.aws.run import collect_inventory
from wa_review.checks.iam_vpc_guardrails import lambda_vpc_condition_keys
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.iam import IamPolicyDoc, IamSnapshot
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

ACCOUNT = iam_account.ACCOUNT
MANAGEMENT = "111122223333"
BOTH = ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"]
NULL_VPC = {"Null": {"lambda:VpcIds": "true"}}


def deny_unless(condition: dict[str, Any], action: Any = BOTH) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": "*", "Condition": condition}


def _check(session: Any, *hooks: Any) -> Evidence:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    collectors = (LambdaCollector, IamCollector, OrganizationsCollector)
    inv = collect_inventory(ctx, collectors=collectors).inventories[0]
    (evidence,) = lambda_vpc_condition_keys(inv, CheckConfig())
    return evidence


def _organization(session: Any, *, scp: dict[str, Any] | None) -> dict[str, Any]:
    org = session.client("organizations")
    created = dict(org.create_organization(FeatureSet="ALL")["Organization"])
    if scp is not None:
        policy = org.create_policy(
            Name="lambda-in-vpc",
            Type="SERVICE_CONTROL_POLICY",
            Description="functions stay in the VPC",
            Content=json.dumps(scp),
        )["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=policy, TargetId=org.list_roots()["Roots"][0]["Id"])
    return created


@pytest.fixture
def one_function(moto: Any) -> Any:
    function(moto, "orders-api", execution_role(moto, "orders-role", iam_account.LEAST))
    return moto


def test_scp_with_vpc_condition_passes_for_a_member_account(one_function: Any) -> None:
    org = _organization(one_function, scp=iam_account.doc(deny_unless(NULL_VPC)))
    evidence = _check(one_function, iam_account.member_of(org, MANAGEMENT))
    assert evidence.status is Status.PASS
    assert evidence.summary.startswith("SCP lambda-in-vpc keeps functions in the VPC")
    assert evidence.resource_arn == f"arn:aws:iam::{ACCOUNT}:root"
    (statement,) = evidence.details["statements"]
    assert statement["effect"] == "Deny" and statement["actions"] == BOTH
    assert statement["statement_json"]["Condition"] == NULL_VPC
    (note,) = evidence.details["notes"]  # where it is attached, for the reviewer to confirm
    assert note.startswith("SCP lambda-in-vpc is attached to root ")


def test_organization_without_the_scp_warns(one_function: Any) -> None:
    org = _organization(one_function, scp=None)  # only AWS's FullAWSAccess
    evidence = _check(one_function, iam_account.member_of(org, MANAGEMENT))
    assert evidence.status is Status.WARN
    assert "nothing stops a function being created outside the VPC" in evidence.summary


def test_scps_do_not_bind_the_management_account(one_function: Any) -> None:
    # moto makes the creating account the management account, as AWS does.
    _organization(one_function, scp=iam_account.doc(deny_unless(NULL_VPC)))
    evidence = _check(one_function)
    assert evidence.status is Status.WARN
    assert "SCPs do not apply to the organization's management account" in evidence.details["notes"]


def test_unreadable_scps_without_an_iam_guard_are_unknown(one_function: Any) -> None:
    org = _organization(one_function, scp=iam_account.doc(deny_unless(NULL_VPC)))
    denied = deny("ListPolicies", when=lambda r: "organizations" in r.url)
    evidence = _check(one_function, iam_account.member_of(org, MANAGEMENT), denied)
    assert evidence.status is Status.UNKNOWN
    assert evidence.summary.startswith("Could not check for a VPC guardrail: SCPs: ")
    assert "ListPolicies" in evidence.summary and "AccessDenied" in evidence.summary
    # An attached IAM guard settles it even when the SCPs cannot be read.
    guard = iam_account.doc(deny_unless(NULL_VPC))
    iam_account.local_policy(one_function, "deploy-in-vpc", guard, attach=True)
    evidence = _check(one_function, iam_account.member_of(org, MANAGEMENT), denied)
    assert evidence.status is Status.PASS
    assert evidence.summary.startswith("IAM policy deploy-in-vpc keeps functions in the VPC")


def test_local_policy_must_be_attached_to_count(one_function: Any) -> None:
    allow_list = {
        "ForAllValues:StringNotEquals": {"lambda:SubnetIds": ["subnet-0a1", "subnet-0b2"]}
    }
    iam_account.local_policy(
        one_function, "unused-guard", iam_account.doc(deny_unless(allow_list)), attach=False
    )
    evidence = _check(one_function)  # not in an organization: IAM is the only place
    assert evidence.status is Status.WARN
    assert "IAM policy unused-guard is attached to nobody" in evidence.details["notes"]
    assert "the account is not in an organization (no SCPs)" in evidence.details["notes"]
    iam_account.local_policy(
        one_function, "subnet-guard", iam_account.doc(deny_unless(allow_list)), attach=True
    )
    assert _check(one_function).status is Status.PASS


def test_nothing_in_scope_is_not_applicable(moto: Any) -> None:
    evidence = _check(moto)
    assert evidence.status is Status.NOT_APPLICABLE
    assert evidence.summary == "No Lambda functions in scope in this account"


# -- condition semantics, on hand-built snapshots ---------------------------------------------


def _inventory(*statements: dict[str, Any], scp: bool = False) -> AccountInventory:
    fn = LambdaFunction(
        name="f",
        arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f",
        role=f"arn:aws:iam::{ACCOUNT}:role/r",
        runtime="python3.12",
        vpc_id="",
        subnet_ids=(),
        security_group_ids=(),
        layers=(),
        env_var_names=(),
        static_credential_vars=(),
        in_scope=True,
    )
    inv = AccountInventory(ACCOUNT, "us-east-1")
    inv.add("us-east-1", LambdaSnapshot(functions=(fn,)))
    document = iam_account.doc(*statements)
    if scp:
        policy = Scp("p-1", "guard", "arn:scp", json.dumps(document), targets=("r-root",))
        inv.add(
            None,
            OrganizationsSnapshot(
                org_id="o-1",
                management_account=MANAGEMENT,
                in_organization=True,
                scps=(policy,),
                ancestry=(ACCOUNT, "r-root"),  # the account sits right under the root
            ),
        )
        inv.add(None, IamSnapshot())
    else:
        inv.add(None, OrganizationsSnapshot(in_organization=False))
        inv.add(
            None,
            IamSnapshot(local_policies=(IamPolicyDoc("guard", "arn:p", document, in_use=True),)),
        )
    return inv


@pytest.mark.parametrize(
    ("statement", "status"),
    [
        (deny_unless(NULL_VPC), Status.PASS),
        (deny_unless(NULL_VPC, action="lambda:*"), Status.PASS),
        (deny_unless({"Null": {"lambda:VpcIds": True}}), Status.PASS),  # a JSON boolean
        (deny_unless(NULL_VPC, action=["lambda:Create*", "lambda:Update*"]), Status.PASS),
        (deny_unless({"StringNotEquals": {"lambda:VpcIds": "vpc-1"}}), Status.PASS),
        (deny_unless({"StringNotEqualsIfExists": {"lambda:VpcIds": "vpc-1"}}), Status.PASS),
        (deny_unless({"ForAllValues:StringNotLike": {"lambda:securitygroupids": "sg-*"}}), Status.PASS),
        # An absent key makes ForAnyValue false: functions without a VPC are not refused.
        (deny_unless({"ForAnyValue:StringNotEquals": {"lambda:VpcIds": "vpc-1"}}), Status.WARN),
        (deny_unless({"Null": {"lambda:VpcIds": "false"}}), Status.WARN),
        (deny_unless({"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}), Status.WARN),
        # Only creation is guarded: UpdateFunctionConfiguration can still detach the VPC.
        (deny_unless(NULL_VPC, action="lambda:CreateFunction"), Status.WARN),
        ({**deny_unless(NULL_VPC), "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:x"}, Status.WARN),
        ({"Effect": "Allow", "Action": BOTH, "Resource": "*",
          "Condition": {"StringEquals": {"lambda:VpcIds": "vpc-1"}}}, Status.PASS),
        # ForAllValues is true for an absent key: this Allow also admits functions without a VPC.
        ({"Effect": "Allow", "Action": BOTH, "Resource": "*",
          "Condition": {"ForAllValues:StringEquals": {"lambda:SubnetIds": "subnet-1"}}}, Status.WARN),
    ],
)  # fmt: skip
def test_condition_semantics(statement: dict[str, Any], status: Status) -> None:
    (evidence,) = lambda_vpc_condition_keys(_inventory(statement), CheckConfig())
    assert evidence.status is status, evidence.summary


def test_partial_guard_names_the_missing_action() -> None:
    inv = _inventory(deny_unless(NULL_VPC, action="lambda:CreateFunction"))
    (evidence,) = lambda_vpc_condition_keys(inv, CheckConfig())
    assert evidence.summary == (
        "only lambda:CreateFunction is guarded: lambda:UpdateFunctionConfiguration can still "
        "take a function out of the VPC"
    )


def test_scp_allow_does_not_count_but_deny_does() -> None:
    allow = {"Effect": "Allow", "Action": BOTH, "Resource": "*",
             "Condition": {"StringEquals": {"lambda:VpcIds": "vpc-1"}}}  # fmt: skip
    (evidence,) = lambda_vpc_condition_keys(_inventory(allow, scp=True), CheckConfig())
    assert evidence.status is Status.WARN
    (evidence,) = lambda_vpc_condition_keys(
        _inventory(deny_unless(NULL_VPC), scp=True), CheckConfig()
    )
    assert evidence.status is Status.PASS
    assert evidence.details["statements"][0]["source"] == "arn:scp"
