"""API Gateway: REST APIs (v1) with stages, methods and authorizers; HTTP and WebSocket APIs (v2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError

PRIVATE = "PRIVATE"


@dataclass(frozen=True, slots=True)
class RestApiStage:
    name: str
    arn: str  # arn:aws:apigateway:REGION::/restapis/ID/stages/NAME (what WAF associates with)
    web_acl_arn: str | None


@dataclass(frozen=True, slots=True)
class Authorizer:
    id: str
    name: str
    type: str  # REST: TOKEN | REQUEST | COGNITO_USER_POOLS; v2: REQUEST | JWT


@dataclass(frozen=True, slots=True)
class RestMethod:
    """One method of one resource, e.g. GET /orders."""

    http_method: str
    path: str
    authorization_type: str  # NONE | AWS_IAM | CUSTOM | COGNITO_USER_POOLS
    authorizer_id: str | None = None
    api_key_required: bool = False

    @property
    def label(self) -> str:
        return f"{self.http_method} {self.path}"


@dataclass(frozen=True, slots=True)
class RestApi:
    id: str
    name: str
    arn: str  # arn:aws:apigateway:REGION::/restapis/ID
    endpoint_types: tuple[str, ...]  # EDGE | REGIONAL | PRIVATE
    vpc_endpoint_ids: tuple[str, ...]
    # The policy text exactly as the API returned it: real AWS escapes it
    # ({\"Version\":...\/...}); moto returns plain JSON. The policy judge reads both.
    policy: str | None
    disable_execute_api_endpoint: bool
    stages: tuple[RestApiStage, ...] = ()
    authorizers: tuple[Authorizer, ...] = ()
    # "GET /orders": non-OPTIONS methods with authorizationType NONE and no API key required.
    methods_without_auth: tuple[str, ...] = ()
    in_scope: bool = True
    # The first per-API read that failed (stages, resources/methods or authorizers).
    error: FetchError | None = None
    methods: tuple[RestMethod, ...] = ()
    # Non-OPTIONS methods whose only gate is an API key (authorizationType NONE + key required).
    methods_api_key_only: tuple[str, ...] = ()
    # (vpce id, state) for every endpoint named by vpcEndpointIds or the policy, PRIVATE APIs
    # only; state is the EC2 State (available, pending, ...) or "missing" when EC2 has no such
    # endpoint in this account and region.
    vpc_endpoint_states: tuple[tuple[str, str], ...] = ()
    stages_error: FetchError | None = None
    methods_error: FetchError | None = None
    vpc_endpoints_error: FetchError | None = None

    @property
    def is_private(self) -> bool:
        return PRIVATE in self.endpoint_types


@dataclass(frozen=True, slots=True)
class Route:
    route_key: str  # "GET /items", "$connect", "$default"
    authorization_type: str  # NONE | AWS_IAM | CUSTOM | JWT
    authorizer_id: str | None = None
    api_key_required: bool = False


@dataclass(frozen=True, slots=True)
class HttpApi:
    """An API Gateway v2 API: protocol HTTP or WEBSOCKET."""

    id: str
    name: str
    arn: str  # arn:aws:apigateway:REGION::/apis/ID
    protocol: str
    # Route keys that reach the integration without authorization. For WebSocket APIs only
    # $connect can carry an authorizer, so only $connect is judged.
    routes_without_auth: tuple[str, ...] = ()
    authorizers: tuple[Authorizer, ...] = ()
    in_scope: bool = True
    error: FetchError | None = None
    routes: tuple[Route, ...] = ()
    disable_execute_api_endpoint: bool = False


@dataclass(frozen=True, slots=True)
class ApiGatewaySnapshot:
    service: ClassVar[str] = "apigateway"
    rest_apis: tuple[RestApi, ...] = ()
    http_apis: tuple[HttpApi, ...] = ()
    listing_error: FetchError | None = None  # GetRestApis
    v2_listing_error: FetchError | None = None  # apigatewayv2 GetApis
