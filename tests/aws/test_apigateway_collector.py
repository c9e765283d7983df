"""The API Gateway collector against moto in-process, plus the shapes only real AWS sends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import apigateway_account
from tests.aws.fixtures.apigateway_account import answer, collect, shared_account
from tests.conftest import make_context
from wa_review.aws.collectors.apigateway import ApiGatewayCollector, vpce_ids_in
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import collect_inventory

# What GetRestApis really returns for a policy: the JSON text with quotes and slashes escaped.
ESCAPED_POLICY = (
    '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",'
    '\\"Principal\\":\\"*\\",\\"Action\\":\\"execute-api:Invoke\\",'
    '\\"Resource\\":\\"arn:aws:execute-api:us-east-1:123456789012:abc123\\/*\\",'
    '\\"Condition\\":{\\"StringEquals\\":{\\"aws:SourceVpce\\":\\"vpce-0a1b2c3d4e5f60718\\"}}}]}'
)


Shared = tuple[Any, apigateway_account.Built]


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    """One account for the module: tests only read it (hooks change what a collection sees)."""
    with shared_account() as found:
        yield found


def test_reads_rest_apis_stages_methods_and_authorizers(shared: Shared) -> None:
    session, built = shared
    collection, snap = collect(session)
    rest = {a.name: a for a in snap.rest_apis}
    assert set(rest) == set(built.rest)
    orders = rest["orders-private"]
    assert orders.arn == f"arn:aws:apigateway:us-east-1::/restapis/{orders.id}"
    assert orders.is_private and orders.vpc_endpoint_ids == (built.vpce,)
    assert orders.policy is not None and built.vpce in orders.policy
    assert [(s.name, s.web_acl_arn) for s in orders.stages] == [("prod", built.web_acl)]
    assert orders.stages[0].arn == f"{orders.arn}/stages/prod"
    assert {a.type for a in orders.authorizers} == {"COGNITO_USER_POOLS", "TOKEN"}
    assert orders.methods_without_auth == ()
    assert orders.vpc_endpoint_states == ((built.vpce, "available"),)
    noauth = rest["public-noauth"]
    # OPTIONS (CORS preflight) is never judged; an API-key-only method is listed apart.
    assert noauth.methods_without_auth == ("GET /orders", "POST /orders")
    assert noauth.methods_api_key_only == ("PUT /orders",)
    assert noauth.stages[0].web_acl_arn is None
    assert noauth.vpc_endpoint_states == ()  # not private: EC2 is not asked
    assert rest["private-nopolicy"].policy is None
    assert rest["private-deny"].vpc_endpoint_states == (
        (apigateway_account.MISSING_VPCE, "missing"),
    )
    assert all(a.error is None for a in snap.rest_apis)
    assert collection.calls["apigateway:GetStages"] == len(built.rest)
    assert collection.errors == ()  # an unknown endpoint id is an answer, not a failure


def test_reads_http_and_websocket_routes(shared: Shared) -> None:
    session = shared[0]
    _, snap = collect(session)
    http = {a.name: a for a in snap.http_apis}
    assert http["items-http"].routes_without_auth == ("GET /items",)
    assert [a.type for a in http["items-http"].authorizers] == ["JWT"]
    assert http["secure-http"].routes_without_auth == ()
    # A WebSocket API authorizes on $connect only; $default carries no authorization.
    assert http["ws-chat"].protocol == "WEBSOCKET"
    assert http["ws-chat"].routes_without_auth == ()
    assert http["items-http"].arn.endswith(f"::/apis/{http['items-http'].id}")


def test_every_call_made_is_declared(shared: Shared) -> None:
    session = shared[0]
    collection, _ = collect(session)
    made = {iam_action_for(*key.split(":", 1)) for key in collection.calls} - {
        "sts:GetCallerIdentity"
    }
    assert made <= set(ApiGatewayCollector.iam_actions)
    assert "ec2:DescribeVpcEndpoints" in made


def test_access_denied_on_one_api_makes_only_it_unreadable(shared: Shared) -> None:
    session, built = shared
    target = built.rest["public-iam"]
    hook = deny("GetStages", when=lambda r: f"/restapis/{target}/" in r.url)
    _, snap = collect(session, hook)
    rest = {a.name: a for a in snap.rest_apis}
    assert rest["public-iam"].error is not None
    assert rest["public-iam"].stages_error is not None
    assert rest["public-iam"].error.code == "AccessDeniedException"
    assert rest["public-iam"].methods_error is None
    assert all(a.error is None for a in snap.rest_apis if a.name != "public-iam")


def test_listing_denied_is_recorded_not_raised(shared: Shared) -> None:
    session = shared[0]
    _, snap = collect(session, deny("GetRestApis"), deny("GetApis"))
    assert snap.listing_error is not None and snap.v2_listing_error is not None
    assert snap.rest_apis == () and snap.http_apis == ()


def test_out_of_scope_apis_get_no_per_api_calls(shared: Shared) -> None:
    session = shared[0]
    ctx = make_context(session)
    collection = collect_inventory(ctx, collectors=(ApiGatewayCollector,), tags=(("app", "x"),))
    assert "apigateway:GetStages" not in collection.calls
    assert "ec2:DescribeVpcEndpoints" not in collection.calls


def test_keeps_the_escaped_policy_text_real_aws_returns(shared: Shared) -> None:
    session = shared[0]
    wire = {
        "item": [
            {
                "id": "abc123",
                "name": "escaped",
                "policy": ESCAPED_POLICY,
                "endpointConfiguration": {"types": ["PRIVATE"]},
            }
        ]
    }
    _, snap = collect(session, answer("GetRestApis", wire), answer("GetStages", {"item": []}))
    (api,) = snap.rest_apis
    assert api.policy == ESCAPED_POLICY  # kept raw; the judge unescapes it
    # The endpoint named only in the (escaped) policy is still looked up.
    assert api.vpc_endpoint_states == (("vpce-0a1b2c3d4e5f60718", "missing"),)


def test_vpce_ids_are_found_in_plain_and_escaped_policies() -> None:
    assert vpce_ids_in(ESCAPED_POLICY) == ("vpce-0a1b2c3d4e5f60718",)
    assert vpce_ids_in('{"aws:SourceVpce": ["vpce-1", "vpce-2", "vpce-1"]}') == ("vpce-1", "vpce-2")
    assert vpce_ids_in(None) == ()
