"""API Gateway network controls: WAF on REST stages, private APIs pinned to VPC endpoints (a2)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.apigateway import judge_rest_api, networks_of, rest_apis, vpce_ids_of
from wa_review.checks.support.helpers import Emitter, reasons_of, with_fallback
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.apigateway import ApiGatewaySnapshot, RestApi
from wa_review.policy import AccessClass

AVAILABLE = "available"


@check(
    "apigateway.stage_waf",
    title="REST API stages are protected by an AWS WAF web ACL",
    severity=Severity.MEDIUM,
    service="apigateway",
    rationale="A web ACL on the stage filters requests before they reach authorizers and "
    "integrations: IP and geo rules, rate limits, and managed rules against SQL injection and "
    "cross-site scripting. Stages of private APIs only see traffic from VPC endpoints, so a missing "
    "web ACL there warns instead of failing. HTTP APIs cannot be associated with AWS WAF and are "
    "not judged here (front them with CloudFront and WAF if needed).",
    remediation="Create a regional web ACL (for example with AWSManagedRulesCommonRuleSet and a "
    "rate-based rule) and associate it with each stage: `aws wafv2 associate-web-acl --web-acl-arn "
    "ACL --resource-arn arn:aws:apigateway:REGION::/restapis/ID/stages/STAGE`.",
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html",
        "https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works.html",
    ),
)
def stage_waf(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, snap in rest_apis(inv):
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "REST APIs", listed=len(snap.rest_apis)
            )
            yield from _stage_evidence(snap, region, emit)
            continue
        yield from with_fallback(
            _stage_evidence(snap, region, emit),
            emit.not_applicable(region, "deployed REST API stages"),
        )


def _stage_evidence(snap: ApiGatewaySnapshot, region: str, emit: Emitter) -> Iterator[Evidence]:
    for api in snap.rest_apis:
        if not api.in_scope:
            continue
        if api.stages_error is not None:
            yield emit.unknown(api.arn, region, api.stages_error, f"the stages of {api.name}")
            continue
        for stage in api.stages:
            label = f"{api.name}/{stage.name}"
            if stage.web_acl_arn:
                yield emit(
                    Status.PASS,
                    stage.arn,
                    region,
                    f"{label}: web ACL {web_acl_name(stage.web_acl_arn)} is associated",
                    web_acl_arn=stage.web_acl_arn,
                )
            elif api.is_private:
                yield emit(
                    Status.WARN,
                    stage.arn,
                    region,
                    f"{label}: no web ACL; the API is private, so only traffic from VPC "
                    "endpoints reaches it, but WAF would still filter requests from inside the VPC",
                )
            else:
                kind = "/".join(api.endpoint_types) or "public"
                yield emit(
                    Status.FAIL,
                    stage.arn,
                    region,
                    f"{label}: no web ACL on a {kind} endpoint; requests reach the API unfiltered",
                )


@check(
    "apigateway.private_endpoint_restricted",
    title="Private REST APIs accept calls only from named, available VPC endpoints",
    severity=Severity.HIGH,
    service="apigateway",
    rationale="A private API is reachable from any execute-api interface endpoint, in any VPC and "
    "any account, that its resource policy allows. Limiting the policy to aws:SourceVpce (or "
    "aws:SourceVpc), with an Allow condition or a Deny-unless statement, keeps traffic on the "
    "intended networks; the endpoints named must exist and be available, or the policy protects "
    "nothing real. Passes only when every grant is so limited and each named endpoint is "
    "available; warns when callers are limited by account or organization but not by network.",
    remediation="Add a Deny statement for execute-api:Invoke with `StringNotEquals aws:SourceVpce` "
    "listing your endpoints (or an Allow with `StringEquals aws:SourceVpce`), redeploy the API, and "
    "remove ids of endpoints that no longer exist.",
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html#apigateway-resource-policies-source-vpc-example",
    ),
)
def private_endpoint_restricted(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    for region, snap in rest_apis(inv):
        private = [a for a in snap.rest_apis if a.in_scope and a.is_private]
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "REST APIs", listed=len(snap.rest_apis)
            )
        elif not private:
            yield emit.not_applicable(region, "private REST APIs")
        for api in private:
            yield _private_evidence(api, region, inv, cfg, emit)


def _private_evidence(
    api: RestApi, region: str, inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Evidence:
    judged = judge_rest_api(api, inv, cfg)
    states = dict(api.vpc_endpoint_states)
    details = {"vpc_endpoint_ids": list(api.vpc_endpoint_ids), "vpc_endpoint_states": states}
    if judged.problem is not None:
        return emit(Status.UNKNOWN, api.arn, region, f"{api.name}: {judged.problem}")
    verdict = judged.verdict
    if verdict is None:
        return emit(
            Status.FAIL,
            api.arn,
            region,
            f"{api.name}: no resource policy, so no VPC endpoint restriction",
            **details,
        )
    if AccessClass.PUBLIC in verdict.classes:
        return emit(
            Status.FAIL,
            api.arn,
            region,
            f"{api.name}: the policy lets any caller in through any execute-api VPC endpoint",
            **details,
            reasons=reasons_of(verdict, AccessClass.PUBLIC),
        )
    if verdict.most_open is AccessClass.UNKNOWN:
        return emit(
            Status.UNKNOWN,
            api.arn,
            region,
            f"{api.name}: the policy could not be judged",
            **details,
            reasons=reasons_of(verdict),
        )
    if not judged.vpc_only:
        return emit(
            Status.WARN,
            api.arn,
            region,
            f"{api.name}: the policy does not limit callers to aws:SourceVpce or aws:SourceVpc "
            "(any VPC endpoint that can reach the API may be used)",
            **details,
            reasons=reasons_of(verdict),
        )
    named = vpce_ids_of(verdict)
    if named and api.vpc_endpoints_error is not None:
        return emit.unknown(
            api.arn, region, api.vpc_endpoints_error, f"the VPC endpoints of {api.name}"
        )
    bad = [_state_of(v, states) for v in named if states.get(v) != AVAILABLE]
    if bad:
        return emit(
            Status.FAIL,
            api.arn,
            region,
            f"{api.name}: the policy limits callers to VPC endpoints, but {', '.join(bad)} "
            f"{'is' if len(bad) == 1 else 'are'} not available in this account and region",
            **details,
            reasons=reasons_of(verdict),
        )
    networks = ", ".join(networks_of(verdict))
    return emit(
        Status.PASS,
        api.arn,
        region,
        f"{api.name}: callers are limited to {networks}"
        + (" (all available)" if named else " (VPCs; endpoints not pinned)"),
        **details,
        reasons=reasons_of(verdict),
    )


def _state_of(vpce: str, states: dict[str, str]) -> str:
    if "*" in vpce or "?" in vpce:
        return f"{vpce} (a pattern, not one endpoint)"
    return f"{vpce} ({states.get(vpce, 'not looked up')})"


def web_acl_name(arn: str) -> str:
    """`.../webacl/NAME/ID` -> NAME; the ARN itself when it has another shape."""
    parts = arn.split("/")
    return parts[-2] if len(parts) >= 3 and parts[-3].endswith("webacl") else arn
