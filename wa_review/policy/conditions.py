"""Read condition clauses: which ones pin the caller down, and which only look as if they do."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

from wa_review.policy.parse import RawClause

_STRING_POS = frozenset({"StringEquals", "StringEqualsIgnoreCase", "StringLike"})
_STRING_NEG = frozenset({"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike"})
_ARN_POS = frozenset({"ArnEquals", "ArnLike"})
_ARN_NEG = frozenset({"ArnNotEquals", "ArnNotLike"})
_OTHER = frozenset(
    {"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals"}
    | {"NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals"}
    | {"DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}
    | {"Bool", "BinaryEquals", "IpAddress", "NotIpAddress"}
)
_BASES = {op.lower(): op for op in _STRING_POS | _STRING_NEG | _ARN_POS | _ARN_NEG | _OTHER}


class PinKind(StrEnum):
    NETWORK = "network"  # aws:SourceVpc / SourceVpce / SourceIp
    ORG = "org"  # aws:PrincipalOrgID / PrincipalOrgPaths
    SOURCE_ORG = "source_org"  # aws:SourceOrgID / SourceOrgPaths
    PRINCIPAL_ACCOUNT = "principal_account"  # aws:PrincipalAccount / PrincipalArn
    SOURCE = "source"  # aws:SourceAccount / SourceOwner / SourceArn, lambda:EventSourceToken


class Polarity(StrEnum):
    POSITIVE = "positive"  # true only for the named callers: restricts an Allow
    NEGATIVE = "negative"  # true for everyone else: lets a Deny leave only the named callers


# key (lower case) -> (spelling, kind, value shape)
_KEYS: dict[str, tuple[str, PinKind, str]] = {
    "aws:sourcevpc": ("aws:SourceVpc", PinKind.NETWORK, "id"),
    "aws:sourcevpce": ("aws:SourceVpce", PinKind.NETWORK, "id"),
    "aws:sourceip": ("aws:SourceIp", PinKind.NETWORK, "ip"),
    "aws:principalorgid": ("aws:PrincipalOrgID", PinKind.ORG, "org"),
    "aws:principalorgpaths": ("aws:PrincipalOrgPaths", PinKind.ORG, "path"),
    "aws:sourceorgid": ("aws:SourceOrgID", PinKind.SOURCE_ORG, "org"),
    "aws:sourceorgpaths": ("aws:SourceOrgPaths", PinKind.SOURCE_ORG, "path"),
    "aws:principalaccount": ("aws:PrincipalAccount", PinKind.PRINCIPAL_ACCOUNT, "account"),
    "aws:principalarn": ("aws:PrincipalArn", PinKind.PRINCIPAL_ACCOUNT, "arn"),
    "aws:sourceaccount": ("aws:SourceAccount", PinKind.SOURCE, "account"),
    "aws:sourceowner": ("aws:SourceOwner", PinKind.SOURCE, "account"),
    "aws:sourcearn": ("aws:SourceArn", PinKind.SOURCE, "arn"),
    "lambda:eventsourcetoken": ("lambda:EventSourceToken", PinKind.SOURCE, "id"),
}

# Keys that look like identity checks but say nothing about the caller of *our* resource.
_RESOURCE_SIDE = frozenset(
    {"aws:resourceorgid", "aws:resourceorgpaths", "aws:resourceaccount", "s3:resourceaccount"}
)


@dataclass(frozen=True, slots=True)
class Operator:
    written: str
    base: str
    qualifier: str  # "", "ForAnyValue" or "ForAllValues"
    if_exists: bool


@dataclass(frozen=True, slots=True)
class Pin:
    """A clause that names who may call: `scopes` holds, per value, the account or org it names
    ("" for an ARN that carries no account, such as an S3 bucket); network pins keep the value."""

    key: str
    kind: PinKind
    values: tuple[str, ...]
    scopes: tuple[str, ...]
    operator: str

    def describe(self) -> str:
        return f"{self.key} is {' or '.join(self.values)}"


@dataclass(frozen=True, slots=True)
class ClauseFinding:
    """What one clause means for who can call."""

    clause: RawClause
    pin: Pin | None = None
    polarity: Polarity | None = None
    note: str = ""  # why an identity-looking clause does not pin (empty when it does)
    unknown: bool = False
    identity: bool = False  # the key names the caller, its network or its source
    # The right operator with values that pin no one (a wildcard account): kept so checks can
    # still show and grade what was written.
    loose: Pin | None = None


def parse_operator(text: str) -> Operator | None:
    rest = text
    qualifier = ""
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if rest.lower().startswith(prefix.lower()):
            qualifier, rest = prefix[:-1], rest[len(prefix) :]
    if_exists = rest.lower().endswith("ifexists")
    if if_exists:
        rest = rest[: -len("IfExists")]
    base = _BASES.get(rest.lower())
    if base is None and rest.lower() == "null" and not if_exists and not qualifier:
        base = "Null"
    if base is None:
        return None
    return Operator(text, base, qualifier, if_exists)


def analyse(clause: RawClause) -> ClauseFinding:
    op = parse_operator(clause.operator)
    if op is None:
        return ClauseFinding(
            clause, note=f"{clause.operator} is not an IAM condition operator", unknown=True
        )
    lowered = clause.key.lower()
    if lowered in _RESOURCE_SIDE:
        note = (
            f"{clause.key} describes the resource's owner (always us in a resource policy), "
            "not the caller, so it does not limit who can call"
        )
        return ClauseFinding(clause, note=note, identity=True)
    spec = _KEYS.get(lowered)
    if spec is None:
        return ClauseFinding(clause)
    key, kind, shape = spec
    polarity = _polarity(op.base, shape)
    written = f"{clause.operator} {key}"
    if polarity is None:
        note = f"{written} does not compare {key} as a {_shape_word(shape)}, so it pins no one"
        return ClauseFinding(clause, note=note, identity=True)
    if op.if_exists:
        note = (
            f"{written} is also true when the request carries no {key} "
            f"({_absent_example(kind)}), so it does not limit who can call"
        )
        return ClauseFinding(clause, polarity=polarity, note=note, identity=True)
    if polarity is Polarity.POSITIVE and op.qualifier == "ForAllValues":
        note = f"{written} is also true when the request carries no {key}, so it pins no one"
        return ClauseFinding(clause, polarity=polarity, note=note, identity=True)
    if polarity is Polarity.NEGATIVE and op.qualifier == "ForAnyValue":
        note = f"{written} is false when the request carries no {key}, so such callers pass"
        return ClauseFinding(clause, polarity=polarity, note=note, identity=True)
    scopes: list[str] = []
    for value in clause.values:
        scope, problem = _scope(shape, value)
        if problem:
            note = f"{written} value {value!r} {problem}, so it pins no one"
            loose = Pin(key, kind, clause.values, (), clause.operator)
            return ClauseFinding(clause, polarity=polarity, note=note, identity=True, loose=loose)
        scopes.append(scope)
    pin = Pin(key, kind, clause.values, tuple(scopes), clause.operator)
    return ClauseFinding(clause, pin=pin, polarity=polarity, identity=True)


def _polarity(base: str, shape: str) -> Polarity | None:
    if shape == "ip":
        return {"IpAddress": Polarity.POSITIVE, "NotIpAddress": Polarity.NEGATIVE}.get(base)
    positive = _STRING_POS | _ARN_POS if shape == "arn" else _STRING_POS
    negative = _STRING_NEG | _ARN_NEG if shape == "arn" else _STRING_NEG
    if base in positive:
        return Polarity.POSITIVE
    return Polarity.NEGATIVE if base in negative else None


def _scope(shape: str, value: str) -> tuple[str, str]:
    """(scope, problem): the account/org a value names, or why it names none."""
    if shape == "ip":
        try:
            net = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return "", "is not an IP address or CIDR"
        return (value, "") if net.prefixlen > 0 else ("", "covers every address")
    if shape == "arn":
        # Wildcards in the resource part are fine (any route of *our* API); only the account
        # decides whose resources the caller may act for.
        parts = value.split(":", 5)
        if len(parts) < 6 or parts[0].lower() != "arn":
            return "", "is not an ARN" if not _wild(value) else "is a wildcard"
        if _wild(parts[4]) and parts[4] != "":
            return "", "has a wildcard where the account belongs"
        return parts[4], ""
    if _wild(value) and shape != "path":
        return "", "is a wildcard"
    if shape == "path":
        org = value.split("/", 1)[0]
        if _wild(org) or not org:
            return "", "has a wildcard where the organization id belongs"
        return org, ""
    return value, ""


def _wild(value: str) -> bool:
    return "*" in value or "?" in value or not value.strip()


def _shape_word(shape: str) -> str:
    return {"ip": "network address", "arn": "string or ARN"}.get(shape, "string")


def _absent_example(kind: PinKind) -> str:
    return {
        PinKind.NETWORK: "any call from the internet",
        PinKind.ORG: "anonymous callers",
        PinKind.SOURCE_ORG: "any direct call",
        PinKind.PRINCIPAL_ACCOUNT: "anonymous callers",
        PinKind.SOURCE: "any direct call, or a service that does not send it",
    }[kind]
