"""Which SCPs reach the account: ListParents from the account up to the root, judged by both the
organizations.scp_guardrails and the iam.lambda_vpc_condition_keys checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import iam_account
from tests.aws.fixtures.common import execution_role, function
from tests.aws.fixtures.resource_policy_account import json_response
from tests.conftest import make_context
from wa_review.aws.collectors.iam import IamCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.organizations import OrganizationsCollector
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.iam_vpc_guardrails import lambda_vpc_condition_keys
from wa_review.checks.organizations import scp_guardrails
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig
from wa_review.model.snapshots.organizations import OrganizationsSnapshot

ACCOUNT = iam_account.ACCOUNT
MANAGEMENT = "111122223333"
VPC_GUARD = iam_account.doc(
    {
        "Effect": "Deny",
        "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"],
        "Resource": "*",
        "Condition": {"Null": {"lambda:VpcIds": "true"}},
    }
)


@dataclass(frozen=True, slots=True)
class Org:
    """moto's organization as a member account sees it: the account sits in Workloads/Prod."""

    described: dict[str, Any]
    root: str
    workloads: str
    prod: str
    sandbox: str

    def scp(self, session: Any, name: str, *targets: str) -> str:
        org = session.client("organizations")
        policy = org.create_policy(
            Name=name,
            Type="SERVICE_CONTROL_POLICY",
            Description=name,
            Content=json.dumps(VPC_GUARD),
        )["Policy"]["PolicySummary"]["Id"]
        for target in targets:
            org.attach_policy(PolicyId=policy, TargetId=target)
        return str(policy)


@dataclass(frozen=True, slots=True)
class Judged:
    snapshot: OrganizationsSnapshot
    guardrails: Evidence
    vpc: Evidence
    collection: Collection

    def covers(self, name: str) -> bool | None:
        """What the guardrails check recorded about one SCP's reach."""
        (scp,) = [s for s in self.guardrails.details["scps"] if s["name"] == name]
        covers: bool | None = scp["covers_account"]
        return covers


@pytest.fixture
def org(moto: Any) -> Org:
    function(moto, "orders-api", execution_role(moto, "orders-role", iam_account.LEAST))
    client = moto.client("organizations")
    described = dict(client.create_organization(FeatureSet="ALL")["Organization"])
    root = client.list_roots()["Roots"][0]["Id"]

    def ou(parent: str, name: str) -> str:
        made = client.create_organizational_unit(ParentId=parent, Name=name)
        return str(made["OrganizationalUnit"]["Id"])

    workloads = ou(root, "Workloads")
    prod = ou(workloads, "Prod")
    sandbox = ou(root, "Sandbox")
    client.move_account(AccountId=ACCOUNT, SourceParentId=root, DestinationParentId=prod)
    return Org(described, str(root), workloads, prod, sandbox)


def _judge(session: Any, org: Org, *hooks: Any) -> Judged:
    ctx = make_context(session)
    ctx.before_send_hooks.extend([iam_account.member_of(org.described, MANAGEMENT), *hooks])
    collectors = (LambdaCollector, IamCollector, OrganizationsCollector)
    collection = collect_inventory(ctx, collectors=collectors)
    inv = collection.inventories[0]
    snapshot = inv.get_global(OrganizationsSnapshot)
    assert snapshot is not None
    (guardrails,) = scp_guardrails(inv, CheckConfig())
    (vpc,) = lambda_vpc_condition_keys(inv, CheckConfig())
    return Judged(snapshot, guardrails, vpc, collection)


def test_the_collector_reads_the_chain_from_the_account_to_the_root(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.workloads)
    judged = _judge(moto, org)
    snap = judged.snapshot
    assert snap.ancestry == (ACCOUNT, org.prod, org.workloads, org.root)
    assert snap.ancestry_error is None and snap.ancestry_complete
    # Named from the SCP targets already listed (FullAWSAccess is attached everywhere).
    assert snap.ancestry_names[1:] == (
        f"OU Prod ({org.prod})",
        f"OU Workloads ({org.workloads})",
        f"root Root ({org.root})",
    )
    assert judged.collection.calls.get("organizations:ListParents") == 3
    assert "ListParents" not in {e.operation for e in judged.collection.errors}


def test_scp_on_an_ou_above_the_account_counts(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.workloads)  # the account's grandparent
    judged = _judge(moto, org)
    assert judged.covers("vpc-guard") is True
    assert judged.guardrails.status is Status.PASS
    assert f"vpc-guard → OU Workloads ({org.workloads})" in judged.guardrails.summary
    assert judged.vpc.status is Status.PASS
    assert judged.vpc.summary.startswith("SCP vpc-guard keeps functions in the VPC")
    assert judged.vpc.details["notes"] == [
        f"SCP vpc-guard is attached to OU Workloads ({org.workloads}), which covers this account"
    ]


def test_scp_on_the_root_counts(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.root)
    judged = _judge(moto, org)
    assert judged.covers("vpc-guard") is True
    assert judged.guardrails.status is Status.PASS
    assert f"vpc-guard → root Root ({org.root})" in judged.guardrails.summary
    assert judged.vpc.status is Status.PASS


def test_scp_on_a_sibling_ou_is_not_a_guardrail(moto: Any, org: Org) -> None:
    org.scp(moto, "sandbox-guard", org.sandbox)
    judged = _judge(moto, org)
    elsewhere = f"attached to OU Sandbox ({org.sandbox}), which does not contain this account"
    assert judged.covers("sandbox-guard") is False
    assert judged.guardrails.status is Status.WARN
    assert f"sandbox-guard is {elsewhere}" in judged.guardrails.summary
    assert f"OU Prod ({org.prod}) → OU Workloads ({org.workloads})" in judged.guardrails.summary
    assert judged.vpc.status is Status.WARN
    assert "nothing stops a function being created outside the VPC" in judged.vpc.summary
    assert judged.vpc.details["statements"] == []  # its guard statement does not count here
    assert judged.vpc.details["notes"] == [f"SCP sandbox-guard is {elsewhere}"]


def test_only_the_scp_that_reaches_the_account_is_counted(moto: Any, org: Org) -> None:
    org.scp(moto, "prod-guard", org.prod)
    org.scp(moto, "sandbox-guard", org.sandbox)
    judged = _judge(moto, org)
    assert (judged.covers("prod-guard"), judged.covers("sandbox-guard")) == (True, False)
    assert judged.guardrails.status is Status.PASS
    summary = judged.guardrails.summary
    assert "1 SCP beyond FullAWSAccess covering this account: prod-guard → " in summary
    assert f"Not counted: sandbox-guard is attached to OU Sandbox ({org.sandbox})" in summary
    assert judged.vpc.status is Status.PASS
    assert {s["policy"] for s in judged.vpc.details["statements"]} == {"SCP prod-guard"}


def test_list_parents_denied_leaves_the_reach_unknown_never_a_pass(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.workloads)
    judged = _judge(moto, org, deny("ListParents"))
    snap = judged.snapshot
    assert snap.ancestry == (ACCOUNT,) and not snap.ancestry_complete
    assert snap.ancestry_error is not None
    assert (snap.ancestry_error.operation, snap.ancestry_error.code) == (
        "ListParents",
        "AccessDeniedException",
    )
    assert snap.ancestry_error in judged.collection.errors
    assert judged.covers("vpc-guard") is None
    # The guardrails check lists the SCP as before, says why its reach is unknown: UNKNOWN.
    assert judged.guardrails.status is Status.UNKNOWN
    assert f"vpc-guard → OU Workloads ({org.workloads})" in judged.guardrails.summary
    assert "could not confirm it covers this account" in judged.guardrails.summary
    assert "ListParents failed: AccessDeniedException" in judged.guardrails.summary
    assert f"management account ({MANAGEMENT})" in judged.guardrails.summary
    assert judged.guardrails.details["error"]["operation"] == "ListParents"
    # The VPC check keeps the statement as evidence, but it guards nothing: UNKNOWN.
    assert judged.vpc.status is Status.UNKNOWN
    assert judged.vpc.summary.startswith("Could not check for a VPC guardrail: SCP vpc-guard is ")
    assert "could not confirm that covers this account" in judged.vpc.summary
    assert "ListParents" in judged.vpc.summary
    assert [s["policy"] for s in judged.vpc.details["statements"]] == ["SCP vpc-guard"]


def test_an_scp_on_the_account_itself_counts_without_list_parents(moto: Any, org: Org) -> None:
    org.scp(moto, "account-guard", ACCOUNT)
    org.scp(moto, "ou-guard", org.workloads)
    judged = _judge(moto, org, deny("ListParents"))
    assert (judged.covers("account-guard"), judged.covers("ou-guard")) == (True, None)
    assert judged.guardrails.status is Status.PASS
    assert "Not confirmed: ou-guard is attached to OU Workloads" in judged.guardrails.summary
    assert judged.vpc.status is Status.PASS
    assert judged.vpc.summary.startswith("SCP account-guard keeps functions in the VPC")


def test_a_chain_cut_short_still_knows_the_parents_it_read(moto: Any, org: Org) -> None:
    org.scp(moto, "prod-guard", org.prod)
    org.scp(moto, "root-guard", org.root)
    above_prod = deny("ListParents", when=lambda r: org.prod.encode() in (r.body or b""))
    judged = _judge(moto, org, above_prod)
    assert judged.snapshot.ancestry == (ACCOUNT, org.prod)
    assert (judged.covers("prod-guard"), judged.covers("root-guard")) == (True, None)
    assert judged.guardrails.status is Status.PASS
    assert judged.vpc.status is Status.PASS


def test_an_answer_without_a_parent_is_an_error_not_a_chain(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.sandbox)

    def orphan(request: Any, event_name: str = "", **_: Any) -> Any:
        return json_response({"Parents": []}) if event_name.endswith(".ListParents") else None

    judged = _judge(moto, org, orphan)
    error = judged.snapshot.ancestry_error
    assert error is not None and error.code == "UnexpectedAnswer"
    assert error in judged.collection.errors
    # Without the chain, a sibling OU's SCP is unknown, not "elsewhere" (and not a pass).
    assert judged.covers("vpc-guard") is None
    assert judged.guardrails.status is Status.UNKNOWN
    assert judged.vpc.status is Status.UNKNOWN


def test_the_management_account_stays_exempt_wherever_the_scp_is(moto: Any, org: Org) -> None:
    org.scp(moto, "vpc-guard", org.workloads)
    ctx = make_context(moto)  # moto made this account the management account
    inv = collect_inventory(ctx, collectors=(LambdaCollector, OrganizationsCollector)).inventories[
        0
    ]
    (guardrails,) = scp_guardrails(inv, CheckConfig())
    assert guardrails.status is Status.WARN
    assert "management account, which SCPs do not restrict" in guardrails.summary
