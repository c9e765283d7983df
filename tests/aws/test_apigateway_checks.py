"""API Gateway checks over the moto fixture account, resource by resource; then the same account
read through hand-written answers: denials (UNKNOWN for exactly what could not be read) and the
escaped policy text real AWS returns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import apigateway_account
from tests.aws.fixtures.apigateway_account import (
    HTTP,
    answer,
    by_name,
    ec2_unauthorized,
    inventory,
    invoke,
    shared_account,
)
from wa_review.checks.apigateway import authorizers, rest_api_policy
from wa_review.checks.apigateway_network import private_endpoint_restricted, stage_waf
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig

Shared = tuple[Any, apigateway_account.Built]


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    """One account for the module: tests only read it (hooks change what a collection sees)."""
    with shared_account() as found:
        yield found


Account = tuple[apigateway_account.Built, AccountInventory]


@pytest.fixture(scope="module")
def account(shared: Shared) -> Account:
    session, built = shared
    return built, inventory(session)


def statuses(found: dict[str, Evidence]) -> dict[str, Status]:
    return {k: v.status for k, v in found.items()}


def test_rest_api_policy(account: Account) -> None:
    found = by_name(account[0], account[1], rest_api_policy)
    assert statuses(found) == {
        "orders-private": Status.PASS,  # only via an available vpce
        "private-open": Status.FAIL,  # public policy
        "private-nopolicy": Status.FAIL,  # private without a policy
        "private-deny": Status.PASS,  # Allow * minus Deny-unless-vpce: network restricted
        "public-noauth": Status.WARN,  # regional without a policy
        "public-iam": Status.PASS,  # this account only
        "public-keyonly": Status.FAIL,  # public policy
    }
    assert "evaluated before a Lambda authorizer" in found["public-noauth"].summary
    assert "anyone" in found["private-open"].summary
    assert found["private-open"].details["reasons"][0]["class"] == "public"
    assert "callers from named networks" in found["orders-private"].summary


def test_authorizers(account: Account) -> None:
    found = by_name(account[0], account[1], authorizers)
    assert statuses(found) == {
        "orders-private": Status.PASS,
        "private-open": Status.FAIL,  # open method, and the policy does not limit the network
        "private-nopolicy": Status.PASS,  # no methods at all
        "private-deny": Status.WARN,  # open method, but only reachable through one vpce
        "public-noauth": Status.FAIL,
        "public-iam": Status.PASS,
        "public-keyonly": Status.WARN,  # API key only
        "items-http": Status.FAIL,
        "secure-http": Status.PASS,
        "ws-chat": Status.PASS,
    }
    assert "GET /orders, POST /orders have no authorization" in found["public-noauth"].summary
    assert "OPTIONS" not in found["public-noauth"].summary
    assert "GET /items has no authorization" in found["items-http"].summary
    assert "COGNITO_USER_POOLS, CUSTOM" in found["orders-private"].summary
    assert "API key" in found["public-keyonly"].summary


def test_stage_waf(account: Account) -> None:
    found = by_name(account[0], account[1], stage_waf)
    assert statuses(found) == {
        "orders-private/prod": Status.PASS,
        "private-open/prod": Status.WARN,  # private: WAF still useful, traffic is VPC-only
        "public-noauth/prod": Status.FAIL,
        "public-iam/prod": Status.PASS,
    }
    assert "api-acl" in found["public-iam/prod"].summary
    # HTTP APIs cannot use WAF: no evidence for them at all.
    assert not any(HTTP in e.resource_arn for e in stage_waf(account[1], CheckConfig()))


def test_private_endpoint_restricted(account: Account) -> None:
    built, inv = account
    found = by_name(built, inv, private_endpoint_restricted)
    assert statuses(found) == {
        "orders-private": Status.PASS,
        "private-open": Status.FAIL,
        "private-nopolicy": Status.FAIL,
        "private-deny": Status.FAIL,  # the only endpoint it allows does not exist
    }
    assert built.vpce in found["orders-private"].summary
    assert f"{apigateway_account.MISSING_VPCE} (missing)" in found["private-deny"].summary


def test_nothing_in_scope_is_not_applicable(shared: Shared) -> None:
    empty = answer("GetRestApis", {"item": []}), answer("GetApis", {"items": []})
    inv = inventory(shared[0], *empty)
    for fn in (rest_api_policy, authorizers, stage_waf, private_endpoint_restricted):
        (only,) = list(fn(inv, CheckConfig()))
        assert only.status is Status.NOT_APPLICABLE and only.resource_arn == ""


def test_denied_stages_make_exactly_that_api_unknown(shared: Shared) -> None:
    session, built = shared
    target = built.rest["public-iam"]
    inv = inventory(session, deny("GetStages", when=lambda r: f"/restapis/{target}/" in r.url))
    found = by_name(built, inv, stage_waf)
    assert found["public-iam"].status is Status.UNKNOWN
    assert "AccessDeniedException" in found["public-iam"].summary
    assert found["public-noauth/prod"].status is Status.FAIL
    assert found["orders-private/prod"].status is Status.PASS
    # Methods were read, so the other checks still judge it.
    assert by_name(built, inv, authorizers)["public-iam"].status is Status.PASS


def test_denied_resources_make_exactly_that_api_unknown_for_authorizers(shared: Shared) -> None:
    session, built = shared
    target = built.rest["public-noauth"]
    inv = inventory(session, deny("GetResources", when=lambda r: f"/restapis/{target}/" in r.url))
    found = by_name(built, inv, authorizers)
    assert found["public-noauth"].status is Status.UNKNOWN
    assert found["items-http"].status is Status.FAIL
    assert found["orders-private"].status is Status.PASS


def test_denied_routes_make_exactly_that_http_api_unknown(shared: Shared) -> None:
    session, built = shared
    target = built.http["items-http"]
    inv = inventory(session, deny("GetRoutes", when=lambda r: f"/apis/{target}/" in r.url))
    found = by_name(built, inv, authorizers)
    assert found["items-http"].status is Status.UNKNOWN
    assert found["secure-http"].status is Status.PASS


def test_denied_listing_is_unknown_for_the_region(shared: Shared) -> None:
    session, built = shared
    inv = inventory(session, deny("GetRestApis"))
    for fn in (rest_api_policy, stage_waf, private_endpoint_restricted):
        (only,) = list(fn(inv, CheckConfig()))
        assert only.status is Status.UNKNOWN and only.resource_arn == ""
    found = by_name(built, inv, authorizers)
    assert found["<region>"].status is Status.UNKNOWN
    assert found["items-http"].status is Status.FAIL  # v2 still read


def test_failed_endpoint_lookup_is_unknown_for_that_check_only(shared: Shared) -> None:
    session, built = shared
    inv = inventory(session, ec2_unauthorized("DescribeVpcEndpoints"))
    found = by_name(built, inv, private_endpoint_restricted)
    assert found["orders-private"].status is Status.UNKNOWN
    assert found["private-open"].status is Status.FAIL  # public policy: no lookup needed
    assert by_name(built, inv, rest_api_policy)["orders-private"].status is Status.PASS


def escaped(*statements: dict[str, Any]) -> str:
    """The policy as GetRestApis returns it: compact JSON with quotes and slashes escaped."""
    text = json.dumps(
        {"Version": "2012-10-17", "Statement": list(statements)}, separators=(",", ":")
    )
    return text.replace('"', '\\"').replace("/", "\\/")


def listing(**policies: str) -> dict[str, Any]:
    return {
        "item": [
            {
                "id": api_id,
                "name": api_id,
                "policy": text,
                "endpointConfiguration": {"types": ["PRIVATE"]},
            }
            for api_id, text in policies.items()
        ]
    }


def by_id(found: list[Evidence]) -> dict[str, Status]:
    return {e.resource_arn.rsplit("/", 1)[-1]: e.status for e in found}


def test_escaped_policies_are_judged(shared: Shared) -> None:
    session, built = shared
    vpce = built.vpce
    pinned = invoke(
        Resource="arn:aws:execute-api:us-east-1:123456789012:pinned/*",
        Condition={"StringEquals": {"aws:SourceVpce": vpce}},
    )
    wire = listing(pinned=escaped(pinned), open=escaped(invoke()))
    assert '\\"Version\\"' in wire["item"][0]["policy"] and "\\/" in wire["item"][0]["policy"]
    hooks = (
        answer("GetRestApis", wire),
        answer("GetStages", {"item": []}),
        answer("GetResources", {"item": []}),
        answer("GetAuthorizers", {"item": []}),
        answer("GetApis", {"items": []}),
    )
    inv = inventory(session, *hooks)
    assert by_id(list(rest_api_policy(inv, CheckConfig()))) == {
        "pinned": Status.PASS,
        "open": Status.FAIL,
    }
    assert by_id(list(private_endpoint_restricted(inv, CheckConfig()))) == {
        "pinned": Status.PASS,
        "open": Status.FAIL,
    }
    # No methods: nothing is left open.
    assert by_id(list(authorizers(inv, CheckConfig()))) == {
        "pinned": Status.PASS,
        "open": Status.PASS,
    }
