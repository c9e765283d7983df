"""AppSync: GraphQL APIs protected by AWS WAF (practice a2)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.apigateway_network import web_acl_name
from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.appsync import AppSyncSnapshot, GraphqlApi


@check(
    "appsync.api_waf",
    title="AppSync GraphQL APIs are protected by an AWS WAF web ACL",
    severity=Severity.MEDIUM,
    service="appsync",
    rationale="A web ACL in front of a GraphQL endpoint blocks abusive clients (rate-based rules, "
    "IP and geo rules) and common injection payloads before resolvers run; GraphQL queries are "
    "cheap to send and can be costly to answer. A PRIVATE API is reachable only from VPC endpoints, "
    "so a missing web ACL there warns instead of failing.",
    remediation="Associate a regional web ACL with the API: `aws wafv2 associate-web-acl "
    "--web-acl-arn ACL --resource-arn arn:aws:appsync:REGION:ACCOUNT:apis/API_ID`.",
    references=(
        "https://docs.aws.amazon.com/appsync/latest/devguide/WAF-Integration.html",
        "https://docs.aws.amazon.com/appsync/latest/devguide/using-private-apis.html",
    ),
)
def api_waf(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, snap in inv.each(AppSyncSnapshot):
        apis = [a for a in snap.apis if a.in_scope]
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "AppSync GraphQL APIs", listed=len(snap.apis)
            )
        elif not apis:
            yield emit.not_applicable(region, "AppSync GraphQL APIs")
        for api in apis:
            yield _waf_evidence(api, region, emit)


def _waf_evidence(api: GraphqlApi, region: str, emit: Emitter) -> Evidence:
    label = f"{api.name} ({api.visibility})"
    details = {"visibility": api.visibility, "auth_types": list(api.auth_types)}
    if api.waf_web_acl_arn:
        return emit(
            Status.PASS,
            api.arn,
            region,
            f"{label}: web ACL {web_acl_name(api.waf_web_acl_arn)} is associated",
            web_acl_arn=api.waf_web_acl_arn,
            **details,
        )
    if api.waf_error is not None:
        return emit.unknown(api.arn, region, api.waf_error, f"the web ACL of {api.name}")
    if api.visibility == "PRIVATE":
        return emit(
            Status.WARN,
            api.arn,
            region,
            f"{label}: no web ACL; the API is private, so only traffic from VPC endpoints "
            "reaches it, but WAF would still rate-limit and filter it",
            **details,
        )
    return emit(
        Status.FAIL,
        api.arn,
        region,
        f"{label}: no web ACL on a public GraphQL endpoint; requests reach the resolvers unfiltered",
        **details,
    )
