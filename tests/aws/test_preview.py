"""Evidence while collecting: a check answers early only with what it will answer at the end."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.hardening.conftest import demo_account, demo_context  # noqa: F401 (fixture)
from wa_review.aws.run import Collection, InventorySoFar, collect_inventory
from wa_review.checks import CheckMeta, RegisteredCheck, all_checks
from wa_review.demo.server import DemoAccount
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.access_analyzer_cross_check import AccessAnalyzerCrossCheckSnapshot
from wa_review.pipeline import run_checks
from wa_review.preview import PreviewChecks


@dataclass
class Run:
    collection: Collection
    config: CheckConfig
    steps: list[InventorySoFar]
    final: list[Evidence]


@pytest.fixture(scope="module")
def run(demo_account: DemoAccount) -> Iterator[Run]:  # noqa: F811
    steps: list[InventorySoFar] = []
    collection = collect_inventory(demo_context(demo_account), on_inventory=steps.append)
    config = CheckConfig(org_id=demo_account.names.get("org_id"))
    yield Run(collection, config, steps, run_checks(collection, config))


def by_check(evidence: tuple[Evidence, ...] | list[Evidence]) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = {}
    for row in evidence:
        found.setdefault(row.check_id, []).append(row)
    return found


def test_types_complete_one_collector_at_a_time_and_end_complete(run: Run) -> None:
    (inventory,) = run.collection.inventories
    account = inventory.account
    complete = [step.complete.get(account, frozenset()) for step in run.steps]
    assert all(a <= b for a, b in itertools.pairwise(complete))
    assert len(run.steps) >= 10  # one step per collector, not one at the end
    collected = {kind for kinds in inventory.regional.values() for kind in kinds}
    collected |= set(inventory.global_)
    assert collected <= complete[-1]
    # A copy: what the collection adds later never shows up in an earlier step.
    first = run.steps[0].inventories[0]
    assert sum(len(k) for k in first.regional.values()) + len(first.global_) < len(collected)


def test_every_early_answer_is_the_final_answer_and_the_last_step_is_the_whole(run: Run) -> None:
    final = by_check(run.final)
    preview = PreviewChecks(run.config)
    streamed = False
    for step in run.steps:
        shown = preview.advance(step)
        answered = by_check(shown.evidence)
        for check_id, rows in answered.items():
            assert rows == final.get(check_id), check_id
        assert not (set(answered) & shown.pending)
        streamed = streamed or bool(shown.pending and shown.evidence)
    assert streamed, "no step had some checks answered and others waiting"
    assert shown.pending == frozenset()
    assert list(shown.evidence) == run.final


@pytest.mark.parametrize("seed", range(4))
def test_any_arrival_order_gives_only_final_answers(run: Run, seed: int) -> None:
    """Whatever order the services finish in (simulated from the full inventory)."""
    (full,) = run.collection.inventories
    kinds = sorted(  # the Access Analyzer cross-check is off: its absence is complete too
        {k for kinds in full.regional.values() for k in kinds}
        | set(full.global_)
        | {AccessAnalyzerCrossCheckSnapshot},
        key=lambda k: k.__name__,
    )
    random.Random(seed).shuffle(kinds)
    final = by_check(run.final)
    preview = PreviewChecks(run.config)
    for n in range(len(kinds) + 1):
        arrived = frozenset(kinds[:n])
        part = AccountInventory(
            full.account,
            full.home_region,
            regional={
                r: {k: v for k, v in snaps.items() if k in arrived}
                for r, snaps in full.regional.items()
            },
            global_={k: v for k, v in full.global_.items() if k in arrived},
        )
        shown = preview.advance(InventorySoFar((part,), {full.account: arrived}))
        for check_id, rows in by_check(shown.evidence).items():
            assert rows == final.get(check_id), (seed, n, check_id)
    assert shown.pending == frozenset()


def test_a_check_that_fails_on_half_the_data_waits_instead_of_crashing(run: Run) -> None:
    def fragile(inventory: AccountInventory, config: CheckConfig) -> list[Evidence]:
        from wa_review.model.snapshots.sqs import SqsSnapshot

        snapshot = inventory.get(inventory.home_region, SqsSnapshot)
        assert snapshot is not None  # a check written for complete inventories only
        return []

    meta = CheckMeta("test.fragile", "t", Severity.LOW, "sqs", "r", "m")
    preview = PreviewChecks(run.config, [*all_checks(), RegisteredCheck(meta, fragile)])
    (full,) = run.collection.inventories
    empty = AccountInventory(full.account, full.home_region, regional={full.home_region: {}})
    shown = preview.advance(InventorySoFar((empty,), {full.account: frozenset()}))
    assert "test.fragile" in shown.pending
