"""Run the collectors: services and regions in parallel, with progress and cancellation."""

from __future__ import annotations

import logging
import time
import typing
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass

from wa_review.aws import access_analyzer_cross_check as cross_check
from wa_review.aws.api import RegionApi
from wa_review.aws.collectors import ALL_COLLECTORS, Collector
from wa_review.aws.context import AccountSession, AwsContext
from wa_review.aws.resolve_scope import resolve_scope
from wa_review.aws.scope import Scope
from wa_review.model.evidence import FetchError
from wa_review.model.inventory import AccountInventory
from wa_review.model.snapshots.access_analyzer_cross_check import AccessAnalyzerCrossCheckSnapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of collection, for the CLI's and the TUI's live display."""

    service: str
    account: str
    region: str
    state: str  # started | done | failed | cancelled
    resources: int = 0
    calls: int = 0
    errors: int = 0
    message: str = ""


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class InventorySoFar:
    """The snapshots collected so far (copies: the collection goes on adding to its own).

    `complete[account]` holds the snapshot types every region of that account has delivered;
    a check that reads only those gives its final answer already.
    """

    inventories: tuple[AccountInventory, ...]
    complete: dict[str, frozenset[type]]


InventoryFn = Callable[[InventorySoFar], None]


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


# The call recorder names calls by endpoint prefix; where a collector's service differs (or it
# also calls a sibling API), these are the prefixes its calls carry.
_ENDPOINT_PREFIXES = {
    "accessanalyzer": ("access-analyzer",),
    "dynamodb": ("dynamodb", "streams.dynamodb"),
    "s3": ("s3", "s3-control"),
}
# Likewise for the service names its failed calls are recorded under.
_ERROR_SERVICES = {"dynamodb": ("dynamodb", "dynamodbstreams"), "s3": ("s3", "s3control")}


def _count(snapshot: object) -> int:
    total = 0
    for name in getattr(snapshot, "__dataclass_fields__", {}):
        value = getattr(snapshot, name)
        if isinstance(value, tuple):
            total += len(value)
    return total


def collect_inventory(
    ctx: AwsContext,
    *,
    stacks: tuple[str, ...] = (),
    tags: tuple[tuple[str, str], ...] = (),
    collectors: Sequence[type[Collector]] = ALL_COLLECTORS,
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
    regions = ctx.regions()
    with ExitStack() as stack:
        outer = stack.enter_context(
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wa-collect")
        )
        # One fan-out pool per service: per-resource calls wait on their own service's quota
        # (wa_review.aws.ratelimit), so a shared pool would let Lambda's waiting calls hold
        # every worker while SQS or API Gateway calls, whose quota has room, queue behind them.
        pools: dict[str, ThreadPoolExecutor] = {}

        def pool_for(service: str) -> ThreadPoolExecutor:
            if service not in pools:  # only the submitting (calling) thread gets here
                pools[service] = stack.enter_context(
                    ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"wa-{service}")
                )
            return pools[service]

        def api_for(
            account: AccountSession, region: str, scope: Scope, service: str = "scope"
        ) -> RegionApi:
            return RegionApi(
                ctx, account, region, scope, pool=pool_for(service), cancelled=cancelled
            )

        scope_apis = [api_for(a, r, Scope()) for a in accounts for r in regions]
        scope = resolve_scope(scope_apis, stacks=stacks, tags=tags)
        # Every region is in from the start, so a check that walks the regions sees them all
        # even while some have delivered nothing yet.
        inventories = {
            a.account: AccountInventory(a.account, regions[0], regional={r: {} for r in regions})
            for a in accounts
        }
        progress = _Completion(on_inventory, inventories)
        if not ctx.options.access_analyzer:  # never coming: its absence is final
            for account in accounts:
                progress.done(account.account, AccessAnalyzerCrossCheckSnapshot)
        futures = {}
        for account in accounts:
            for cls in collectors:
                for region in (regions[0],) if cls.global_ else regions:
                    api = api_for(account, region, scope, cls.service)
                    report(Progress(cls.service, account.account, region, "started"))
                    futures[outer.submit(_run_one, cls, api, cancelled)] = (cls, account, region)
                    progress.expect(account.account, cls)
        for future in as_completed(futures):
            cls, account, region = futures[future]
            snapshot, state, message = future.result()
            if snapshot is not None:
                inventories[account.account].add(None if cls.global_ else region, snapshot)
            progress.arrived(account.account, cls, snapshot)
            calls, errors = ctx.recorder.snapshot()
            prefixes = tuple(f"{p}:" for p in _ENDPOINT_PREFIXES.get(cls.service, (cls.service,)))
            report(
                Progress(
                    cls.service,
                    account.account,
                    region,
                    state,
                    resources=_count(snapshot) if snapshot is not None else 0,
                    calls=sum(v for k, v in calls.items() if k.startswith(prefixes)),
                    errors=sum(
                        1
                        for e in errors
                        if e.service in _ERROR_SERVICES.get(cls.service, (cls.service,))
                    ),
                    message=message,
                )
            )
        # Opt-in, as AWS bills each call; it reads the policies the collectors stored, so it
        # runs once they are all in.
        if ctx.options.access_analyzer:
            for account in accounts:
                for region in regions:
                    if cancelled():
                        break
                    api = api_for(account, region, scope, cross_check.SERVICE)
                    inventory = inventories[account.account]
                    report(Progress(cross_check.SERVICE, account.account, region, "started"))
                    checked = cross_check.check_public_access(api, inventory)
                    inventory.add(region, checked)
                    report(_cross_check_progress(ctx, account, region, checked))
                if not cancelled():
                    progress.done(account.account, AccessAnalyzerCrossCheckSnapshot)
                    progress.publish()
    calls, errors = ctx.recorder.snapshot()
    return Collection(
        inventories=tuple(inventories.values()),
        scope=scope,
        regions=regions,
        calls=calls,
        errors=tuple(errors),
        retries=ctx.recorder.retries,
        seconds=time.monotonic() - started,
        cancelled=cancelled(),
    )


class _Completion:
    """Which snapshot types each account has in full, told to `on_inventory` as they complete."""

    def __init__(
        self, on_inventory: InventoryFn | None, inventories: dict[str, AccountInventory]
    ) -> None:
        self._on_inventory = on_inventory
        self._inventories = inventories
        self._waiting: dict[tuple[str, type[Collector]], int] = {}
        self._kinds: dict[tuple[str, type[Collector]], set[type]] = {}
        self._cancelled: set[tuple[str, type[Collector]]] = set()
        self._complete: dict[str, set[type]] = {}

    def expect(self, account: str, cls: type[Collector]) -> None:
        key = (account, cls)
        self._waiting[key] = self._waiting.get(key, 0) + 1

    def done(self, account: str, kind: type) -> None:
        self._complete.setdefault(account, set()).add(kind)

    def arrived(self, account: str, cls: type[Collector], snapshot: object | None) -> None:
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


def _run_one(
    cls: type[Collector], api: RegionApi, cancelled: Callable[[], bool]
) -> tuple[object | None, str, str]:
    if cancelled():
        return None, "cancelled", "cancelled before it started"
    try:
        snapshot = cls().collect(api)
    except Exception as err:  # a collector bug or an answer of a shape it did not expect
        log.error("collector %s failed in %s", cls.service, api.region, exc_info=True)
        snapshot = _crashed(cls, api, err)
    error = getattr(snapshot, "listing_error", None)
    if error is not None:
        return snapshot, "failed", error.reason()
    return snapshot, "done", ""


def _crashed(cls: type[Collector], api: RegionApi, err: Exception) -> object:
    """The collector's snapshot with nothing in it and every listing failed: its checks give
    UNKNOWN with the reason, and the other collectors' evidence is kept."""
    kind = typing.get_type_hints(cls.collect)["return"]
    reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    error = api.unusable(cls.service, "collect", "", "CollectorFailed", reason)
    fields = getattr(kind, "__dataclass_fields__", {})
    return kind(**{name: error for name in fields if name.endswith("listing_error")})


def _cross_check_progress(
    ctx: AwsContext, account: AccountSession, region: str, checked: AccessAnalyzerCrossCheckSnapshot
) -> Progress:
    error = checked.listing_error
    calls, errors = ctx.recorder.snapshot()
    return Progress(
        cross_check.SERVICE,
        account.account,
        region,
        "failed" if error is not None else "done",
        resources=_count(checked),
        calls=calls.get("access-analyzer:CheckNoPublicAccess", 0),
        errors=sum(1 for e in errors if e.operation == "CheckNoPublicAccess"),
        message=error.reason() if error is not None else "",
    )
