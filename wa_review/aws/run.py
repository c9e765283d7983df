"""Run the collectors: accounts, Regions and services in parallel, with progress and cancellation.

Each (account, Region, service) collector fans its per-resource calls out on a pool of its own.
The rate limiter makes a call wait for its own (account, Region, quota family) bucket, so a
worker that waits holds up only calls that would wait for the same quota anyway: Lambda's
calls in one account never queue behind another account's, nor SQS's behind Lambda's.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wa_review.aws import access_analyzer_cross_check as cross_check
from wa_review.aws.api import RegionApi
from wa_review.aws.collectors import ALL_COLLECTORS, CollectorClass
from wa_review.aws.completion import Completion, InventoryFn, InventorySoFar
from wa_review.aws.context import AccountSession, AwsContext
from wa_review.aws.organization import OrgMembers
from wa_review.aws.resolve_scope import resolve_scope
from wa_review.aws.scope import Scope
from wa_review.model.evidence import FetchError
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.access_analyzer_cross_check import AccessAnalyzerCrossCheckSnapshot

log = logging.getLogger(__name__)

# InventorySoFar is what `on_inventory` receives; the CLI, TUI and preview import it from here.
__all__ = [
    "CollectState",
    "Collection",
    "InventoryFn",
    "InventorySoFar",
    "Progress",
    "ProgressFn",
    "collect_inventory",
]

# How many (account, Region) lanes are collected at once; the next starts as one ends. Within
# a lane every service runs side by side, each on its own quotas. The window bounds the threads,
# clients and connection pools alive at once, so memory does not grow with the organization;
# one process spends 2-4 ms of CPU per call, which 16 lanes at Lambda's quotas already fill.
LANES = 16


class CollectState(StrEnum):
    STARTED = "started"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of collection, for the CLI's and the TUI's live display."""

    service: str
    account: str
    region: str
    state: CollectState
    resources: int = 0
    calls: int = 0
    errors: int = 0
    message: str = ""


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class Collection:
    inventories: tuple[AccountInventory, ...]
    scope: Scope
    regions: tuple[str, ...]
    calls: dict[str, int]
    errors: tuple[FetchError, ...]
    retries: int
    seconds: float
    cancelled: bool
    # Set when the accounts came from Organizations (--org-role).
    organization: OrgMembers | None = None
    trust_org: bool = True

    def describe_scope(self) -> dict[str, Any]:
        """The scope as the evidence file records it, with the organization's accounts."""
        described = self.scope.describe()
        if self.organization is not None:
            described["organization"] = {
                **self.organization.describe(),
                "unreachable": sorted(
                    e.account for e in self.errors if e.operation == "AssumeRole"
                ),
                "trusted": self.trust_org,
            }
        return described

    def trusting(self, config: CheckConfig) -> CheckConfig:
        """`config` with the reviewed organization's accounts trusted, unless the user said no."""
        org = self.organization
        if org is None or not self.trust_org:
            return config
        return CheckConfig(
            trusted_accounts=config.trusted_accounts | org.members,
            org_id=config.org_id or org.org_id,
            max_role_services=config.max_role_services,
        )


@dataclass(frozen=True, slots=True)
class _Task:
    cls: CollectorClass
    account: AccountSession
    region: str

    @property
    def where(self) -> str | None:
        """The inventory slot: None for an account-wide collector."""
        return None if self.cls.global_ else self.region


def collect_inventory(
    ctx: AwsContext,
    *,
    stacks: tuple[str, ...] = (),
    tags: tuple[tuple[str, str], ...] = (),
    collectors: Sequence[CollectorClass] = ALL_COLLECTORS,
    on_progress: ProgressFn | None = None,
    on_inventory: InventoryFn | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int = 8,
) -> Collection:
    """Resolve the scope, then run every collector for every account and region.

    `on_inventory` is called (on this thread) each time a collector has finished every
    region of an account, with what is in so far.
    """
    started = time.monotonic()
    report = on_progress or (lambda _p: None)
    accounts = ctx.accounts()
    reachable = [a for a in accounts if a.unreachable is None]
    with ThreadPoolExecutor(workers, thread_name_prefix="wa-regions") as pool:
        # With --region all, one DescribeRegions per account: asked side by side.
        found = pool.map(ctx.regions_for, accounts)
        regions = dict(zip([a.account for a in accounts], found, strict=True))
    lanes = max(1, min(LANES, sum(len(regions[a.account]) for a in reachable)))
    with ThreadPoolExecutor(
        max_workers=max(workers, lanes * len(collectors)), thread_name_prefix="wa-collect"
    ) as outer:
        scope = _resolve(ctx, reachable, regions, stacks, tags, workers, cancelled)
        # Every region is in from the start, so a check that walks the regions sees them all
        # even while some have delivered nothing yet.
        inventories = {
            a.account: AccountInventory(
                a.account, regions[a.account][0], regional={r: {} for r in regions[a.account]}
            )
            for a in accounts
        }
        progress = Completion(on_inventory, inventories)
        if not ctx.options.access_analyzer:  # never coming: its absence is final
            for account in accounts:
                progress.done(account.account, AccessAnalyzerCrossCheckSnapshot)
        tasks = [
            _Task(cls, account, region)
            for account in accounts
            for region in regions[account.account]
            for cls in collectors
            if not cls.global_ or region == regions[account.account][0]
        ]
        for task in tasks:
            report(
                Progress(task.cls.service, task.account.account, task.region, CollectState.STARTED)
            )
            progress.expect(task.account.account, task.cls)

        def submit(task: _Task) -> Future[tuple[Any, CollectState, str]]:
            return outer.submit(_run_one, ctx, task, scope, workers, cancelled)

        _gather(ctx, _by_lane(tasks), submit, inventories, progress, report, window=lanes)
    if ctx.options.access_analyzer:
        _cross_check(
            ctx, reachable, regions, scope, inventories, progress, report, workers, cancelled
        )
    calls, errors = ctx.recorder.snapshot()
    return Collection(
        inventories=tuple(inventories.values()),
        scope=scope,
        regions=_union(ctx.home_region, regions.values()),
        calls=calls,
        errors=tuple(errors),
        retries=ctx.recorder.retries,
        seconds=time.monotonic() - started,
        cancelled=cancelled(),
        organization=ctx.organization,
        trust_org=ctx.options.trust_org,
    )


def _resolve(
    ctx: AwsContext,
    accounts: list[AccountSession],
    regions: dict[str, tuple[str, ...]],
    stacks: tuple[str, ...],
    tags: tuple[tuple[str, str], ...],
    workers: int,
    cancelled: Callable[[], bool],
) -> Scope:
    if not stacks and not tags:
        return Scope()
    with ThreadPoolExecutor(workers, thread_name_prefix="wa-scope") as pool:
        apis = [
            RegionApi(ctx, a, r, Scope(), pool=pool, cancelled=cancelled)
            for a in accounts
            for r in regions[a.account]
        ]
        return resolve_scope(apis, stacks=stacks, tags=tags)


def _by_lane(tasks: list[_Task]) -> list[list[_Task]]:
    """The tasks of each (account, Region), in the order they were listed."""
    lanes: dict[tuple[str, str], list[_Task]] = {}
    for task in tasks:
        lanes.setdefault((task.account.account, task.region), []).append(task)
    return list(lanes.values())


def _gather(
    ctx: AwsContext,
    lanes: list[list[_Task]],
    submit: Callable[[_Task], Future[tuple[Any, CollectState, str]]],
    inventories: dict[str, AccountInventory],
    progress: Completion,
    report: ProgressFn,
    *,
    window: int,
) -> None:
    """Run `window` (account, Region) lanes at a time, starting the next as one ends; store
    each snapshot as it arrives, report it, and close an account's clients once it is done.

    Only the lanes in flight hold clients and threads, so memory follows the window, not the
    organization; past a handful of lanes the CPU, not the quotas, sets the pace anyway.
    """
    waiting = deque(lanes)
    left_in_account: dict[str, int] = {}
    for lane in lanes:
        account = lane[0].account.account
        left_in_account[account] = left_in_account.get(account, 0) + len(lane)
    running: dict[Future[tuple[Any, CollectState, str]], tuple[_Task, list[_Task]]] = {}
    left_in_lane: dict[int, int] = {}

    def start_next() -> None:
        lane = waiting.popleft()
        left_in_lane[id(lane)] = len(lane)
        for task in lane:
            running[submit(task)] = (task, lane)

    while waiting and len(left_in_lane) < window:
        start_next()
    while running:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            task, lane = running.pop(future)
            _arrived(ctx, task, future.result(), inventories, progress, report)
            left_in_lane[id(lane)] -= 1
            if left_in_lane[id(lane)] == 0:
                del left_in_lane[id(lane)]
                if waiting:
                    start_next()
            account = task.account.account
            left_in_account[account] -= 1
            if left_in_account[account] == 0 and not ctx.options.access_analyzer:
                ctx.release(task.account)


def _arrived(
    ctx: AwsContext,
    task: _Task,
    result: tuple[Any, CollectState, str],
    inventories: dict[str, AccountInventory],
    progress: Completion,
    report: ProgressFn,
) -> None:
    snapshot, state, message = result
    account = task.account.account
    if snapshot is not None:
        inventories[account].add(task.where, snapshot)
    progress.arrived(account, task.cls, snapshot)
    report(_progress(ctx, task, snapshot, state, message))


def _progress(
    ctx: AwsContext, task: _Task, snapshot: Any, state: CollectState, message: str
) -> Progress:
    calls, errors = ctx.recorder.snapshot()
    prefixes = task.cls.call_prefixes()
    names = task.cls.error_names()
    account = task.account.account
    return Progress(
        task.cls.service,
        account,
        task.region,
        state,
        resources=task.cls.resources(snapshot) if snapshot is not None else 0,
        # Counts for this service in every account and Region so far: the recorder keeps
        # one tally per operation, not per account.
        calls=sum(v for k, v in calls.items() if k.startswith(prefixes)),
        errors=sum(1 for e in errors if e.service in names and e.account == account),
        message=message,
    )


def _run_one(
    ctx: AwsContext, task: _Task, scope: Scope, workers: int, cancelled: Callable[[], bool]
) -> tuple[Any, CollectState, str]:
    refused = task.account.unreachable
    if refused is not None:  # the account's role was refused: everything in it is UNKNOWN
        return task.cls.unreadable(refused), CollectState.FAILED, refused.reason()
    if cancelled():
        return None, CollectState.CANCELLED, "cancelled before it started"
    # A pool per collector run: its per-resource calls wait only on their own quotas.
    with ThreadPoolExecutor(workers, thread_name_prefix=f"wa-{task.cls.service}") as pool:
        api = RegionApi(ctx, task.account, task.region, scope, pool=pool, cancelled=cancelled)
        try:
            snapshot = task.cls().collect(api)
        except Exception as err:  # a collector bug or an answer of a shape it did not expect
            log.error("collector %s failed in %s", task.cls.service, api.region, exc_info=True)
            snapshot = _crashed(task.cls, api, err)
    error = snapshot.listing_error
    if error is not None:
        return snapshot, CollectState.FAILED, error.reason()
    return snapshot, CollectState.DONE, ""


def _crashed(cls: CollectorClass, api: RegionApi, err: Exception) -> Any:
    """The collector's snapshot with nothing in it and every listing failed: its checks give
    UNKNOWN with the reason, and the other collectors' evidence is kept."""
    reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    error = api.unusable(cls.service, "collect", "", "CollectorFailed", reason)
    names = [f.name for f in dataclasses.fields(cls.snapshot_type)]
    return cls.snapshot_type(**{n: error for n in names if n.endswith("listing_error")})


def _cross_check(
    ctx: AwsContext,
    accounts: list[AccountSession],
    regions: dict[str, tuple[str, ...]],
    scope: Scope,
    inventories: dict[str, AccountInventory],
    progress: Completion,
    report: ProgressFn,
    workers: int,
    cancelled: Callable[[], bool],
) -> None:
    """Opt-in, as AWS bills each call; it reads the policies the collectors stored, so it
    runs once they are all in."""
    with ThreadPoolExecutor(workers, thread_name_prefix=f"wa-{cross_check.SERVICE}") as pool:
        for account in accounts:
            for region in regions[account.account]:
                if cancelled():
                    break
                api = RegionApi(ctx, account, region, scope, pool=pool, cancelled=cancelled)
                inventory = inventories[account.account]
                report(Progress(cross_check.SERVICE, account.account, region, CollectState.STARTED))
                checked = cross_check.check_public_access(api, inventory)
                inventory.add(region, checked)
                report(_cross_check_progress(ctx, account, region, checked))
            if not cancelled():
                progress.done(account.account, AccessAnalyzerCrossCheckSnapshot)
                progress.publish()
            ctx.release(account)


def _union(home: str, regions: Any) -> tuple[str, ...]:
    """Every Region reviewed in any account, the home Region first."""
    found = {r for per_account in regions for r in per_account}
    return (home, *sorted(found - {home})) if home in found else tuple(sorted(found))


def _cross_check_progress(
    ctx: AwsContext, account: AccountSession, region: str, checked: AccessAnalyzerCrossCheckSnapshot
) -> Progress:
    error = checked.listing_error
    calls, errors = ctx.recorder.snapshot()
    return Progress(
        cross_check.SERVICE,
        account.account,
        region,
        CollectState.FAILED if error is not None else CollectState.DONE,
        resources=len(checked.checks),
        calls=calls.get("access-analyzer:CheckNoPublicAccess", 0),
        errors=sum(1 for e in errors if e.operation == "CheckNoPublicAccess"),
        message=error.reason() if error is not None else "",
    )
