"""DescribeVpcEndpoints for private REST APIs: one batch per region, whatever the API count."""

from __future__ import annotations

from typing import Any

from tests.aws.fixtures import apigateway_account
from tests.aws.fixtures.apigateway_account import collect, ec2_unauthorized


def _private_apis(session: Any, count: int, *, missing: str = "") -> dict[str, str]:
    """`count` private APIs, each reachable through its own endpoint: api name -> vpce id.

    With `missing`, one more API names that endpoint id, which EC2 does not know.
    """
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    named: dict[str, str] = {}
    for n in range(count):
        named[f"private-{n}"] = ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-east-1.execute-api",
            VpcEndpointType="Interface",
            SubnetIds=[subnet],
        )["VpcEndpoint"]["VpcEndpointId"]
    if missing:
        named["private-missing"] = missing
    ag = session.client("apigateway")
    for name, vpce in named.items():
        ag.create_rest_api(
            name=name,
            policy=apigateway_account.policy(
                apigateway_account.invoke(Condition={"StringEquals": {"aws:SourceVpce": vpce}})
            ),
            endpointConfiguration={"types": ["PRIVATE"], "vpcEndpointIds": [vpce]},
        )
    return named


def test_every_endpoint_of_a_region_is_read_in_one_call(moto: Any) -> None:
    named = _private_apis(moto, 5)
    collection, snap = collect(moto)
    assert collection.calls["ec2:DescribeVpcEndpoints"] == 1  # was one per endpoint
    states = {a.name: a.vpc_endpoint_states for a in snap.rest_apis}
    assert states == {name: ((vpce, "available"),) for name, vpce in named.items()}
    assert collection.errors == ()


def test_an_unknown_endpoint_costs_one_listing_and_is_still_missing(moto: Any) -> None:
    named = _private_apis(moto, 5, missing=apigateway_account.MISSING_VPCE)
    seen: list[str] = []

    def spy(request: Any, event_name: str = "", **_: Any) -> None:
        if event_name.endswith(".DescribeVpcEndpoints"):
            body = request.body or ""
            seen.append(body.decode() if isinstance(body, bytes) else str(body))

    collection, snap = collect(moto, spy)
    # The batch by id fails as a whole (InvalidVpcEndpointId.NotFound); one listing follows.
    assert collection.calls["ec2:DescribeVpcEndpoints"] == 2
    assert "VpcEndpointId.6=" in seen[0] and "VpcEndpointId" not in seen[1]
    apis = {a.name: a for a in snap.rest_apis}
    assert apis["private-missing"].vpc_endpoint_states == (
        (apigateway_account.MISSING_VPCE, "missing"),
    )
    for name, vpce in named.items():
        if name != "private-missing":
            assert apis[name].vpc_endpoint_states == ((vpce, "available"),)
    assert all(a.vpc_endpoints_error is None for a in snap.rest_apis)
    assert collection.errors == ()  # an unknown id is an answer, not a failure


def test_a_failed_batch_makes_every_private_api_unknown_not_missing(moto: Any) -> None:
    _private_apis(moto, 3, missing=apigateway_account.MISSING_VPCE)
    collection, snap = collect(moto, ec2_unauthorized("DescribeVpcEndpoints"))
    assert collection.calls["ec2:DescribeVpcEndpoints"] == 1  # a refusal is not a NotFound
    for api in snap.rest_apis:
        assert api.vpc_endpoint_states == ()
        assert api.vpc_endpoints_error is not None
        assert api.vpc_endpoints_error.code == "UnauthorizedOperation"
