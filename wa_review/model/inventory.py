"""What the collectors found in one account: typed snapshots per region plus account-wide ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

S = TypeVar("S")


@dataclass(slots=True)
class AccountInventory:
    """Snapshots for one account: `regional[region][SnapshotType]` and `global_[SnapshotType]`."""

    account: str
    home_region: str
    regional: dict[str, dict[type, Any]] = field(default_factory=dict)
    global_: dict[type, Any] = field(default_factory=dict)

    def add(self, region: str | None, snapshot: Any) -> None:
        if region is None:
            self.global_[type(snapshot)] = snapshot
        else:
            self.regional.setdefault(region, {})[type(snapshot)] = snapshot

    def regions(self) -> list[str]:
        """The regions collected (all of them from the start of a collection), sorted."""
        return sorted(self.regional)

    def each(self, kind: type[S]) -> Iterator[tuple[str, S]]:
        """Yield (region, snapshot) for every region that has a snapshot of `kind`."""
        for region in sorted(self.regional):
            snap = self.regional[region].get(kind)
            if snap is not None:
                yield region, snap

    def get_global(self, kind: type[S]) -> S | None:
        found = self.global_.get(kind)
        return found

    def get(self, region: str, kind: type[S]) -> S | None:
        found = self.regional.get(region, {}).get(kind)
        return found


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """Settings the checks read; defaults suit most workloads."""

    trusted_accounts: frozenset[str] = frozenset()
    org_id: str | None = None
    # A role that can act on more services than this is "broad" (lambda.function_role_breadth).
    max_role_services: int = 5
