"""Who a Principal names, how open that is, and how a pinning condition narrows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from wa_review.policy.conditions import Pin, PinKind, broad_range
from wa_review.policy.context import ACCOUNT_ID, PolicyContext
from wa_review.policy.parse import PrincipalBlock
from wa_review.policy.verdict import AccessClass, less_open, more_open

# IAM shows a deleted user or role as its unique id (AIDA... a user, AROA... a role): the
# policy no longer applies to anyone, even if a principal of the same name is created again.
_DELETED_ID = re.compile(r"^A(?:IDA|ROA)[A-Z0-9]{12,}$")
# Other unique ids (instance profiles, keys...) are no principal we can name: unknown.
_UNIQUE_ID = re.compile(r"^A[A-Z]{3}[A-Z0-9]{12,}$")
_IAM_ARN = re.compile(r"^arn:[a-z0-9-]+:(?:iam|sts)::([^:]*):.+$", re.IGNORECASE)


class GranteeKind(StrEnum):
    PUBLIC = "public"
    ACCOUNT = "account"
    SERVICE = "service"
    CANONICAL = "canonical"
    DELETED = "deleted"  # the unique id of a deleted user or role: matches no one
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Grantee:
    """One principal entry: `value` as written, `account` for account principals."""

    kind: GranteeKind
    value: str
    description: str
    account: str = ""
    whole_account: bool = False
    note: str = ""
    # "all" for a bare "*"; "aws" for {"AWS": "*"} and its spellings. In a Deny only the bare
    # form is certain to reach service principals too; a web identity provider is no wildcard.
    wildcard: str = ""


def grantees(block: PrincipalBlock) -> list[Grantee]:
    """The principals an Allow names; an Allow with NotPrincipal names everyone else."""
    if block.negated:
        named = ", ".join(value for _, value in block.entries)
        return [
            Grantee(
                GranteeKind.PUBLIC,
                f"NotPrincipal: {named}",
                f"everyone except {named} (NotPrincipal)",
            )
        ]
    return [grantee(kind, value) for kind, value in block.entries]


def grantee(kind: str, value: str) -> Grantee:
    if kind == "*":
        return Grantee(GranteeKind.PUBLIC, value, 'anyone ("*")', wildcard="all")
    if kind in ("AWS", "CanonicalUser") and value == "*":
        return Grantee(GranteeKind.PUBLIC, value, 'anyone ("*")', wildcard="aws")
    if kind == "AWS":
        return _aws(value)
    if kind == "Service":
        return Grantee(GranteeKind.SERVICE, value, f"the AWS service {value}")
    if kind == "Federated":
        match = _IAM_ARN.match(value)
        if match:
            return _account(value, match.group(1), f"users of identity provider {value}")
        # A web identity provider (Cognito, Google, ...) vouches for anyone who signs up.
        return Grantee(GranteeKind.PUBLIC, value, f"any user of identity provider {value}")
    if kind == "CanonicalUser":
        return Grantee(
            GranteeKind.CANONICAL,
            value,
            f"S3 canonical user {value[:16]}...",
            note="a canonical user id does not say which account it is",
        )
    return Grantee(
        GranteeKind.UNKNOWN,
        value,
        f"principal {value!r}",
        note=f"principal type {kind!r} is not one IAM knows" if kind != "?" else "malformed",
    )


def _aws(value: str) -> Grantee:
    if ACCOUNT_ID.match(value):
        return Grantee(
            GranteeKind.ACCOUNT, value, f"account {value}", account=value, whole_account=True
        )
    match = _IAM_ARN.match(value)
    if match:
        return _account(value, match.group(1), value)
    if _DELETED_ID.match(value):
        what = "user" if value.startswith("AIDA") else "role"
        note = (
            f"Principal {value} is the unique id IAM shows in place of a deleted {what}; it "
            f"matches no one, not even a new {what} of the same name"
        )
        return Grantee(GranteeKind.DELETED, value, f"deleted {what} {value}", note=note)
    if _UNIQUE_ID.match(value):
        note = f"{value} is an IAM unique id (usually a deleted user or role): whose is unknown"
        return Grantee(GranteeKind.UNKNOWN, value, f"principal id {value}", note=note)
    return Grantee(
        GranteeKind.UNKNOWN,
        value,
        f"principal {value!r}",
        note=f"{value!r} is neither an account id nor an IAM ARN",
    )


def _account(value: str, account: str, description: str) -> Grantee:
    if "*" in account or "?" in account:
        # moto (and older consoles) write "*" as arn:aws:iam::*:root: any account at all.
        return Grantee(GranteeKind.PUBLIC, value, f'anyone ("{value}")', wildcard="aws")
    whole = value.endswith(":root")
    if whole:
        description = f"account {account}"
    return Grantee(GranteeKind.ACCOUNT, value, description, account=account, whole_account=whole)


def base_class(g: Grantee, ctx: PolicyContext) -> AccessClass:
    """How open a grant to this principal is before any condition."""
    if g.kind is GranteeKind.PUBLIC:
        return AccessClass.PUBLIC
    if g.kind is GranteeKind.ACCOUNT:
        return AccessClass.ACCOUNT_ONLY if ctx.is_ours(g.account) else AccessClass.CROSS_ACCOUNT
    if g.kind is GranteeKind.SERVICE:
        return AccessClass.SERVICE_UNSCOPED
    if g.kind is GranteeKind.CANONICAL:
        return AccessClass.CROSS_ACCOUNT
    if g.kind is GranteeKind.DELETED:
        return AccessClass.ACCOUNT_ONLY  # matches no one, so it lets no one in
    return AccessClass.UNKNOWN


def applies(g: Grantee, pin: Pin) -> bool:
    """Whether a pin can narrow this principal at all.

    A service principal has no VPC, org or account of its own, so only source pins (the resource
    it acts for) narrow it; we never assume the other keys shut it out.
    """
    if g.kind in (GranteeKind.UNKNOWN, GranteeKind.DELETED):
        return False
    if g.kind is GranteeKind.SERVICE:
        return pin.kind in (PinKind.SOURCE, PinKind.SOURCE_ORG)
    return True


def restrict(g: Grantee, current: AccessClass, pin: Pin, ctx: PolicyContext) -> AccessClass:
    """The class left when a grant of class `current` to `g` also needs `pin` to hold."""
    if not applies(g, pin):
        return current
    pinned = AccessClass.ACCOUNT_ONLY
    for scope in pin.scopes:  # several values are ORed: the most open one counts
        pinned = more_open(pinned, _scope_class(g, pin, scope, ctx))
    return less_open(current, pinned)


def _scope_class(g: Grantee, pin: Pin, scope: str, ctx: PolicyContext) -> AccessClass:
    service = g.kind is GranteeKind.SERVICE
    kind = pin.kind
    if kind is PinKind.NETWORK:
        # AWS counts a source range broader than /8 (IPv6 /32) as public.
        return AccessClass.PUBLIC if broad_range(scope) else AccessClass.NETWORK_RESTRICTED
    if kind is PinKind.USER_ID:
        if scope.lower() == "anonymous":  # aws:userid of unsigned requests
            return AccessClass.PUBLIC
        if ACCOUNT_ID.match(scope):  # an account's root user
            return AccessClass.ACCOUNT_ONLY if ctx.is_ours(scope) else AccessClass.CROSS_ACCOUNT
        # An IAM unique id does not say whose it is: like a canonical user, another account.
        return AccessClass.CROSS_ACCOUNT
    if kind in (PinKind.ACCESS_POINT, PinKind.KMS_KEY):
        # Our access point or key: its own policy decides who gets through, as a service
        # acting for our resource would.
        return AccessClass.SERVICE_SCOPED if ctx.is_ours(scope) else AccessClass.CROSS_ACCOUNT
    if kind in (PinKind.ORG, PinKind.SOURCE_ORG):
        ours = ctx.org_id is None or scope == ctx.org_id
        if service:
            return AccessClass.SERVICE_SCOPED if ours else AccessClass.SERVICE_UNSCOPED
        return AccessClass.ORG_ONLY if ours else AccessClass.CROSS_ACCOUNT
    if kind is PinKind.PRINCIPAL_ACCOUNT:
        return AccessClass.ACCOUNT_ONLY if ctx.is_ours(scope) else AccessClass.CROSS_ACCOUNT
    # SOURCE: an event source token is a secret of ours; an ARN without an account (an S3
    # bucket) can be re-created by anyone once deleted, which is the confused deputy.
    if pin.key == "lambda:EventSourceToken" or ctx.is_ours(scope):
        return AccessClass.SERVICE_SCOPED
    if scope == "":
        return AccessClass.SERVICE_UNSCOPED
    return AccessClass.SERVICE_UNSCOPED if service else AccessClass.CROSS_ACCOUNT


@dataclass(frozen=True, slots=True)
class DenyReach:
    """How far a Deny's Principal/NotPrincipal reaches a grantee.

    `covers` says the Deny certainly applies to the grantee; `spared` is the class of the callers
    a NotPrincipal leaves out (None when nobody is spared).
    """

    covers: bool
    spared: AccessClass | None = None
    spared_names: tuple[str, ...] = ()


def deny_reach(block: PrincipalBlock, g: Grantee, ctx: PolicyContext) -> DenyReach:
    listed = [grantee(kind, value) for kind, value in block.entries]
    if not block.negated:
        return DenyReach(any(_includes(entry, g) for entry in listed))
    if any(entry.kind is GranteeKind.PUBLIC for entry in listed):
        return DenyReach(False)  # NotPrincipal "*" denies nobody
    if g.kind is GranteeKind.PUBLIC:
        spared = AccessClass.ACCOUNT_ONLY
        for entry in listed:
            spared = more_open(spared, base_class(entry, ctx))
        return DenyReach(True, spared, tuple(e.value for e in listed))
    # A named grantee is denied only if no listed entry could be (part of) it.
    return DenyReach(not any(_may_overlap(entry, g) for entry in listed))


def _includes(entry: Grantee, g: Grantee) -> bool:
    if entry.wildcard == "all" or (entry.wildcard and g.kind is not GranteeKind.SERVICE):
        return True
    if entry.kind is GranteeKind.ACCOUNT and g.kind is GranteeKind.ACCOUNT:
        return entry.account == g.account and (entry.whole_account or entry.value == g.value)
    if entry.kind is GranteeKind.SERVICE and g.kind is GranteeKind.SERVICE:
        return entry.value.lower() == g.value.lower()
    return entry.kind is GranteeKind.CANONICAL and g.kind is entry.kind and entry.value == g.value


def _may_overlap(entry: Grantee, g: Grantee) -> bool:
    if entry.kind is GranteeKind.DELETED:
        return False  # a deleted principal is no one, so it spares no one
    if g.kind in (GranteeKind.UNKNOWN, GranteeKind.CANONICAL) or entry.kind is GranteeKind.UNKNOWN:
        return True
    if entry.kind is GranteeKind.ACCOUNT and g.kind is GranteeKind.ACCOUNT:
        return entry.account == g.account
    if entry.kind is GranteeKind.SERVICE and g.kind is GranteeKind.SERVICE:
        return entry.value.lower() == g.value.lower()
    return False
