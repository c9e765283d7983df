"""Workload scope: which resources are judged (CloudFormation stacks, tags, or everything)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wa_review.errors import UsageError


class ScopeMode(StrEnum):
    ALL = "all"
    STACKS = "stacks"
    TAGS = "tags"
    STACKS_AND_TAGS = "stacks+tags"


@dataclass(frozen=True, slots=True)
class Scope:
    """`identifiers` hold physical ids, names, URLs and ARNs of in-scope resources.

    The network around in-scope functions is always collected; only the judged
    resources are filtered by scope.
    """

    mode: ScopeMode = ScopeMode.ALL
    identifiers: frozenset[str] = frozenset()
    stacks: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def includes(self, *ids: str | None) -> bool:
        if self.mode is ScopeMode.ALL:
            return True
        return any(i in self.identifiers for i in ids if i)

    def describe(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "stacks": list(self.stacks),
            "tags": [f"{k}={v}" for k, v in self.tags],
            "resources": len(self.identifiers),
            "notes": list(self.notes),
        }


def parse_tag(value: str) -> tuple[str, str]:
    """'KEY=VALUE' as given on the command line or in the TUI."""
    key, sep, tag_value = value.partition("=")
    if not sep or not key:
        raise UsageError(
            f"'{value}' is not KEY=VALUE", hint="For example: app=orders team=payments"
        )
    return key, tag_value
