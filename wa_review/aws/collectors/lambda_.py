"""Lambda collector: functions, their policies (per alias), function URLs and layer policies."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import MISSING_API_CODES, CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.evidence import FetchError
from wa_review.model.snapshots.lambda_ import (
    FunctionUrl,
    LambdaFunction,
    LambdaSnapshot,
    LayerVersion,
    ResourcePolicy,
)

NOT_FOUND = "ResourceNotFoundException"
# What an endpoint without ListFunctionUrlConfigs answers (moto): read URLs one by one there.
_NO_URL_LISTING = (*sorted(MISSING_API_CODES), "ApiUnavailable", "NotImplemented")

# Key-shaped values: long-term (AKIA) and temporary (ASIA) access key ids, and 40-character
# secrets. Only the *fact* is kept; the value never leaves this module.
_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")
_SECRET = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_CREDENTIAL_NAMES = re.compile(
    r"(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|ACCESS_?KEY_?ID|SECRET_?ACCESS_?KEY)",
    re.IGNORECASE,
)


# Some emulators (moto) render AddPermission's FunctionUrlAuthType and AddLayerVersionPermission's
# OrganizationId as statement elements; AWS renders them as conditions. Rewrite them into the AWS
# shape so the judge sees what AWS would have returned, instead of an unknown element.
_ELEMENT_AS_CONDITION = {
    "FunctionUrlAuthType": "lambda:FunctionUrlAuthType",
    "OrganizationId": "aws:PrincipalOrgID",
}


def as_aws_shape(policy: str) -> str:
    try:
        document = json.loads(policy)
    except ValueError:
        return policy  # the judge explains what is wrong with it
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not isinstance(statements, list):
        return policy
    changed = False
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        for element, key in _ELEMENT_AS_CONDITION.items():
            if element in statement and isinstance(statement[element], str):
                condition = statement.setdefault("Condition", {})
                condition.setdefault("StringEquals", {})[key] = statement.pop(element)
                changed = True
    return json.dumps(document) if changed else policy


def looks_like_static_credential(name: str, value: str) -> bool:
    if _CREDENTIAL_NAMES.search(name) or _KEY_ID.search(value):
        return True
    return bool(_SECRET.match(value)) and "SECRET" in name.upper()


class LambdaCollector(Collector[LambdaSnapshot]):
    service: ClassVar[str] = "lambda"
    snapshot_type: ClassVar[type[LambdaSnapshot]] = LambdaSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "lambda:ListFunctions",
        "lambda:ListAliases",
        "lambda:GetPolicy",
        "lambda:ListFunctionUrlConfigs",
        "lambda:GetFunctionUrlConfig",
        "lambda:ListLayers",
        "lambda:ListLayerVersions",
        "lambda:GetLayerVersionPolicy",
    )

    def __init__(self) -> None:
        # Lambda's control-plane quota (15/s shared by ListAliases and the URL reads) sets the
        # pace on a large account, so URLs are listed in one call per function; this turns
        # False once the endpoint shows it lacks that call.
        self._list_urls = True

    def collect(self, api: RegionApi) -> LambdaSnapshot:
        raw, listing_error = api.listing("lambda", "list_functions", "Functions")
        if listing_error is not None and not raw:
            return LambdaSnapshot(listing_error=listing_error)
        functions = api.fan_out(lambda fn: self._function(api, fn), raw)
        used_layers = {layer for fn in functions if fn.in_scope for layer in fn.layers}
        layers, layers_error = self._layers(api, used_layers)
        return LambdaSnapshot(
            functions=tuple(functions),
            layers=tuple(layers),
            layers_error=layers_error,
            listing_error=listing_error,
        )

    def _function(self, api: RegionApi, raw: dict[str, Any]) -> LambdaFunction:
        name, arn = str(raw["FunctionName"]), str(raw["FunctionArn"])
        vpc = raw.get("VpcConfig") or {}
        env = (raw.get("Environment") or {}).get("Variables") or {}
        base = LambdaFunction(
            name=name,
            arn=arn,
            role=str(raw.get("Role", "")),
            runtime=str(raw.get("Runtime", "")),
            vpc_id=str(vpc.get("VpcId") or ""),
            subnet_ids=tuple(vpc.get("SubnetIds") or ()),
            security_group_ids=tuple(vpc.get("SecurityGroupIds") or ()),
            layers=tuple(str(layer["Arn"]) for layer in raw.get("Layers") or ()),
            env_var_names=tuple(sorted(env)),
            static_credential_vars=tuple(
                sorted(k for k, v in env.items() if looks_like_static_credential(k, str(v)))
            ),
            in_scope=api.scope.includes(name, arn),
        )
        if not base.in_scope:  # the network of out-of-scope functions is not judged
            return base
        aliases: tuple[str, ...] = ()
        aliases_error = None
        try:
            listed = api.paginate(
                "lambda", "list_aliases", "Aliases", resource=arn, FunctionName=name
            )
            aliases = tuple(str(a["Name"]) for a in listed)
        except CallFailed as failed:
            aliases_error = failed.error
        policies = [self._policy(api, name, arn, None)]
        policies += [self._policy(api, name, arn, alias) for alias in aliases]
        urls, url_error = self._urls(api, name, arn, aliases)
        return replace(
            base,
            aliases=aliases,
            policies=tuple(policies),
            urls=tuple(urls),
            aliases_error=aliases_error,
            url_error=url_error,
        )

    def _policy(self, api: RegionApi, name: str, arn: str, qualifier: str | None) -> ResourcePolicy:
        target = f"{arn}:{qualifier}" if qualifier else arn
        params: dict[str, Any] = {"FunctionName": name}
        if qualifier:
            params["Qualifier"] = qualifier
        try:
            found = api.call("lambda", "get_policy", resource=target, **params)
        except CallFailed as failed:
            if failed.code == NOT_FOUND:
                return ResourcePolicy(target)
            return ResourcePolicy(target, error=failed.error)
        return ResourcePolicy(target, document=as_aws_shape(str(found["Policy"])))

    def _urls(
        self, api: RegionApi, name: str, arn: str, aliases: tuple[str, ...]
    ) -> tuple[list[FunctionUrl], FetchError | None]:
        """Every URL of the function and its aliases: one listing call where the endpoint has it."""
        if self._list_urls:
            try:
                listed = self._url_listing(api, name, arn)
            except CallFailed as failed:
                if failed.code == NOT_FOUND:  # deleted since ListFunctions
                    return [], None
                if failed.code != "ApiUnavailable":
                    return [], failed.error
                self._list_urls = False
            else:
                return [_function_url(raw, arn) for raw in listed], None
        urls: list[FunctionUrl] = []
        url_error = None
        for qualifier in (None, *aliases):
            try:
                found = self._url(api, name, arn, qualifier)
            except CallFailed as failed:
                url_error = failed.error
                continue
            if found is not None:
                urls.append(found)
        return urls, url_error

    def _url_listing(self, api: RegionApi, name: str, arn: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"FunctionName": name}
        while True:  # a function has at most one URL per qualifier: nearly always one page
            page = api.call(
                "lambda",
                "list_function_url_configs",
                resource=arn,
                absent=(*_NO_URL_LISTING, NOT_FOUND),
                **params,
            )
            items += page.get("FunctionUrlConfigs") or []
            marker = page.get("NextMarker")
            if not marker:
                return items
            params["Marker"] = marker

    def _url(
        self, api: RegionApi, name: str, arn: str, qualifier: str | None
    ) -> FunctionUrl | None:
        params: dict[str, Any] = {"FunctionName": name}
        if qualifier:
            params["Qualifier"] = qualifier
        try:
            found = api.call("lambda", "get_function_url_config", resource=arn, **params)
        except CallFailed as failed:
            if failed.code == NOT_FOUND:
                return None
            raise
        return _function_url(found, arn, qualifier)

    def _layers(self, api: RegionApi, used: set[str]) -> tuple[list[LayerVersion], Any]:
        # What was listed before a page failed is kept (and judged); the error says the list
        # of layers is incomplete.
        layers, error = api.listing("lambda", "list_layers", "Layers")
        versions: list[tuple[str, dict[str, Any]]] = []
        for layer in layers:
            name = str(layer["LayerName"])
            listed, versions_error = api.listing(
                "lambda", "list_layer_versions", "LayerVersions", resource=name, LayerName=name
            )
            error = error or versions_error
            versions += [(name, v) for v in listed]
        return api.fan_out(lambda item: self._layer(api, used, *item), versions), error

    def _layer(
        self, api: RegionApi, used: set[str], name: str, raw: dict[str, Any]
    ) -> LayerVersion:
        arn, number = str(raw["LayerVersionArn"]), int(raw["Version"])
        in_scope = api.scope.mode == "all" or arn in used or api.scope.includes(arn)
        policy = ResourcePolicy(arn)
        if in_scope:
            try:
                found = api.call(
                    "lambda",
                    "get_layer_version_policy",
                    resource=arn,
                    LayerName=name,
                    VersionNumber=number,
                )
                policy = ResourcePolicy(arn, document=as_aws_shape(str(found["Policy"])))
            except CallFailed as failed:
                if failed.code != NOT_FOUND:
                    policy = ResourcePolicy(arn, error=failed.error)
        return LayerVersion(name, arn, number, in_scope, policy)


def _function_url(raw: dict[str, Any], arn: str, qualifier: str | None = None) -> FunctionUrl:
    """A URL config; in a listing the qualifier is the suffix of its FunctionArn."""
    if qualifier is None:
        listed_arn = str(raw.get("FunctionArn") or arn)
        suffix = listed_arn[len(arn) + 1 :] if listed_arn.startswith(f"{arn}:") else ""
        qualifier = suffix or None
    cors = (raw.get("Cors") or {}).get("AllowOrigins") or ()
    return FunctionUrl(
        qualifier, str(raw.get("FunctionUrl", "")), str(raw["AuthType"]), tuple(cors)
    )
