"""The AppSync collector: moto's missing wafWebAclArn, the real shape, and WAF lookup failures."""

from __future__ import annotations

from typing import Any

from tests.aws.faults import deny, json_error
from tests.aws.fixtures.apigateway_account import answer, build_graphql
from tests.conftest import make_context
from wa_review.aws.collectors.appsync import AppSyncCollector
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.model.snapshots.appsync import AppSyncSnapshot

ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/gql/0f1e2d3c"
GQL = "arn:aws:appsync:us-east-1:123456789012:apis/"


def collect(session: Any, *hooks: Any) -> tuple[Collection, AppSyncSnapshot]:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    collection = collect_inventory(ctx, collectors=(AppSyncCollector,))
    snap = collection.inventories[0].get("us-east-1", AppSyncSnapshot)
    assert snap is not None
    return collection, snap


def test_web_acl_comes_from_waf_when_the_field_is_empty(moto: Any) -> None:
    arns, web_acl = build_graphql(moto)
    collection, snap = collect(moto)
    apis = {a.name: a for a in snap.apis}
    assert apis["public-gql"].arn == arns["public-gql"]
    assert apis["public-gql"].waf_web_acl_arn == web_acl  # moto leaves the field empty
    assert apis["open-gql"].waf_web_acl_arn is None and apis["open-gql"].waf_error is None
    assert apis["private-gql"].visibility == "PRIVATE"
    assert apis["open-gql"].auth_types == ("API_KEY", "AWS_IAM")
    assert collection.calls["wafv2:GetWebACLForResource"] == 3
    assert collection.errors == ()
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made <= set(AppSyncCollector.iam_actions)


def test_real_shape_with_the_field_set_needs_no_waf_call(moto: Any) -> None:
    wire = {
        "graphqlApis": [
            {
                "apiId": "abc",
                "name": "real",
                "arn": GQL + "abc",
                "authenticationType": "AMAZON_COGNITO_USER_POOLS",
                "additionalAuthenticationProviders": [{"authenticationType": "AWS_IAM"}],
                "visibility": "GLOBAL",
                "wafWebAclArn": ACL,
            }
        ]
    }
    collection, snap = collect(moto, answer("ListGraphqlApis", wire))
    (api,) = snap.apis
    assert api.waf_web_acl_arn == ACL
    assert api.auth_types == ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM")
    assert "wafv2:GetWebACLForResource" not in collection.calls


def test_a_failed_waf_lookup_is_recorded_on_that_api_only(moto: Any) -> None:
    arns, web_acl = build_graphql(moto)
    target = arns["open-gql"]
    hook = deny("GetWebACLForResource", when=lambda r: target.encode() in (r.body or b""))
    _, snap = collect(moto, hook)
    apis = {a.name: a for a in snap.apis}
    assert apis["open-gql"].waf_error is not None
    assert apis["open-gql"].waf_error.code == "AccessDeniedException"
    assert apis["public-gql"].waf_web_acl_arn == web_acl
    assert apis["private-gql"].waf_error is None


def test_an_endpoint_without_appsync_gives_a_listing_error(moto: Any) -> None:
    def missing(request: Any, **kwargs: Any) -> Any:
        if str(kwargs.get("event_name", "")).endswith(".ListGraphqlApis"):
            return json_error(404, "404", "Not yet implemented", request.url)
        return None

    _, snap = collect(moto, missing)
    assert snap.listing_error is not None
    assert snap.listing_error.code == "ApiUnavailable"
