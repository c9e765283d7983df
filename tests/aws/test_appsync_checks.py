"""appsync.api_waf over moto and over the real AWS shape, resource by resource."""

from __future__ import annotations

from typing import Any

from tests.aws.faults import deny, json_error
from tests.aws.fixtures.apigateway_account import answer, build_graphql
from tests.conftest import make_context
from wa_review.aws.collectors.appsync import AppSyncCollector
from wa_review.aws.run import collect_inventory
from wa_review.checks.appsync import api_waf
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig

ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/gql-acl/0f1e2d3c"


def evidence(session: Any, *hooks: Any) -> list[Evidence]:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    inv = collect_inventory(ctx, collectors=(AppSyncCollector,)).inventories[0]
    return list(api_waf(inv, CheckConfig()))


def by_name(found: list[Evidence], arns: dict[str, str]) -> dict[str, Evidence]:
    names = {arn: name for name, arn in arns.items()}
    return {names.get(e.resource_arn, e.resource_arn or "<region>"): e for e in found}


def test_api_waf_on_moto(moto: Any) -> None:
    arns, _ = build_graphql(moto)
    found = by_name(evidence(moto), arns)
    assert {k: e.status for k, e in found.items()} == {
        "public-gql": Status.PASS,  # found through WAF: moto leaves wafWebAclArn empty
        "open-gql": Status.FAIL,
        "private-gql": Status.WARN,
    }
    assert "api-acl" in found["public-gql"].summary
    assert "no web ACL" in found["open-gql"].summary
    assert found["open-gql"].details["auth_types"] == ["API_KEY", "AWS_IAM"]


def test_api_waf_on_the_real_shape(moto: Any) -> None:
    listed = [
        {
            "apiId": api_id,
            "name": api_id,
            "arn": f"arn:aws:appsync:us-east-1:123456789012:apis/{api_id}",
            "authenticationType": "AWS_IAM",
            "visibility": "GLOBAL",
            **extra,
        }
        for api_id, extra in (("guarded", {"wafWebAclArn": ACL}), ("bare", {}))
    ]
    hooks = (answer("ListGraphqlApis", {"graphqlApis": listed}),)
    found = {e.resource_arn.rsplit("/", 1)[-1]: e for e in evidence(moto, *hooks)}
    assert found["guarded"].status is Status.PASS
    assert "gql-acl" in found["guarded"].summary
    assert found["bare"].status is Status.FAIL


def test_a_failed_lookup_is_unknown_for_that_api_only(moto: Any) -> None:
    arns, _ = build_graphql(moto)
    target = arns["private-gql"].encode()
    hook = deny("GetWebACLForResource", when=lambda r: target in (r.body or b""))
    found = by_name(evidence(moto, hook), arns)
    assert found["private-gql"].status is Status.UNKNOWN
    assert "AccessDeniedException" in found["private-gql"].summary
    assert found["public-gql"].status is Status.PASS
    assert found["open-gql"].status is Status.FAIL


def test_listing_failures_and_empty_regions(moto: Any) -> None:
    (empty,) = evidence(moto)
    assert empty.status is Status.NOT_APPLICABLE
    assert empty.summary == "No AppSync GraphQL APIs in scope in us-east-1"

    def unavailable(request: Any, **kwargs: Any) -> Any:
        if str(kwargs.get("event_name", "")).endswith(".ListGraphqlApis"):
            return json_error(501, "NotImplemented", "Not yet implemented", request.url)
        return None

    (missing,) = evidence(moto, unavailable)
    assert missing.status is Status.UNKNOWN and missing.resource_arn == ""
    assert "ApiUnavailable" in missing.summary
    (denied,) = evidence(moto, deny("ListGraphqlApis"))
    assert denied.status is Status.UNKNOWN and "AccessDeniedException" in denied.summary
