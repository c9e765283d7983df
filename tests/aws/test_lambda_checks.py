"""Lambda resource-policy checks over the fixture account, resource by resource."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.aws.fixtures import lambda_account
from tests.conftest import make_context
from wa_review.aws.collectors.lambda_ import LambdaCollector, as_aws_shape
from wa_review.aws.run import collect_inventory
from wa_review.checks import lambda_policies as checks
from wa_review.model.evidence import Status
from wa_review.model.inventory import CheckConfig


@pytest.fixture
def results(moto: Any) -> dict[str, dict[str, Status]]:
    lambda_account.build(moto)
    inv = collect_inventory(make_context(moto), collectors=(LambdaCollector,)).inventories[0]
    out: dict[str, dict[str, Status]] = {}
    for name in (
        "function_policy_public",
        "function_policy_cross_account",
        "function_policy_unscoped_service",
        "function_policy_apigw_scope",
        "function_url_auth_none",
        "layer_policy_public",
    ):
        found = getattr(checks, name)(inv, CheckConfig())
        out[name] = {
            e.resource_arn.split(":function:")[-1].split(":layer:")[-1]: e.status for e in found
        }
    return out


def test_public_invocation(results: dict[str, dict[str, Status]]) -> None:
    got = results["function_policy_public"]
    assert got["public-fn"] is Status.FAIL
    assert got["orders-api"] is Status.PASS and got["private-fn"] is Status.PASS
    assert got["partner-fn"] is Status.PASS  # another account is not the public


def test_cross_account(results: dict[str, dict[str, Status]]) -> None:
    got = results["function_policy_cross_account"]
    assert got["partner-fn"] is Status.FAIL and got["orders-api"] is Status.PASS


def test_confused_deputy(results: dict[str, dict[str, Status]]) -> None:
    got = results["function_policy_unscoped_service"]
    assert got["s3-unscoped"] is Status.FAIL and got["apigw-any"] is Status.FAIL
    assert got["orders-api"] is Status.PASS


def test_api_gateway_scope(results: dict[str, dict[str, Status]]) -> None:
    got = results["function_policy_apigw_scope"]
    assert got == {"orders-api": Status.PASS, "apigw-any": Status.FAIL, "apigw-wild": Status.WARN}


def test_function_urls(results: dict[str, dict[str, Status]]) -> None:
    assert results["function_url_auth_none"] == {"url-open": Status.FAIL, "url-iam": Status.PASS}


def test_layers(results: dict[str, dict[str, Status]]) -> None:
    assert results["layer_policy_public"] == {
        "public-layer:1": Status.FAIL,
        "org-layer:1": Status.PASS,
    }


def test_trusted_accounts_are_not_cross_account(moto: Any) -> None:
    lambda_account.build(moto)
    inv = collect_inventory(make_context(moto), collectors=(LambdaCollector,)).inventories[0]
    found = checks.function_policy_cross_account(
        inv, CheckConfig(trusted_accounts=frozenset({"999988887777"}))
    )
    assert {e.status for e in found if e.resource_arn.endswith(":partner-fn")} == {Status.PASS}


def test_moto_elements_become_the_aws_conditions() -> None:
    moto_shape = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "u",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:InvokeFunctionUrl",
                "Resource": "r",
                "FunctionUrlAuthType": "NONE",
            },
            {
                "Sid": "o",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:GetLayerVersion",
                "Resource": "r",
                "OrganizationId": "o-abc123",
            },
        ],
    }
    real = json.loads(as_aws_shape(json.dumps(moto_shape)))["Statement"]
    assert real[0]["Condition"] == {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}
    assert real[1]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}
    assert "FunctionUrlAuthType" not in real[0] and "OrganizationId" not in real[1]
    untouched = '{"Version": "2012-10-17", "Statement": []}'
    assert as_aws_shape(untouched) == untouched and as_aws_shape("not json") == "not json"
