"""Read condition clauses: which ones pin the caller down, and which only look as if they do."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from enum import StrEnum

from wa_review.policy.globs import glob_match
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
# Exact comparison: `*` and `?` are plain characters here.
_LITERAL = frozenset(
    {"StringEquals", "StringEqualsIgnoreCase", "StringNotEquals", "StringNotEqualsIgnoreCase"}
)
_NEGATED_OTHER = frozenset({"NumericNotEquals", "DateNotEquals", "NotIpAddress"})
_BASES = {op.lower(): op for op in _STRING_POS | _STRING_NEG | _ARN_POS | _ARN_NEG | _OTHER}


class PinKind(StrEnum):
    NETWORK = "network"  # aws:SourceVpc / SourceVpce / SourceIp
    ORG = "org"  # aws:PrincipalOrgID / PrincipalOrgPaths
    SOURCE_ORG = "source_org"  # aws:SourceOrgID / SourceOrgPaths
    PRINCIPAL_ACCOUNT = "principal_account"  # aws:PrincipalAccount / PrincipalArn
    SOURCE = "source"  # aws:SourceAccount / SourceOwner / SourceArn, lambda:EventSourceToken
    USER_ID = "user_id"  # aws:userid: an IAM unique id, an account id or "anonymous"
    ACCESS_POINT = "access_point"  # s3:DataAccessPointArn / DataAccessPointAccount
    KMS_KEY = "kms_key"  # s3:x-amz-server-side-encryption-aws-kms-key-id


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
    # KMS key policies: the account of the caller, like aws:PrincipalAccount.
    "kms:calleraccount": ("kms:CallerAccount", PinKind.PRINCIPAL_ACCOUNT, "account"),
    "aws:userid": ("aws:userid", PinKind.USER_ID, "userid"),
    # Keys the S3 User Guide lists as keeping a bucket policy non-public with fixed values.
    "s3:dataaccesspointaccount": ("s3:DataAccessPointAccount", PinKind.ACCESS_POINT, "account"),
    "s3:dataaccesspointarn": ("s3:DataAccessPointArn", PinKind.ACCESS_POINT, "owned_arn"),
    # The request header may hold a key id or an alias as well as a key ARN.
    "s3:x-amz-server-side-encryption-aws-kms-key-id": (
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        PinKind.KMS_KEY,
        "key_arn",
    ),
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
    # False for every request (say why): the statement holding it can never apply.
    never: str = ""
    # True for every request (say why): in a Deny it takes no one out of the refusal.
    always: str = ""
    # Values that match no request (a literal "*" under StringEquals), left out of `pin`.
    unmatched: tuple[str, ...] = ()
    # False whenever the request does not carry the key (no IfExists, not negated, not Null):
    # on an action whose requests never carry it, the statement cannot apply.
    needs_key: bool = False


@dataclass(frozen=True, slots=True)
class _Value:
    """How one condition value reads: the account/org it names, why it names no one reliably
    (`problem`: treat as a wildcard), or why no request can ever match it (`nobody`)."""

    scope: str = ""
    problem: str = ""
    nobody: str = ""


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


def false_when_missing(op: Operator) -> bool:
    """IAM: a condition on a key the request lacks is false, except for negated operators,
    `Null`, `...IfExists` and `ForAllValues:` (true for an empty set of values)."""
    negated = op.base in _STRING_NEG | _ARN_NEG or op.base in _NEGATED_OTHER
    return not (negated or op.base == "Null" or op.if_exists or op.qualifier == "ForAllValues")


def analyse(clause: RawClause) -> ClauseFinding:
    op = parse_operator(clause.operator)
    if op is None:
        return ClauseFinding(
            clause, note=f"{clause.operator} is not an IAM condition operator", unknown=True
        )
    return replace(_analyse(clause, op), needs_key=false_when_missing(op))


def _analyse(clause: RawClause, op: Operator) -> ClauseFinding:
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
    literal = op.base in _LITERAL
    reads = [(value, _read(shape, value, literal, key)) for value in clause.values]
    for value, read in reads:
        if read.problem:
            note = f"{written} value {value!r} {read.problem}, so it pins no one"
            loose = Pin(key, kind, clause.values, (), clause.operator)
            return ClauseFinding(clause, polarity=polarity, note=note, identity=True, loose=loose)
    unmatched = tuple(value for value, read in reads if read.nobody)
    kept = [(value, read.scope) for value, read in reads if not read.nobody]
    if not kept:
        why = f"{written} {_quoted(unmatched)} {reads[0][1].nobody}"
        if polarity is Polarity.POSITIVE:
            return ClauseFinding(
                clause, polarity=polarity, note=why, identity=True, never=why, unmatched=unmatched
            )
        always = f"{why}, so the condition is true for every request"
        return ClauseFinding(
            clause,
            polarity=polarity,
            note=always,
            identity=True,
            always=always,
            unmatched=unmatched,
        )
    pin = Pin(key, kind, tuple(v for v, _ in kept), tuple(s for _, s in kept), clause.operator)
    return ClauseFinding(clause, pin=pin, polarity=polarity, identity=True, unmatched=unmatched)


def unmatched_sentence(finding: ClauseFinding) -> str:
    """Why some values of a pin were left out (empty when none were)."""
    if not finding.unmatched or finding.pin is None:
        return ""
    return (
        f"{finding.clause.operator} {finding.pin.key} {_quoted(finding.unmatched)} can match "
        f"no request ({_literal_or_arn(finding.unmatched)}), so only "
        f"{' or '.join(finding.pin.values)} counts."
    )


def broad_range(value: str) -> str:
    """Why an aws:SourceIp range counts as public (empty when it does not).

    The S3 User Guide ("The meaning of public") counts IPv4 ranges broader than /8 and IPv6
    ranges broader than /32 as public, RFC 1918 private ranges excepted.
    """
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return ""
    if isinstance(net, ipaddress.IPv4Network):
        if net.prefixlen >= 8 or any(net.subnet_of(p) for p in _RFC1918):
            return ""
        return (
            f"aws:SourceIp {value} is broader than /8, and AWS counts an IPv4 range that broad "
            'as public (S3 User Guide, "The meaning of public"): it spans '
            f"{net.num_addresses:,} addresses of the internet"
        )
    if net.prefixlen >= 32:
        return ""
    return (
        f"aws:SourceIp {value} is broader than /32, and AWS counts an IPv6 range that broad as "
        'public (S3 User Guide, "The meaning of public")'
    )


_RFC1918 = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)


def _polarity(base: str, shape: str) -> Polarity | None:
    if shape == "ip":
        return {"IpAddress": Polarity.POSITIVE, "NotIpAddress": Polarity.NEGATIVE}.get(base)
    arn_like = shape in _ARN_SHAPES
    positive = _STRING_POS | _ARN_POS if arn_like else _STRING_POS
    negative = _STRING_NEG | _ARN_NEG if arn_like else _STRING_NEG
    if base in positive:
        return Polarity.POSITIVE
    return Polarity.NEGATIVE if base in negative else None


def _read(shape: str, value: str, literal: bool, key: str) -> _Value:
    """What one value of a pinning key names.

    `literal` is true for StringEquals and its kin, which compare `*` and `?` as plain
    characters (IAM: only the ...Like and Arn... operators expand wildcards). No account id,
    VPC, endpoint, organization, ARN or unique id contains either, so such a value matches no
    request at all, rather than every request.
    """
    if "${" in value:
        return _Value(problem="uses a policy variable, so it is not a fixed value")
    if shape == "ip":
        try:
            net = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return _Value(problem="is not an IP address or CIDR")
        return _Value(value) if net.prefixlen > 0 else _Value(problem="covers every address")
    if literal and _has_glob(value):
        return _Value(nobody=_LITERAL_WHY.format(key=key))
    if shape in _ARN_SHAPES:
        return _read_arn(shape, value, key)
    if shape == "userid":
        # A role session's id is "AROA...:session": the role is fixed when only the session
        # part is a wildcard (the S3 User Guide's "AROLEID:*" pattern).
        role, _, session = value.partition(":")
        if session == "*" and not _wild(role):
            return _Value(role)
        return _Value(problem="is a wildcard") if _wild(value) else _Value(value)
    if shape == "path":
        org = value.split("/", 1)[0]
        if _wild(org) or not org:
            return _Value(problem="has a wildcard where the organization id belongs")
        return _Value(org)
    return _Value(problem="is a wildcard") if _wild(value) else _Value(value)


def _read_arn(shape: str, value: str, key: str) -> _Value:
    parts = value.split(":", 5)
    full = len(parts) == 6 and parts[0].lower() == "arn" and parts[2] != "" and parts[5] != ""
    if not full:
        if _has_glob(value) or not value.strip():
            return _Value(problem="is a wildcard")
        if shape == "key_arn":
            # A KMS key id or alias names no account: an alias can be created anywhere.
            return _Value(problem="is not an ARN, so it names no account")
        return _Value(nobody=_NOT_ARN_WHY.format(key=key))
    account = parts[4]
    if account and _has_glob(account):
        return _Value(problem="has a wildcard where the account belongs")
    if not account:
        if shape != "arn":  # an access point or key ARN always names its account
            return _Value(problem="names no account")
        if _has_glob(value):
            # An S3 bucket ARN has no account field: its name is all that pins it, and anyone
            # can create a bucket whose name matches a wildcard.
            return _Value(
                problem=(
                    "names no account and has a wildcard (anyone can create a resource "
                    "whose ARN matches it)"
                )
            )
    # With the account fixed, wildcards elsewhere range over that account's resources only
    # (for s3:DataAccessPointArn the S3 User Guide says so of the access point name).
    return _Value(account)


# Value shapes read as ARNs: any ARN; an access point ARN (always names its account); a KMS
# key given by ARN, key id or alias.
_ARN_SHAPES = ("arn", "owned_arn", "key_arn")

_LITERAL_WHY = (
    "compares '*' and '?' as plain characters (only the ...Like and Arn operators expand "
    "wildcards), and no real {key} contains one"
)
_NOT_ARN_WHY = (
    "is not a full ARN (arn:partition:service:region:account:resource), and every {key} is "
    "one, so it matches nothing"
)


def _literal_or_arn(values: tuple[str, ...]) -> str:
    if any(_has_glob(v) for v in values):
        return "StringEquals compares '*' and '?' as plain characters"
    return "a value that is not a full ARN matches no ARN"


def _quoted(values: tuple[str, ...]) -> str:
    return " or ".join(repr(v) for v in values)


def _has_glob(value: str) -> bool:
    return "*" in value or "?" in value


def _wild(value: str) -> bool:
    return _has_glob(value) or not value.strip()


def _shape_word(shape: str) -> str:
    return (
        "network address"
        if shape == "ip"
        else "string or ARN"
        if shape in _ARN_SHAPES
        else "string"
    )


def _absent_example(kind: PinKind) -> str:
    return {
        PinKind.NETWORK: "any call from the internet",
        PinKind.ORG: "anonymous callers",
        PinKind.SOURCE_ORG: "any direct call",
        PinKind.PRINCIPAL_ACCOUNT: "anonymous callers",
        PinKind.SOURCE: "any direct call, or a service that does not send it",
        PinKind.USER_ID: "no caller lacks it, but a wildcard id matches anyone",
        PinKind.ACCESS_POINT: "any request not made through an access point",
        PinKind.KMS_KEY: "any request that names no KMS key",
    }[kind]


# Service keys that only some actions' requests carry (Service Authorization Reference, and the
# SNS Developer Guide: "use these in policies that restrict access to Subscribe requests").
# Generous on purpose: an action missing here would make us say a grant can never apply.
_CARRIED_BY: dict[str, tuple[str, ...]] = {
    "sns:endpoint": ("sns:Subscribe", "sns:ConfirmSubscription"),
    "sns:protocol": ("sns:Subscribe", "sns:ConfirmSubscription"),
    "kms:calleraccount": ("kms:*",),
    "s3:x-amz-server-side-encryption-aws-kms-key-id": ("s3:PutObject", "s3:ReplicateObject"),
}


def carried_by(key: str) -> tuple[str, ...] | None:
    """The actions whose requests can carry `key`, when we know them (None: any action may)."""
    return _CARRIED_BY.get(key.lower())


def may_carry(key: str, action: str) -> bool:
    """Whether a request for `action` (a name or a pattern) can carry condition key `key`."""
    carriers = carried_by(key)
    if carriers is None:
        return True
    if _has_glob(action):
        # A pattern may reach a carrier unless it names another service outright.
        service = action.split(":", 1)[0].lower()
        return _has_glob(service) or any(c.split(":", 1)[0].lower() == service for c in carriers)
    return any(glob_match(c, action, ignore_case=True) for c in carriers)
