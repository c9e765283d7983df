"""WAF checks: web ACLs on in-scope API stages and GraphQL APIs, in moto and in the real shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.aws.fixtures.network_account import ACCOUNT, REGION, Built
from tests.aws.fixtures.network_waf import LOG_GROUP_ARN, web_acls
from tests.aws.test_network_real_shapes import stub
from tests.conftest import make_context
from wa_review.aws.collectors.apigateway import ApiGatewayCollector
from wa_review.aws.collectors.appsync import AppSyncCollector
from wa_review.aws.collectors.wafv2 import WafV2Collector
from wa_review.aws.context import AwsContext
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.waf import rule_coverage, waf_logging
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.apigateway import ApiGatewaySnapshot, RestApi, RestApiStage
from wa_review.model.snapshots.wafv2 import WafRule, WafSnapshot, WebAcl

COLLECTORS = (WafV2Collector, ApiGatewayCollector, AppSyncCollector)
DENIED = {"__type": "AccessDeniedException", "message": "not authorized"}


def collect(session: Any, install: Callable[[AwsContext], None] = lambda _c: None) -> Collection:
    ctx = make_context(session)
    install(ctx)
    return collect_inventory(ctx, collectors=COLLECTORS)


def by_acl(built: Built, collection: Collection, fn: Any) -> dict[str, Evidence]:
    names = {arn: name for name, arn in built.acls.items()}
    return {
        names.get(e.resource_arn, e.resource_arn): e
        for e in fn(collection.inventories[0], CheckConfig())
    }


def test_rule_coverage_and_logging_in_moto(moto: Any) -> None:
    built = Built()
    web_acls(moto, built)
    collection = collect(moto)
    coverage = by_acl(built, collection, rule_coverage)
    assert {k: e.status for k, e in coverage.items()} == {
        "orders-acl": Status.PASS,
        "empty-acl": Status.FAIL,
        "count-acl": Status.WARN,
    }
    orders = coverage["orders-acl"]
    # The rate rule's geo scope-down and the IP set inside an Or are found.
    assert "has SQL injection, IP sets, geo match, rate-based rule" in orders.summary
    assert "lacks XSS/common rule set" in orders.summary
    assert "on REST API orders-rest stage prod" in orders.summary  # via the stage's webAclArn
    assert [r["name"] for r in orders.details["rules"]] == ["sqli", "flood", "deny-list"]
    empty = coverage["empty-acl"].summary
    assert "rule geo-watch is in Count mode" in empty
    assert "DefaultAction is Allow and no rule blocks" in empty
    assert "AWSManagedRulesCommonRuleSet (core) is overridden to Count" in (
        coverage["count-acl"].summary
    )
    logging = by_acl(built, collection, waf_logging)
    assert {k: e.status for k, e in logging.items()} == {
        "orders-acl": Status.PASS,
        "empty-acl": Status.FAIL,
        "count-acl": Status.FAIL,
    }
    assert LOG_GROUP_ARN in logging["orders-acl"].summary


def test_list_resources_for_web_acl_real_shape(moto: Any) -> None:
    """An AppSync API whose own record names no ACL is still found through the ACL's resources."""
    built = Built()
    web_acls(moto, built)
    gql = moto.client("appsync").create_graphql_api(name="airline", authenticationType="AWS_IAM")
    gql_arn = gql["graphqlApi"]["arn"]
    resources = {"API_GATEWAY": [built.stages["legacy-rest/prod"]], "APPSYNC": [gql_arn]}

    def listed(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if params["WebACLArn"] != built.acls["empty-acl"]:
            return 200, {"ResourceArns": []}
        return 200, {"ResourceArns": resources[params["ResourceType"]]}

    collection = collect(moto, lambda ctx: stub(ctx, "wafv2", "ListResourcesForWebACL", listed))
    waf = collection.inventories[0].get(REGION, WafSnapshot)
    assert waf is not None
    acls = {a.name: a for a in waf.web_acls}
    assert acls["empty-acl"].resources == (built.stages["legacy-rest/prod"], gql_arn)
    assert acls["empty-acl"].resources_error is None
    found = by_acl(built, collection, rule_coverage)
    assert found["empty-acl"].details["protects"] == [
        "REST API legacy-rest stage prod",
        "GraphQL API airline",
    ]


def test_unknown_when_waf_cannot_be_read(moto: Any) -> None:
    built = Built()
    web_acls(moto, built)

    def deny_logging(ctx: AwsContext) -> None:
        def logging_config(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            if params["ResourceArn"] == built.acls["orders-acl"]:
                return 400, DENIED
            return 400, {"__type": "WAFNonexistentItemException", "message": "none"}

        stub(ctx, "wafv2", "GetLoggingConfiguration", logging_config)
        stub(ctx, "wafv2", "GetWebACL", lambda _p: (400, DENIED))

    collection = collect(moto, deny_logging)
    logging = by_acl(built, collection, waf_logging)
    assert logging["orders-acl"].status is Status.UNKNOWN
    assert (
        logging["orders-acl"].summary
    ) == "Could not check logging of web ACL orders-acl: AccessDeniedException"
    assert logging["empty-acl"].status is Status.FAIL
    coverage = by_acl(built, collection, rule_coverage)
    assert {e.status for e in coverage.values()} == {Status.UNKNOWN}

    listing = collect(moto, lambda ctx: stub(ctx, "wafv2", "ListWebACLs", lambda _p: (400, DENIED)))
    (only,) = rule_coverage(listing.inventories[0], CheckConfig())
    assert only.status is Status.UNKNOWN and only.resource_arn == ""
    assert only.summary == "Could not check WAF web ACLs: AccessDeniedException"


def _inventory(*snapshots: Any) -> AccountInventory:
    inv = AccountInventory(ACCOUNT, REGION)
    for snap in snapshots:
        inv.add(REGION, snap)
    return inv


def _api(stage_acl: str | None) -> ApiGatewaySnapshot:
    stage = RestApiStage(
        "prod", f"arn:aws:apigateway:{REGION}::/restapis/a1/stages/prod", stage_acl
    )
    api = RestApi("a1", "orders", "arn", ("REGIONAL",), (), None, False, stages=(stage,))
    return ApiGatewaySnapshot(rest_apis=(api,))


def test_stage_on_a_waf_classic_acl_is_unknown_not_skipped() -> None:
    classic = f"arn:aws:waf-regional:{REGION}:{ACCOUNT}:webacl/abc"
    (only,) = rule_coverage(_inventory(_api(classic), WafSnapshot()), CheckConfig())
    assert only.status is Status.UNKNOWN and only.resource_arn == classic
    assert "not a REGIONAL WAFv2 web ACL" in only.summary


def test_nothing_protected_is_not_applicable() -> None:
    acl = WebAcl("lonely", "1", f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/lonely/1")
    for snapshots in ((_api(None), WafSnapshot(web_acls=(acl,))), (WafSnapshot(web_acls=(acl,)),)):
        (only,) = waf_logging(_inventory(*snapshots), CheckConfig())
        assert only.status is Status.NOT_APPLICABLE


def test_without_api_snapshots_every_associated_acl_is_judged() -> None:
    arn = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/a/1"
    rule = WafRule("sqli", 0, "Block", "", {"SqliMatchStatement": {}})
    acl = WebAcl("a", "1", arn, "Block", (rule,), resources=("arn:aws:appsync:x:y:apis/z",))
    (only,) = rule_coverage(_inventory(WafSnapshot(web_acls=(acl,))), CheckConfig())
    assert only.status is Status.PASS and only.details["protects"] == ["arn:aws:appsync:x:y:apis/z"]
