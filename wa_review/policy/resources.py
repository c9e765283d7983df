"""Whether a Deny's Resource certainly covers what an Allow grants."""

from __future__ import annotations

import re

from wa_review.policy.context import ACCOUNT_ID, PolicyContext
from wa_review.policy.globs import glob_covers
from wa_review.policy.parse import Listing

_SHORTHAND = "execute-api:/"
_EXECUTE_API = re.compile(r"^arn:[a-z0-9-]+:execute-api:([^:]*):([^:]*):([^/]+)(?:/(.*))?$")
_APIGW = re.compile(r"^arn:[a-z0-9-]+:apigateway:([^:]*)::/restapis/([^/]+)")


def deny_covers_resources(allow: Listing | None, deny: Listing | None, ctx: PolicyContext) -> bool:
    """True only when every resource the Allow names is inside the Deny's Resource.

    A Deny without Resource, or with NotResource, is never taken to cover: when unsure we keep
    the access (the conservative answer is the more open one).
    """
    if deny is None or deny.negated:
        return False
    if allow is None or allow.negated:
        # The Allow reaches everything this policy governs.
        return any(_covers_all(d, ctx) for d in deny.values)
    return all(any(_covers(d, a, ctx) for d in deny.values) for a in allow.values)


def _covers_all(deny: str, ctx: PolicyContext) -> bool:
    if deny == "*":
        return True
    tail = _deny_tail(deny, ctx) if ctx.resource_type == "apigateway" else None
    return tail == "*"


def _covers(deny: str, allow: str, ctx: PolicyContext) -> bool:
    if glob_covers(deny, allow):
        return True
    if ctx.resource_type != "apigateway":
        return False
    # API resource policies mix `execute-api:/stage/...` with the full ARNs AWS expands it to.
    deny_tail = _deny_tail(deny, ctx)
    allow_tail = _allow_tail(allow)
    return deny_tail is not None and allow_tail is not None and glob_covers(deny_tail, allow_tail)


def _allow_tail(allow: str) -> str | None:
    """The route part of an allowed resource, read as if it named this API.

    Safe for the Allow side: if it names another API it grants nothing here anyway.
    """
    if allow.startswith(_SHORTHAND):
        return allow[len(_SHORTHAND) :]
    match = _EXECUTE_API.match(allow)
    if not match:
        return None
    return match.group(4) if match.group(4) is not None else ("*" if allow.endswith("*") else "")


def _deny_tail(deny: str, ctx: PolicyContext) -> str | None:
    """The route part of a denied resource, only when it certainly names this API."""
    if deny.startswith(_SHORTHAND):
        return deny[len(_SHORTHAND) :]
    match = _EXECUTE_API.match(deny)
    if not match:
        return None
    region, account, api_id, tail = match.groups()
    our_region, our_id = _this_api(ctx)
    if (
        account not in ("*", ctx.account_id)
        or region not in ("*", our_region)
        or api_id not in ("*", our_id)
    ):
        return None
    return tail if tail is not None else ("*" if api_id == "*" else None)


def _this_api(ctx: PolicyContext) -> tuple[str, str]:
    """(region, api id) of the API that owns the policy; NUL (matching nothing) when unknown."""
    match = _EXECUTE_API.match(ctx.resource_arn)
    if match:
        return match.group(1), match.group(3)
    match = _APIGW.match(ctx.resource_arn)
    if match:
        return match.group(1), match.group(2)
    return "\0", "\0"


def accounts_in_resources(doc: object) -> tuple[str, ...]:
    """The 12-digit accounts the `Resource` ARNs of a decoded policy name, in order of first use.

    `wa-review policy explain` uses it when no account is given. ARNs without an account (S3
    buckets, the `execute-api:/` shorthand) and wildcard accounts name none.
    """
    if not isinstance(doc, dict):
        return ()
    raw = doc.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    found: dict[str, None] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        values = item.get("Resource")
        for value in [values] if isinstance(values, str) else values or []:
            if not isinstance(value, str):
                continue
            parts = value.split(":", 5)
            if len(parts) == 6 and parts[0] == "arn" and ACCOUNT_ID.match(parts[4]):
                found.setdefault(parts[4], None)
    return tuple(found)
