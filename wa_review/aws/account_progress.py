"""Collection progress summed up per account: what the CLI and the TUI show for an organization."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from wa_review.aws.context import AwsContext
from wa_review.aws.run import CollectState, Progress


@dataclass(frozen=True, slots=True)
class AccountStatus:
    account: str
    running: int
    done: int
    failed: int
    cancelled: int
    resources: int

    @property
    def finished(self) -> bool:
        return self.running == 0

    def line(self) -> str:
        state = "in progress" if self.running else ("failed" if self.failed else "done")
        if self.running == 0 and self.failed and self.done:
            state = "done with failures"
        return (
            f"{self.account}: {state}: {self.done} done, {self.failed} failed, "
            f"{self.running} in progress, {self.resources} resources"
        )


class AccountTally:
    """Thread-safe: fed every Progress, asked for one status per account."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, Counter[CollectState]] = {}
        self._resources: Counter[str] = Counter()

    def record(self, progress: Progress) -> AccountStatus:
        with self._lock:
            states = self._states.setdefault(progress.account, Counter())
            states[progress.state] += 1
            self._resources[progress.account] += progress.resources
            return self._status(progress.account)

    def _status(self, account: str) -> AccountStatus:
        states = self._states[account]
        ended = (
            states[CollectState.DONE] + states[CollectState.FAILED] + states[CollectState.CANCELLED]
        )
        return AccountStatus(
            account,
            running=states[CollectState.STARTED] - ended,
            done=states[CollectState.DONE],
            failed=states[CollectState.FAILED],
            cancelled=states[CollectState.CANCELLED],
            resources=self._resources[account],
        )

    def statuses(self) -> list[AccountStatus]:
        with self._lock:
            return [self._status(a) for a in sorted(self._states)]

    def totals(self) -> tuple[int, int, int]:
        """Accounts finished without failure, with a failure, and still in progress."""
        every = self.statuses()
        running = sum(1 for s in every if not s.finished)
        failed = sum(1 for s in every if s.finished and s.failed)
        return len(every) - running - failed, failed, running


def accounts_line(accounts: list[str], regions: tuple[str, ...], *, all_regions: bool) -> str:
    """The line that opens a collection: which accounts and Regions."""
    shown = ", ".join(accounts) if len(accounts) <= 5 else f"{len(accounts)} accounts"
    where = "every enabled Region" if all_regions else ", ".join(regions)
    return f"Collecting from account(s) {shown} in {where}"


def organization_lines(ctx: AwsContext) -> list[str]:
    """What an --org-role discovery skipped, and why; empty without one."""
    org = ctx.organization
    if org is None:
        return []
    lines = [f"Organization {org.org_id}: {len(org.reviewed)} active account(s) to review"]
    if org.suspended:
        ids = ", ".join(f"{a.id} ({a.status.lower()})" for a in org.suspended)
        lines.append(f"  skipped, not active: {ids}")
    if org.excluded:
        lines.append(f"  excluded: {', '.join(org.excluded)}")
    if org.other_shards:
        lines.append(f"  left to the other shards: {org.other_shards}")
    for account in ctx.accounts():
        if account.unreachable is not None:
            lines.append(
                f"  {account.account}: cannot be reviewed, its checks will say UNKNOWN: "
                f"{account.unreachable.code}: {account.unreachable.message}"
            )
    return lines
