"""API Gateway resource policies and method authorization (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from wa_review.checks.support.helpers import Emitter, judge_document, reasons_of, with_fallback
from wa_review.checks.support.policy_grading import grade_verdict
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.apigateway import ApiGatewaySnapshot, HttpApi, RestApi
from wa_review.policy import AccessClass, Verdict

POLICY_DOCS = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html"
)
AUTH_DOCS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html"
NO_POLICY_REGIONAL = (
    "no resource policy: anyone who reaches the endpoint gets to the authorizer/integration; "
    "the policy is evaluated before a Lambda authorizer"
)
NO_POLICY_PRIVATE = (
    "PRIVATE API without a resource policy: which VPC endpoints and accounts may call it is "
    "not defined (API Gateway refuses every call until a policy allows it)"
)


@dataclass(frozen=True, slots=True)
class JudgedPolicy:
    """A REST API's policy as the judge read it; `verdict` is None when there is no policy."""

    verdict: Verdict | None
    problem: str | None = None  # set when the text could not be read as a policy

    @property
    def vpc_only(self) -> bool:
        """Every grant is limited to named VPCs or VPC endpoints (aws:SourceVpc/SourceVpce)."""
        return self.verdict is not None and vpc_restricted(self.verdict)


def vpc_restricted(verdict: Verdict) -> bool:
    reasons = [r for r in verdict.reasons if not r.never_applies]  # those grant nothing
    return bool(reasons) and all(
        r.access_class is AccessClass.NETWORK_RESTRICTED
        and r.network
        and all(n.startswith(("vpce-", "vpc-")) for n in r.network)
        for r in reasons
    )


def vpce_ids_of(verdict: Verdict) -> tuple[str, ...]:
    """The VPC endpoint ids the grants are limited to."""
    return tuple(n for n in networks_of(verdict) if n.startswith("vpce-"))


def networks_of(verdict: Verdict) -> tuple[str, ...]:
    """Every network (vpce, vpc, CIDR) a grant is limited to, in order of first mention."""
    return tuple(dict.fromkeys(n for r in verdict.reasons for n in r.network))


def judge_rest_api(api: RestApi, inv: AccountInventory, cfg: CheckConfig) -> JudgedPolicy:
    if api.policy is None:
        return JudgedPolicy(None)
    verdict = judge_document(api.policy, inv.account, "apigateway", api.arn, cfg)
    if isinstance(verdict, str):
        return JudgedPolicy(None, problem=verdict)
    return JudgedPolicy(verdict)


def rest_apis(inv: AccountInventory) -> Iterator[tuple[str, ApiGatewaySnapshot]]:
    yield from inv.each(ApiGatewaySnapshot)


@check(
    "apigateway.rest_api_policy",
    title="REST API resource policies restrict who can call the API",
    severity=Severity.HIGH,
    service="apigateway",
    rationale="The resource policy is evaluated before any Lambda authorizer or integration runs, so "
    "it is the place to limit callers by account, organization, source IP, VPC or VPC endpoint. A "
    "private API needs one to be callable at all, and a policy that lets anyone in leaves only the "
    "authorizer between the internet and the backend. Passes when every grant is limited to this "
    "account, the organization, pinned services or named networks; warns for other accounts and "
    "for public endpoints without a policy.",
    remediation="Attach a resource policy that allows execute-api:Invoke only to the callers the API "
    "serves (aws:SourceVpce, aws:SourceIp, aws:PrincipalOrgID or account principals), then redeploy "
    "the API: `aws apigateway update-rest-api --patch-operations op=replace,path=/policy,value=...`.",
    references=(
        POLICY_DOCS,
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html",
    ),
)
def rest_api_policy(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, snap in rest_apis(inv):
        if snap.listing_error is not None:
            yield emit.unknown("", region, snap.listing_error, "REST APIs")
            continue
        apis = [a for a in snap.rest_apis if a.in_scope]
        if not apis:
            yield emit.not_applicable(region, "REST APIs")
        for api in apis:
            yield _policy_evidence(api, region, inv, cfg, emit)


def _policy_evidence(
    api: RestApi, region: str, inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Evidence:
    kind = "/".join(api.endpoint_types) or "REST"
    label = f"{api.name} ({kind})"
    judged = judge_rest_api(api, inv, cfg)
    if judged.problem is not None:
        return emit(
            Status.UNKNOWN, api.arn, region, f"{label}: {judged.problem}", policy=api.policy
        )
    if judged.verdict is None:
        if api.is_private:
            return emit(Status.FAIL, api.arn, region, f"{label}: {NO_POLICY_PRIVATE}")
        return emit(Status.WARN, api.arn, region, f"{label}: {NO_POLICY_REGIONAL}")
    grade = grade_verdict(judged.verdict)
    text = grade.text
    networks = networks_of(judged.verdict)
    if grade.status is Status.PASS and networks:
        text += f" ({', '.join(networks)})"
    return emit(grade.status, api.arn, region, f"{label}: {text}", **grade.details)


@check(
    "apigateway.authorizers",
    title="Every API method and route requires authorization",
    severity=Severity.HIGH,
    service="apigateway",
    rationale="A method or route with authorization NONE runs its integration for any caller who "
    "can reach the endpoint. IAM, Cognito user pools, JWT and Lambda authorizers identify the caller; "
    "an API key only meters a client for usage plans and is not authorization (warn). A private "
    "API limited to VPC endpoints narrows who can reach it, so open methods there warn instead of "
    "fail. OPTIONS methods (CORS preflight) and WebSocket routes other than $connect are not judged.",
    remediation="Set an authorizer on each method (`aws apigateway update-method ... "
    "op=replace,path=/authorizationType,value=AWS_IAM|COGNITO_USER_POOLS|CUSTOM`) or route "
    "(`aws apigatewayv2 update-route --authorization-type JWT|AWS_IAM|CUSTOM`), then redeploy.",
    references=(
        AUTH_DOCS,
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
    ),
)
def authorizers(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    for region, snap in rest_apis(inv):
        yield from with_fallback(
            _auth_evidence(snap, region, inv, cfg, emit),
            emit.not_applicable(region, "REST, HTTP or WebSocket APIs"),
        )


def _auth_evidence(
    snap: ApiGatewaySnapshot, region: str, inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    if snap.listing_error is not None:
        yield emit.unknown("", region, snap.listing_error, "REST APIs")
    else:
        for api in snap.rest_apis:
            if api.in_scope:
                yield _rest_auth(api, region, inv, cfg, emit)
    if snap.v2_listing_error is not None:
        yield emit.unknown("", region, snap.v2_listing_error, "HTTP and WebSocket APIs")
    else:
        for http in snap.http_apis:
            if http.in_scope:
                yield _http_auth(http, region, emit)


def _rest_auth(
    api: RestApi, region: str, inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Evidence:
    if api.methods_error is not None:
        return emit.unknown(api.arn, region, api.methods_error, f"the methods of {api.name}")
    judged = [m for m in api.methods if m.http_method != "OPTIONS"]
    details = {
        "methods": {m.label: m.authorization_type for m in judged},
        "authorizers": [{"id": a.id, "name": a.name, "type": a.type} for a in api.authorizers],
    }
    if api.methods_without_auth:
        names = ", ".join(api.methods_without_auth)
        policy = judge_rest_api(api, inv, cfg) if api.is_private else None
        if policy is not None and policy.vpc_only and policy.verdict is not None:
            reach = ", ".join(vpce_ids_of(policy.verdict)) or "named VPCs"
            return emit(
                Status.WARN,
                api.arn,
                region,
                f"{api.name}: {names} {_have(api.methods_without_auth)} no authorization; the "
                f"private API is reachable only through {reach}, so anyone inside those networks "
                "can call it",
                **details,
                reasons=reasons_of(policy.verdict),
            )
        return emit(
            Status.FAIL,
            api.arn,
            region,
            f"{api.name}: {names} {_have(api.methods_without_auth)} no authorization "
            "(authorizationType NONE, no API key)",
            **details,
        )
    if api.methods_api_key_only:
        names = ", ".join(api.methods_api_key_only)
        return emit(
            Status.WARN,
            api.arn,
            region,
            f"{api.name}: {names} {'is' if len(api.methods_api_key_only) == 1 else 'are'} gated "
            "only by an API key; keys identify clients for usage plans and throttling, they do "
            "not authorize callers",
            **details,
        )
    if not judged:
        return emit(Status.PASS, api.arn, region, f"{api.name}: no methods are defined")
    kinds = ", ".join(sorted({m.authorization_type for m in judged}))
    return emit(
        Status.PASS,
        api.arn,
        region,
        f"{api.name}: {_all(len(judged), 'method')} authorization ({kinds})",
        **details,
    )


def _http_auth(api: HttpApi, region: str, emit: Emitter) -> Evidence:
    label = f"{api.name} ({api.protocol})"
    if api.error is not None:
        return emit.unknown(api.arn, region, api.error, f"the routes of {api.name}")
    details = {
        "routes": {r.route_key: r.authorization_type for r in api.routes},
        "authorizers": [{"id": a.id, "name": a.name, "type": a.type} for a in api.authorizers],
    }
    if api.routes_without_auth:
        names = ", ".join(api.routes_without_auth)
        return emit(
            Status.FAIL,
            api.arn,
            region,
            f"{label}: {names} {_have(api.routes_without_auth)} no authorization",
            **details,
        )
    if api.protocol == "WEBSOCKET":
        text = "$connect requires authorization"
    else:
        kinds = ", ".join(sorted({r.authorization_type for r in api.routes})) or "no routes"
        text = f"{_all(len(api.routes), 'route')} authorization ({kinds})"
    return emit(Status.PASS, api.arn, region, f"{label}: {text}", **details)


def _have(items: tuple[str, ...]) -> str:
    return "has" if len(items) == 1 else "have"


def _all(count: int, noun: str) -> str:
    """'the only method requires' / 'all 3 methods require'."""
    return f"the only {noun} requires" if count == 1 else f"all {count} {noun}s require"
