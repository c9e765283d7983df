"""How many of each resource a generated account holds, in proportion to its functions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccountSize:
    """How many of each resource an account of `functions` functions gets."""

    functions: int

    def per_100(self, count: float, minimum: int = 1) -> int:
        return max(minimum, round(self.functions * count / 100))

    @property
    def roles(self) -> int:
        return self.per_100(10)

    @property
    def queues(self) -> int:
        return self.per_100(20)

    @property
    def topics(self) -> int:
        return self.per_100(20)

    @property
    def tables(self) -> int:
        return self.per_100(10)

    @property
    def rest_apis(self) -> int:
        return self.per_100(5)

    @property
    def http_apis(self) -> int:
        return self.per_100(2)

    @property
    def vpcs(self) -> int:
        return self.per_100(2, minimum=2)

    @property
    def security_groups(self) -> int:
        return self.per_100(5)

    @property
    def buckets(self) -> int:
        return self.per_100(5)

    @property
    def buses(self) -> int:
        return self.per_100(2)

    def describe(self) -> dict[str, int]:
        names = [
            "functions",
            "roles",
            "queues",
            "topics",
            "tables",
            "rest_apis",
            "http_apis",
            "vpcs",
            "security_groups",
            "buckets",
            "buses",
        ]
        return {name: int(getattr(self, name)) for name in names}
