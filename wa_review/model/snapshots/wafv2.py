"""WAFv2 (REGIONAL): web ACLs with their rules, what they protect, and their logging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class WafRule:
    """One rule of a web ACL, with its statement exactly as get_web_acl returned it."""

    name: str
    priority: int
    # Block | Allow | Count | Captcha | Challenge for a rule; "" for a rule group reference.
    action: str
    # None | Count for a rule group reference (managed or custom); "" for a rule.
    override_action: str
    statement: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WebAcl:
    name: str
    id: str
    arn: str
    default_action: str = ""  # Allow | Block ("" when get_web_acl failed)
    rules: tuple[WafRule, ...] = ()
    # Resources the ACL protects, from list_resources_for_web_acl (API_GATEWAY, APPSYNC).
    resources: tuple[str, ...] = ()
    # Set when that list could not be read (moto lacks the API): fall back to what the
    # API Gateway stages and AppSync APIs say about their own web ACL.
    resources_error: FetchError | None = None
    logging_destinations: tuple[str, ...] = ()  # empty = no logging configuration
    logging_error: FetchError | None = None
    error: FetchError | None = None  # get_web_acl failed: rules unknown


@dataclass(frozen=True, slots=True)
class IpSet:
    name: str
    id: str
    arn: str
    ip_version: str = ""
    address_count: int | None = None  # None when get_ip_set was not called or failed
    error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class WafSnapshot:
    service: ClassVar[str] = "wafv2"
    web_acls: tuple[WebAcl, ...] = ()
    ip_sets: tuple[IpSet, ...] = ()
    listing_error: FetchError | None = None
    ip_sets_error: FetchError | None = None
