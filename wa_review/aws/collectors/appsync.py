"""AppSync collector: GraphQL APIs with visibility, authorization modes and their web ACL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.appsync import AppSyncSnapshot, GraphqlApi

# WAF answers this when it knows no association for the resource.
WAF_NOT_FOUND = "WAFNonexistentItemException"


class AppSyncCollector(Collector[AppSyncSnapshot]):
    service: ClassVar[str] = "appsync"
    snapshot_type: ClassVar[type[AppSyncSnapshot]] = AppSyncSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "appsync:ListGraphqlApis",
        "wafv2:GetWebACLForResource",
        # GetWebACLForResource checks the caller may read the web ACL it returns.
        "wafv2:GetWebACL",
    )

    def collect(self, api: RegionApi) -> AppSyncSnapshot:
        raw, listing_error = api.listing("appsync", "list_graphql_apis", "graphqlApis")
        apis = tuple(api.fan_out(lambda item: self._api(api, item), raw))
        return AppSyncSnapshot(apis=apis, listing_error=listing_error)

    def _api(self, api: RegionApi, raw: dict[str, Any]) -> GraphqlApi:
        api_id, name, arn = str(raw["apiId"]), str(raw.get("name", "")), str(raw["arn"])
        modes = [raw.get("authenticationType")]
        modes += [
            p.get("authenticationType") for p in raw.get("additionalAuthenticationProviders") or ()
        ]
        found = GraphqlApi(
            api_id=api_id,
            name=name,
            arn=arn,
            visibility=str(raw.get("visibility") or "GLOBAL"),
            auth_types=tuple(dict.fromkeys(str(m) for m in modes if m)),
            waf_web_acl_arn=str(raw["wafWebAclArn"]) if raw.get("wafWebAclArn") else None,
            in_scope=api.scope.includes(api_id, name, arn),
        )
        if not found.in_scope or found.waf_web_acl_arn:
            return found
        # Some endpoints (moto among them) leave wafWebAclArn empty after an association, so an
        # empty field is confirmed with WAF itself before it counts as "no web ACL".
        try:
            answer = api.call(
                "wafv2",
                "get_web_acl_for_resource",
                resource=arn,
                absent=(WAF_NOT_FOUND,),
                ResourceArn=arn,
            )
        except CallFailed as failed:
            if failed.code == WAF_NOT_FOUND:
                return found
            return replace(found, waf_error=failed.error)
        acl = (answer.get("WebACL") or {}).get("ARN")
        return replace(found, waf_web_acl_arn=str(acl) if acl else None)
