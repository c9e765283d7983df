"""Evidence while the collection runs: each check answers as soon as what it reads is complete.

Checks are pure functions of the inventory, so a check whose every read is of a complete
snapshot type gives now exactly what it will give at the end. Which types a check reads is
not declared but observed: it runs on a view of the inventory that records each type asked
for. A check that asked for anything still arriving is pending (also when it raised: it may
have raised for want of that data) and runs again at the next step; the final evidence still
comes from `run_checks` over the whole inventory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from wa_review.checks import RegisteredCheck, all_checks
from wa_review.model.evidence import Evidence
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.pipeline import check_failed

if TYPE_CHECKING:  # the TUI's state imports Preview; boto3 loads only with a collection
    from wa_review.aws.run import InventorySoFar

log = logging.getLogger(__name__)

S = TypeVar("S")


class _ReadRecorder(AccountInventory):
    """The same snapshots, noting every type a check asks for."""

    __slots__ = ("read",)

    def __init__(self, inventory: AccountInventory) -> None:
        super().__init__(
            inventory.account, inventory.home_region, inventory.regional, inventory.global_
        )
        self.read: set[type] = set()

    def each(self, kind: type[S]) -> Iterator[tuple[str, S]]:
        self.read.add(kind)
        return super().each(kind)

    def get(self, region: str, kind: type[S]) -> S | None:
        self.read.add(kind)
        return super().get(region, kind)

    def get_global(self, kind: type[S]) -> S | None:
        self.read.add(kind)
        return super().get_global(kind)


@dataclass(frozen=True, slots=True)
class Preview:
    """The evidence of every check that has answered, and the ids of those still waiting."""

    evidence: tuple[Evidence, ...]
    pending: frozenset[str]


class PreviewChecks:
    """Runs the checks step by step as a collection delivers; answered checks are not rerun."""

    def __init__(self, config: CheckConfig, checks: list[RegisteredCheck] | None = None) -> None:
        self._config = config
        self._checks = checks if checks is not None else all_checks()
        self._answers: dict[tuple[str, str], tuple[Evidence, ...]] = {}

    def advance(self, so_far: InventorySoFar) -> Preview:
        for check in self._checks:
            for inventory in so_far.inventories:
                key = (check.meta.id, inventory.account)
                if key in self._answers:
                    continue
                answer = self._try(check, inventory, so_far.complete.get(inventory.account))
                if answer is not None:
                    self._answers[key] = answer
        accounts = [i.account for i in so_far.inventories]
        evidence = tuple(
            row
            for check in self._checks
            for account in accounts
            for row in self._answers.get((check.meta.id, account), ())
        )
        pending = frozenset(
            check.meta.id
            for check in self._checks
            if any((check.meta.id, account) not in self._answers for account in accounts)
        )
        return Preview(evidence, pending)

    def _try(
        self, check: RegisteredCheck, inventory: AccountInventory, complete: frozenset[type] | None
    ) -> tuple[Evidence, ...] | None:
        view = _ReadRecorder(inventory)
        try:
            rows = tuple(check.run(view, self._config))
        except Exception as err:  # isolated as run_checks isolates it (UNKNOWN, never a crash)
            # On half an inventory a check may raise only because a type is still missing; if
            # everything it read is complete, it raises the same way at the end.
            log.debug("check %s raised on the inventory so far", check.meta.id, exc_info=True)
            rows = (check_failed(check, inventory, err),)
        if not view.read or not view.read <= (complete or frozenset()):
            return None
        return rows
