"""Which snapshot types each account has in full, for checks that can answer before the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wa_review.aws.collectors import CollectorClass
from wa_review.model.inventory import AccountInventory


@dataclass(frozen=True, slots=True)
class InventorySoFar:
    """The snapshots collected so far (copies: the collection goes on adding to its own).

    `complete[account]` holds the snapshot types every region of that account has delivered;
    a check that reads only those gives its final answer already.
    """

    inventories: tuple[AccountInventory, ...]
    complete: dict[str, frozenset[type]]


InventoryFn = Callable[[InventorySoFar], None]


class Completion:
    """Which snapshot types each account has in full, told to `on_inventory` as they complete."""

    def __init__(
        self, on_inventory: InventoryFn | None, inventories: dict[str, AccountInventory]
    ) -> None:
        self._on_inventory = on_inventory
        self._inventories = inventories
        self._waiting: dict[tuple[str, CollectorClass], int] = {}
        self._kinds: dict[tuple[str, CollectorClass], set[type]] = {}
        self._cancelled: set[tuple[str, CollectorClass]] = set()
        self._complete: dict[str, set[type]] = {}

    def expect(self, account: str, cls: CollectorClass) -> None:
        key = (account, cls)
        self._waiting[key] = self._waiting.get(key, 0) + 1

    def done(self, account: str, kind: type) -> None:
        self._complete.setdefault(account, set()).add(kind)

    def arrived(self, account: str, cls: CollectorClass, snapshot: object | None) -> None:
        key = (account, cls)
        self._waiting[key] -= 1
        if snapshot is None:  # cancelled: this collector's types never complete
            self._cancelled.add(key)
        else:
            self._kinds.setdefault(key, set()).add(type(snapshot))
        if self._waiting[key] == 0 and key not in self._cancelled:
            self._complete.setdefault(account, set()).update(self._kinds[key])
            self.publish()

    def publish(self) -> None:
        if self._on_inventory is None:
            return
        copies = tuple(
            AccountInventory(
                inv.account,
                inv.home_region,
                regional={r: dict(kinds) for r, kinds in inv.regional.items()},
                global_=dict(inv.global_),
            )
            for inv in self._inventories.values()
        )
        complete = {a: frozenset(kinds) for a, kinds in self._complete.items()}
        self._on_inventory(InventorySoFar(copies, complete))
