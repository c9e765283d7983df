"""The judgement's vocabulary: access classes, their order, reasons and the verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class AccessClass(StrEnum):
    """Who a statement lets in, from the most open to the most closed."""

    PUBLIC = "public"
    UNKNOWN = "unknown"
    CROSS_ACCOUNT = "cross_account"
    SERVICE_UNSCOPED = "service_unscoped"
    NETWORK_RESTRICTED = "network_restricted"
    ORG_ONLY = "org_only"
    SERVICE_SCOPED = "service_scoped"
    ACCOUNT_ONLY = "account_only"


# `unknown` sits just below `public`: a statement we cannot judge may be as open as anything,
# but a statement we *know* is public is worse still, so it keeps the top spot.
_RANK: dict[AccessClass, int] = {
    AccessClass.PUBLIC: 7,
    AccessClass.UNKNOWN: 6,
    AccessClass.CROSS_ACCOUNT: 5,
    AccessClass.SERVICE_UNSCOPED: 4,
    AccessClass.NETWORK_RESTRICTED: 3,
    AccessClass.ORG_ONLY: 2,
    AccessClass.SERVICE_SCOPED: 1,
    AccessClass.ACCOUNT_ONLY: 0,
}


def rank(cls: AccessClass) -> int:
    """How open a class is: higher is more open."""
    return _RANK[cls]


def more_open(a: AccessClass, b: AccessClass) -> AccessClass:
    return a if _RANK[a] >= _RANK[b] else b


def less_open(a: AccessClass, b: AccessClass) -> AccessClass:
    return a if _RANK[a] <= _RANK[b] else b


def sort_most_open_first(classes: Iterable[AccessClass]) -> tuple[AccessClass, ...]:
    return tuple(sorted(set(classes), key=lambda c: -_RANK[c]))


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one statement gives one class of access to one action group."""

    statement: str
    access_class: AccessClass
    detail: str
    action_group: str = ""
    principals: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    source_arns: tuple[str, ...] = ()
    source_accounts: tuple[str, ...] = ()
    network: tuple[str, ...] = ()
    statement_json: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # A statement no request can match: it grants nothing, so checks that ask "is every grant
    # limited to ..." skip it instead of reading its placeholder class as a grant.
    never_applies: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "class": self.access_class.value,
            "detail": self.detail,
            "action_group": self.action_group,
            "principals": list(self.principals),
            "actions": list(self.actions),
            "source_arns": list(self.source_arns),
            "source_accounts": list(self.source_accounts),
            "network": list(self.network),
            "statement_json": self.statement_json,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """Who a resource policy lets in, per action group, with the reasons.

    `notes` holds remarks that belong to no single grant (a Deny we could not read, for example).
    """

    most_open: AccessClass
    classes: tuple[AccessClass, ...]
    reasons: tuple[Reason, ...]
    by_action_group: dict[str, tuple[AccessClass, ...]] = field(hash=False)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "most_open": self.most_open.value,
            "classes": [c.value for c in self.classes],
            "by_action_group": {g: [c.value for c in cs] for g, cs in self.by_action_group.items()},
            "reasons": [r.to_dict() for r in self.reasons],
            "notes": list(self.notes),
        }


def most_open_of(classes: Iterable[AccessClass]) -> AccessClass:
    """The verdict's headline: `public` beats everything, then `unknown`, then the rest by rank.

    Nothing granted at all means only the account itself (through IAM) can act.
    """
    ordered = sort_most_open_first(classes)
    return ordered[0] if ordered else AccessClass.ACCOUNT_ONLY
