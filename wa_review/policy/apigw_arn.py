"""Read API Gateway execute-api ARNs (as used in aws:SourceArn and API resource policies)."""

from __future__ import annotations

from dataclasses import dataclass

from wa_review.policy.globs import has_wildcard

_PARTS = ("region", "account", "api_id", "stage", "method", "path")
_SHORTHAND = "execute-api:/"


@dataclass(frozen=True, slots=True)
class ExecuteApiArn:
    """`arn:aws:execute-api:<region>:<account>:<api_id>/<stage>/<METHOD>/<path>`.

    A part that the ARN leaves out after a trailing wildcard is `*` (ArnLike lets `*` run across
    `/`, so `abc/*` reaches every stage, method and path). The `execute-api:/...` shorthand of
    API resource policies leaves region, account and api_id empty: it means "this API".
    """

    region: str
    account: str
    api_id: str
    stage: str
    method: str
    path: str

    @property
    def is_this_api(self) -> bool:
        return not self.api_id and not self.account

    def is_wildcard_scope(self, part: str = "any") -> bool:
        """Whether `part` (region, account, api_id, stage, method, path) is wildcarded.

        `any` asks whether any of api_id, stage, method or path is, that is whether the ARN
        reaches more than one route of one API.
        """
        if part == "any":
            return any(self.is_wildcard_scope(p) for p in ("api_id", "stage", "method", "path"))
        if part not in _PARTS:
            raise ValueError(f"part must be one of {', '.join(_PARTS)} or 'any', got {part!r}")
        value: str = getattr(self, part)
        return has_wildcard(value)

    def wildcard_parts(self) -> tuple[str, ...]:
        return tuple(p for p in _PARTS if self.is_wildcard_scope(p))

    def describe(self) -> str:
        """A sentence fragment such as "GET /orders on API a1b2c3, stage prod"."""
        if self.is_this_api:
            api = "this API"
        elif has_wildcard(self.api_id):
            if has_wildcard(self.account):
                return "any API in any account"
            return f"any API in account {self.account}"
        else:
            api = f"API {self.api_id}"
            if has_wildcard(self.account):
                api += " (in any account)"
        any_method = has_wildcard(self.method)
        any_path = self.path in ("", "*", "/*")
        if has_wildcard(self.stage) and any_method and any_path:
            return f"any method on {api} in any stage"
        what = "any method" if any_method else self.method
        if not any_path:
            what += f" {self.path}"
        if has_wildcard(self.stage):
            return f"{what} on {api} in any stage"
        return f"{what} on {api}, stage {self.stage}"


def parse_execute_api_arn(arn: str) -> ExecuteApiArn | None:
    """Split an execute-api ARN (or `*`, or the `execute-api:/` shorthand) into its parts.

    None when the text is not an execute-api ARN (a check grading aws:SourceArn values meets
    other services' ARNs too, and that is a finding, not an error).
    """
    text = arn.strip()
    if text == "*":
        return ExecuteApiArn("*", "*", "*", "*", "*", "*")
    if text.startswith(_SHORTHAND):
        return _route("", "", "", text[len(_SHORTHAND) :])
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "execute-api":
        return None
    _, _, _, region, account, resource = parts
    api_id, _, rest = resource.partition("/")
    if not api_id:
        return None
    if "/" not in resource:
        # `abc*` or `*` stands for everything below it as well.
        rest = "*" if api_id.endswith("*") else ""
    return _route(region, account, api_id, rest)


def _route(region: str, account: str, api_id: str, rest: str) -> ExecuteApiArn:
    stage, _, after = rest.partition("/")
    method, _, path = after.partition("/")
    spill = "*"
    # A part that ends in `*` swallows every later part that the ARN leaves out.
    if "/" not in rest:
        method = spill if stage.endswith("*") else ""
        path = spill if stage.endswith("*") else ""
    elif "/" not in after:
        path = spill if method.endswith("*") else ""
    else:
        path = "/" + path
    return ExecuteApiArn(region, account, api_id, stage, method, path)
