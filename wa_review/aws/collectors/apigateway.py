"""API Gateway collector: REST APIs (policy, stages, methods, authorizers, VPC endpoints) and v2 APIs."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.apigateway import (
    ApiGatewaySnapshot,
    Authorizer,
    HttpApi,
    RestApi,
    RestApiStage,
    RestMethod,
    Route,
)

# EC2 answers these when an id names no endpoint in this account and region.
ENDPOINT_NOT_FOUND = frozenset({"InvalidVpcEndpointId.NotFound", "InvalidVpcEndpointId.Malformed"})
MISSING = "missing"
# EC2's guidance for describe calls: no more than 1,000 ids in one call, pages of up to 1,000.
IDS_PER_CALL = 1000
# Endpoint ids may appear anywhere in the policy text, escaped or not.
_VPCE_ID = re.compile(r"\bvpce-[0-9a-z]+\b")


def vpce_ids_in(policy: str | None) -> tuple[str, ...]:
    """The `vpce-` ids a policy names (for aws:SourceVpce), in order of first mention."""
    return tuple(dict.fromkeys(_VPCE_ID.findall(policy or "")))


def rest_api_arn(region: str, api_id: str) -> str:
    return f"arn:aws:apigateway:{region}::/restapis/{api_id}"


def http_api_arn(region: str, api_id: str) -> str:
    return f"arn:aws:apigateway:{region}::/apis/{api_id}"


class ApiGatewayCollector(Collector[ApiGatewaySnapshot]):
    service: ClassVar[str] = "apigateway"
    snapshot_type: ClassVar[type[ApiGatewaySnapshot]] = ApiGatewaySnapshot
    global_: ClassVar[bool] = False
    # API Gateway authorizes every read (v1 and v2) as apigateway:GET on the resource path.
    iam_actions: ClassVar[tuple[str, ...]] = ("apigateway:GET", "ec2:DescribeVpcEndpoints")

    def collect(self, api: RegionApi) -> ApiGatewaySnapshot:
        rest_apis: tuple[RestApi, ...] = ()
        raw, listing_error = api.listing("apigateway", "get_rest_apis", "items")
        if raw or listing_error is None:
            read = api.fan_out(lambda item: self._rest_api(api, item), raw)
            rest_apis = tuple(self._with_endpoint_states(api, read))
        raw_v2, v2_error = api.listing("apigatewayv2", "get_apis", "Items")
        http_apis = tuple(api.fan_out(lambda item: self._http_api(api, item), raw_v2))
        return ApiGatewaySnapshot(
            rest_apis=rest_apis,
            http_apis=http_apis,
            listing_error=listing_error,
            v2_listing_error=v2_error,
        )

    # -- REST APIs ---------------------------------------------------------------------------

    def _rest_api(self, api: RegionApi, raw: dict[str, Any]) -> RestApi:
        api_id, name = str(raw["id"]), str(raw.get("name", ""))
        arn = rest_api_arn(api.region, api_id)
        endpoint = raw.get("endpointConfiguration") or {}
        base = RestApi(
            id=api_id,
            name=name,
            arn=arn,
            endpoint_types=tuple(str(t) for t in endpoint.get("types") or ()),
            vpc_endpoint_ids=tuple(str(v) for v in endpoint.get("vpcEndpointIds") or ()),
            policy=str(raw["policy"]) if raw.get("policy") else None,
            disable_execute_api_endpoint=bool(raw.get("disableExecuteApiEndpoint")),
            in_scope=api.scope.includes(api_id, name, arn),
        )
        if not base.in_scope:
            return base
        stages: tuple[RestApiStage, ...] = ()
        stages_error = methods_error = None
        try:
            found = api.call("apigateway", "get_stages", resource=arn, restApiId=api_id)
            stages = tuple(
                RestApiStage(
                    name=str(s["stageName"]),
                    arn=f"{arn}/stages/{s['stageName']}",
                    web_acl_arn=str(s["webAclArn"]) if s.get("webAclArn") else None,
                )
                for s in found.get("item") or ()
            )
        except CallFailed as failed:
            stages_error = failed.error
        methods: tuple[RestMethod, ...] = ()
        authorizers: tuple[Authorizer, ...] = ()
        try:
            methods = self._methods(api, api_id, arn)
            listed = api.paginate(
                "apigateway", "get_authorizers", "items", resource=arn, restApiId=api_id
            )
            authorizers = tuple(
                Authorizer(str(a["id"]), str(a.get("name", "")), str(a.get("type", "")))
                for a in listed
            )
        except CallFailed as failed:
            methods_error = failed.error
        judged = [m for m in methods if m.http_method != "OPTIONS"]
        return replace(
            base,
            stages=stages,
            authorizers=authorizers,
            methods=methods,
            methods_without_auth=tuple(
                m.label for m in judged if m.authorization_type == "NONE" and not m.api_key_required
            ),
            methods_api_key_only=tuple(
                m.label for m in judged if m.authorization_type == "NONE" and m.api_key_required
            ),
            stages_error=stages_error,
            methods_error=methods_error,
            error=stages_error or methods_error,
        )

    def _methods(self, api: RegionApi, api_id: str, arn: str) -> tuple[RestMethod, ...]:
        resources = api.paginate(
            "apigateway",
            "get_resources",
            "items",
            resource=arn,
            restApiId=api_id,
            embed=["methods"],
        )
        methods: list[RestMethod] = []
        for resource in sorted(resources, key=lambda r: str(r.get("path", ""))):
            path = str(resource.get("path", ""))
            for verb, body in sorted((resource.get("resourceMethods") or {}).items()):
                if "authorizationType" not in (body or {}):
                    # Without the embed the listing holds empty method stubs: read the method.
                    body = api.call(
                        "apigateway",
                        "get_method",
                        resource=arn,
                        restApiId=api_id,
                        resourceId=resource["id"],
                        httpMethod=verb,
                    )
                methods.append(
                    RestMethod(
                        http_method=str(verb),
                        path=path,
                        authorization_type=str(body.get("authorizationType", "NONE")),
                        authorizer_id=str(body["authorizerId"])
                        if body.get("authorizerId")
                        else None,
                        api_key_required=bool(body.get("apiKeyRequired")),
                    )
                )
        return tuple(methods)

    def _with_endpoint_states(self, api: RegionApi, apis: list[RestApi]) -> list[RestApi]:
        """Attach the EC2 state of every VPC endpoint a private API names."""
        wanted = {
            a.id: tuple(dict.fromkeys(a.vpc_endpoint_ids + vpce_ids_in(a.policy)))
            for a in apis
            if a.in_scope and a.is_private
        }
        ids = sorted({vpce for named in wanted.values() for vpce in named})
        states = self._endpoint_states(api, ids) if ids else {}
        out: list[RestApi] = []
        for item in apis:
            named = wanted.get(item.id)
            if not named:
                out.append(item)
                continue
            errors = [s for v in named if isinstance(s := states[v], FetchError)]
            out.append(
                replace(
                    item,
                    vpc_endpoint_states=tuple(
                        (v, s) for v in named if isinstance(s := states[v], str)
                    ),
                    vpc_endpoints_error=errors[0] if errors else None,
                )
            )
        return out

    def _endpoint_states(self, api: RegionApi, ids: list[str]) -> dict[str, str | FetchError]:
        """The state of each endpoint id (MISSING when EC2 knows none), read in one batch.

        EC2 fails a batch by id as a whole when any id is unknown or malformed (another
        account's endpoint, a deleted one, a typo in a policy); then every endpoint of the
        region is listed once and the ids looked up in it. (The `vpc-endpoint-id` filter would
        also skip unknown ids, but emulators such as moto lack it.)
        """
        try:
            found = [
                endpoint
                for start in range(0, len(ids), IDS_PER_CALL)
                for endpoint in self._described(
                    api, VpcEndpointIds=ids[start : start + IDS_PER_CALL]
                )
            ]
        except CallFailed as failed:
            if failed.code not in ENDPOINT_NOT_FOUND:
                return dict.fromkeys(ids, failed.error)
            try:
                found = self._described(api, MaxResults=IDS_PER_CALL)
            except CallFailed as listing_failed:
                return dict.fromkeys(ids, listing_failed.error)
        states = {str(e.get("VpcEndpointId")): str(e.get("State", "")).lower() for e in found}
        return {vpce: states.get(vpce, MISSING) for vpce in ids}

    def _described(self, api: RegionApi, **params: Any) -> list[dict[str, Any]]:
        """Every page of DescribeVpcEndpoints; an unknown id is an answer, so not recorded."""
        endpoints: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = api.call(
                "ec2",
                "describe_vpc_endpoints",
                resource=", ".join(params.get("VpcEndpointIds") or ()),
                absent=tuple(ENDPOINT_NOT_FOUND),
                **params,
                **({"NextToken": token} if token else {}),
            )
            endpoints += page.get("VpcEndpoints") or ()
            # No early exit on cancel: a partial listing would call present endpoints missing.
            token = page.get("NextToken")
            if not token:
                return endpoints

    # -- v2: HTTP and WebSocket APIs -----------------------------------------------------------

    def _http_api(self, api: RegionApi, raw: dict[str, Any]) -> HttpApi:
        api_id, name = str(raw["ApiId"]), str(raw.get("Name", ""))
        arn = http_api_arn(api.region, api_id)
        protocol = str(raw.get("ProtocolType", "HTTP"))
        base = HttpApi(
            id=api_id,
            name=name,
            arn=arn,
            protocol=protocol,
            in_scope=api.scope.includes(api_id, name, arn),
            disable_execute_api_endpoint=bool(raw.get("DisableExecuteApiEndpoint")),
        )
        if not base.in_scope:
            return base
        try:
            listed = api.paginate("apigatewayv2", "get_routes", "Items", resource=arn, ApiId=api_id)
            routes = tuple(
                Route(
                    route_key=str(r.get("RouteKey", "")),
                    authorization_type=str(r.get("AuthorizationType") or "NONE"),
                    authorizer_id=str(r["AuthorizerId"]) if r.get("AuthorizerId") else None,
                    api_key_required=bool(r.get("ApiKeyRequired")),
                )
                for r in listed
            )
            # Only the authorizers routes use matter; GetAuthorizer per id keeps this to them.
            used = sorted({r.authorizer_id for r in routes if r.authorizer_id})
            authorizers = tuple(self._v2_authorizer(api, api_id, arn, a) for a in used)
        except CallFailed as failed:
            return replace(base, error=failed.error)
        open_routes = sorted(
            r.route_key
            for r in routes
            if r.authorization_type == "NONE"
            and (protocol != "WEBSOCKET" or r.route_key == "$connect")
        )
        if protocol == "WEBSOCKET" and not any(r.route_key == "$connect" for r in routes):
            open_routes.append("$connect")  # no $connect route: every connection is accepted
        return replace(
            base,
            routes=tuple(sorted(routes, key=lambda r: r.route_key)),
            authorizers=authorizers,
            routes_without_auth=tuple(open_routes),
        )

    def _v2_authorizer(self, api: RegionApi, api_id: str, arn: str, auth_id: str) -> Authorizer:
        found = api.call(
            "apigatewayv2", "get_authorizer", resource=arn, ApiId=api_id, AuthorizerId=auth_id
        )
        return Authorizer(auth_id, str(found.get("Name", "")), str(found.get("AuthorizerType", "")))
