"""AppSync: GraphQL APIs, their visibility, authorization modes and web ACL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class GraphqlApi:
    api_id: str
    name: str
    arn: str
    visibility: str  # GLOBAL | PRIVATE
    auth_types: tuple[str, ...]  # the default mode first, then the additional ones
    waf_web_acl_arn: str | None
    in_scope: bool = True
    # Set when the API reported no web ACL and the WAF lookup for it failed: the association
    # is then unknown, not absent.
    waf_error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class AppSyncSnapshot:
    service: ClassVar[str] = "appsync"
    apis: tuple[GraphqlApi, ...] = ()
    listing_error: FetchError | None = None
