"""Temporary-credential checks (a4): one role per function, no keys in environment variables."""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3
import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import iam_account
from tests.aws.fixtures.common import execution_role, function
from tests.conftest import make_context
from wa_review.aws.collectors.iam import IamCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.run import collect_inventory
from wa_review.checks import all_checks
from wa_review.checks.lambda_credentials import no_static_credentials, unique_execution_role
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig

SHARED = {"orders-api", "payments", "notify"}


def _inventory(session: Any, *hooks: Any, regions: tuple[str, ...] = ("us-east-1",)) -> Any:
    ctx = make_context(session, regions=regions)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=(LambdaCollector, IamCollector))


def _by_function(evidence: list[Evidence]) -> dict[str, Evidence]:
    return {e.resource_arn.rsplit(":", 1)[-1]: e for e in evidence}


@pytest.fixture
def account(moto: Any) -> AccountInventory:
    iam_account.build(moto)
    inv: AccountInventory = _inventory(moto).inventories[0]
    return inv


def test_shared_role_warns_naming_every_function_using_it(account: AccountInventory) -> None:
    found = _by_function(list(unique_execution_role(account, CheckConfig())))
    assert set(found) == set(iam_account.FUNCTIONS)
    warned = {name for name, e in found.items() if e.status is Status.WARN}
    assert warned == SHARED | {"denied-a", "denied-b"}
    assert all(e.status is Status.PASS for n, e in found.items() if n not in warned)
    assert found["payments"].summary == (
        "payments: role shared-role is shared by notify, orders-api, payments"
    )
    others = found["payments"].details["other_functions"]
    assert sorted(arn.rsplit(":", 1)[-1] for arn in others) == ["notify", "orders-api"]
    assert found["clean-fn"].summary == "clean-fn: role clean-role is used by no other function"


def test_sharing_across_regions_counts(moto: Any) -> None:
    iam_account.build(moto)
    west = boto3.Session(region_name="us-west-2")
    role = f"arn:aws:iam::{iam_account.ACCOUNT}:role/clean-role"
    function(west, "clean-west", role)
    inv = _inventory(moto, regions=("us-east-1", "us-west-2")).inventories[0]
    found = _by_function(list(unique_execution_role(inv, CheckConfig())))
    assert found["clean-fn"].status is Status.WARN
    assert found["clean-fn"].summary == (
        "clean-fn: role clean-role is shared by clean-fn, clean-west (us-west-2)"
    )
    assert found["clean-west"].region == "us-west-2"
    assert found["clean-west"].summary.endswith("shared by clean-fn (us-east-1), clean-west")


def test_unreadable_region_is_named_on_a_pass(moto: Any) -> None:
    iam_account.build(moto)
    west_only = deny("ListFunctions", when=lambda r: "us-west-2" in r.url)
    inv = _inventory(moto, west_only, regions=("us-east-1", "us-west-2")).inventories[0]
    found = list(unique_execution_role(inv, CheckConfig()))
    west = [e for e in found if e.region == "us-west-2"]
    assert [e.status for e in west] == [Status.UNKNOWN]
    clean = _by_function(found)["clean-fn"]
    assert clean.status is Status.PASS
    assert clean.summary.endswith("(functions in us-west-2 could not be listed)")


def test_role_unknown_to_iam_is_unknown(account: AccountInventory) -> None:
    from wa_review.model.snapshots.iam import IamSnapshot

    account.global_[IamSnapshot] = IamSnapshot()  # IAM listed no Lambda role at all
    assert {e.status for e in unique_execution_role(account, CheckConfig())} == {Status.UNKNOWN}


def test_static_credentials_fail_by_name_only(account: AccountInventory) -> None:
    found = _by_function(list(no_static_credentials(account, CheckConfig())))
    assert set(found) == set(iam_account.FUNCTIONS)
    assert {n for n, e in found.items() if e.status is Status.FAIL} == {"leaky-fn"}
    leaky = found["leaky-fn"]
    assert leaky.details["variables"] == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    assert leaky.summary == (
        "leaky-fn: environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
        "hold or name AWS keys"
    )
    assert found["clean-fn"].status is Status.PASS
    assert found["clean-fn"].summary == (
        "clean-fn: no environment variable holds or names AWS keys (2 checked)"
    )


def test_key_shaped_value_under_an_innocent_name_fails(moto: Any) -> None:
    role = execution_role(moto, "solo", iam_account.LEAST)
    function(moto, "sneaky", role, Environment={"Variables": {"UPSTREAM": iam_account.KEY_ID}})
    inv = _inventory(moto).inventories[0]
    (evidence,) = no_static_credentials(inv, CheckConfig())
    assert evidence.status is Status.FAIL
    assert evidence.details["variables"] == ["UPSTREAM"]


def test_planted_secret_appears_nowhere(moto: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="wa_review")
    iam_account.build(moto)
    collection = _inventory(moto)
    inv = collection.inventories[0]
    evidence = [e for check in all_checks() for e in check.run(inv, CheckConfig())]
    assert any(e.check_id == "lambda.no_static_credentials" for e in evidence)
    text = json.dumps([e.to_dict() for e in evidence])
    text += json.dumps([e.to_dict() for e in collection.errors])
    text += repr(inv) + caplog.text
    for planted in (iam_account.SECRET, iam_account.KEY_ID):
        assert planted not in text


def test_listing_error_and_nothing_in_scope(moto: Any) -> None:
    (na,) = no_static_credentials(_inventory(moto).inventories[0], CheckConfig())
    assert na.status is Status.NOT_APPLICABLE
    inv = _inventory(moto, deny("ListFunctions")).inventories[0]
    for run in (no_static_credentials, unique_execution_role):
        (unknown,) = run(inv, CheckConfig())
        assert unknown.status is Status.UNKNOWN
        assert unknown.details["error"]["operation"] == "ListFunctions"
