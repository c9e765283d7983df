"""The quota floor: the least time any client could take for these calls under AWS's quotas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wa_review.aws.ratelimit import RateLimits


@dataclass(frozen=True, slots=True)
class FamilyFloor:
    family: str
    calls: int
    rate: float

    @property
    def seconds(self) -> float:
        return self.calls / self.rate


def family_floors(calls: Mapping[str, int], limits: RateLimits | None = None) -> list[FamilyFloor]:
    """Calls per quota family (keys are `endpoint-prefix:Operation`), slowest family first.

    Each family's floor is its calls divided by its rate; the bucket's first burst is not
    subtracted, so the floor is slightly generous to the quota and strict on the collector.
    """
    table = limits or RateLimits()
    totals: dict[str, int] = {}
    for key, count in calls.items():
        service, _, operation = key.partition(":")
        family = table.family(service, operation)
        if family is not None:
            totals[family] = totals.get(family, 0) + count
    floors = [FamilyFloor(f, n, table.quotas[f].rate) for f, n in totals.items()]
    return sorted(floors, key=lambda f: f.seconds, reverse=True)


def quota_floor(calls: Mapping[str, int], limits: RateLimits | None = None) -> float:
    """The largest family floor: families are drawn in parallel, so the slowest one bounds."""
    floors = family_floors(calls, limits)
    return floors[0].seconds if floors else 0.0
