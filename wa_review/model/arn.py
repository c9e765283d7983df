"""Reading an ARN for people and exports: the resource's name, its type and its partition."""

from __future__ import annotations

# Services whose ARNs name the resource without a type (arn:aws:sqs:region:account:queue).
_UNTYPED = {"sqs": "queue", "sns": "topic", "s3": "bucket"}


def _parts(arn: str) -> list[str] | None:
    parts = arn.split(":", 5)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def resource_name(arn: str) -> str:
    """The resource part of an ARN without its type: `function:orders` and `role/orders` both
    give `orders`; a name may itself hold `/` or `:`, so only the type prefix is dropped."""
    if not arn:
        return "-"
    parts = _parts(arn)
    if parts is None:
        return arn
    resource = parts[5]
    _kind, colon, rest = resource.partition(":")
    if colon and rest:
        return rest
    _kind, slash, rest = resource.lstrip("/").partition("/")
    return rest if slash and rest else resource


def resource_type(arn: str) -> str:
    """`service:type`, e.g. `lambda:function`, `sqs:queue`, `apigateway:restapis`; '' if not an ARN."""
    parts = _parts(arn)
    if parts is None:
        return ""
    service, resource = parts[2], parts[5]
    for sep in (":", "/"):
        kind, found, rest = resource.lstrip("/").partition(sep)
        if found and rest:
            return f"{service}:{kind}"
    return f"{service}:{_UNTYPED.get(service, 'resource')}"


def partition(arn: str) -> str:
    parts = _parts(arn)
    return parts[1] if parts else "aws"
