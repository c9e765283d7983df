"""Organizations: membership and SCPs, from the management, a delegated-admin and a member account."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.faults import deny
from tests.aws.fixtures import resource_policy_account as account
from tests.conftest import make_context
from wa_review.aws.collectors.organizations import OrganizationsCollector
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.organizations import scp_guardrails
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig
from wa_review.model.snapshots.organizations import OrganizationsSnapshot, Scp

MANAGEMENT = "111111111111"


def _collect(session: Any, hooks: Sequence[Callable[..., Any]] = ()) -> Collection:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=(OrganizationsCollector,))


def _evidence(collection: Collection) -> Evidence:
    [evidence] = scp_guardrails(collection.inventories[0], CheckConfig())
    return evidence


def _snapshot(collection: Collection) -> OrganizationsSnapshot:
    snap = collection.inventories[0].get_global(OrganizationsSnapshot)
    assert snap is not None
    return snap


def _seen_from_another_account(session: Any) -> Callable[..., AWSResponse | None]:
    """DescribeOrganization as a delegated administrator sees it: another management account."""
    org = session.client("organizations").describe_organization()["Organization"]

    def hook(request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
        if not event_name.endswith(".DescribeOrganization"):
            return None
        shown = {
            **{k: v for k, v in org.items() if isinstance(v, str)},
            "MasterAccountId": MANAGEMENT,
            "MasterAccountArn": f"arn:aws:organizations::{MANAGEMENT}:account/{org['Id']}/x",
        }
        return account.json_response({"Organization": shown})

    return hook


def test_outside_an_organization_there_are_no_guardrails(moto: Any) -> None:
    collection = _collect(moto)
    snap = _snapshot(collection)
    assert (snap.in_organization, snap.listing_error, snap.scps) == (False, None, ())
    assert not collection.errors  # "not in an organization" is a fact, not a failure
    evidence = _evidence(collection)
    assert evidence.status is Status.WARN
    assert "no guardrails above the account" in evidence.summary
    assert evidence.resource_arn == f"arn:aws:iam::{account.ACCOUNT}:root"


def test_scps_beyond_full_access_pass_listing_each_and_its_targets(moto: Any) -> None:
    root = account.build_organization(moto)
    collection = _collect(moto, [_seen_from_another_account(moto)])
    snap = _snapshot(collection)
    assert snap.management_account == MANAGEMENT
    by_name = {s.name: s for s in snap.scps}
    assert by_name["FullAWSAccess"].is_full_access
    guard = by_name["deny-outside-regions"]
    assert guard.targets == (root,) and "aws:RequestedRegion" in guard.document
    evidence = _evidence(collection)
    assert evidence.status is Status.PASS
    assert evidence.resource_arn == snap.org_arn
    assert f"deny-outside-regions → root Root ({root})" in evidence.summary
    assert {s["name"] for s in evidence.details["scps"]} == {
        "FullAWSAccess",
        "deny-outside-regions",
    }
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made <= set(OrganizationsCollector.iam_actions)


def test_only_full_aws_access_warns(moto: Any) -> None:
    account.build_organization(moto, with_scp=False)
    evidence = _evidence(_collect(moto, [_seen_from_another_account(moto)]))
    assert evidence.status is Status.WARN
    assert "no SCP beyond FullAWSAccess" in evidence.summary


def test_the_management_account_itself_is_not_bound_by_scps(moto: Any) -> None:
    account.build_organization(moto)  # moto makes the caller the management account
    evidence = _evidence(_collect(moto))
    assert evidence.status is Status.WARN
    assert "management account, which SCPs do not restrict" in evidence.summary


def test_a_member_account_cannot_list_scps_so_the_check_is_unknown(moto: Any) -> None:
    account.build_organization(moto)
    collection = _collect(moto, [_seen_from_another_account(moto), deny("ListPolicies")])
    snap = _snapshot(collection)
    assert snap.in_organization and snap.scp_error is not None
    assert snap.scp_error.code == "AccessDeniedException"
    evidence = _evidence(collection)
    assert evidence.status is Status.UNKNOWN
    assert "AccessDeniedException" in evidence.summary
    assert f"management account ({MANAGEMENT})" in evidence.summary


def test_an_unreadable_scp_is_unknown_not_a_pass(moto: Any) -> None:
    account.build_organization(moto)
    hook = deny("DescribePolicy", when=lambda r: b"FullAWSAccess" not in (r.body or b""))
    collection = _collect(moto, [_seen_from_another_account(moto), hook])
    snap = _snapshot(collection)
    assert [s.name for s in snap.scps if s.error is not None] == ["deny-outside-regions"]
    assert _evidence(collection).status is Status.UNKNOWN


def test_describe_organization_denied_is_unknown(moto: Any) -> None:
    evidence = _evidence(_collect(moto, [deny("DescribeOrganization")]))
    assert evidence.status is Status.UNKNOWN


def test_snapshot_names_the_iam_checks_rely_on() -> None:
    scp = Scp(id="p-1", name="n", arn="a", document=json.dumps({}), targets=("r-1",))
    snap = OrganizationsSnapshot(
        org_id="o-1",
        management_account=account.ACCOUNT,
        in_organization=True,
        scps=(scp,),
        listing_error=None,
        scp_error=None,
    )
    assert snap.service == "organizations" and snap.scps[0].targets == ("r-1",)
