"""Collection progress summed up per account (what the CLI and the TUI show for an org)."""

from __future__ import annotations

from wa_review.aws.account_progress import AccountTally, accounts_line
from wa_review.aws.run import CollectState, Progress


def _step(account: str, service: str, state: CollectState, found: int = 0) -> Progress:
    return Progress(service, account, "us-east-1", state, resources=found)


def test_each_account_is_done_failed_or_in_progress_with_counts() -> None:
    tally = AccountTally()
    for account in ("111111111111", "222222222222"):
        for service in ("lambda", "sqs"):
            tally.record(_step(account, service, CollectState.STARTED))
    tally.record(_step("111111111111", "lambda", CollectState.DONE, found=3))
    last = tally.record(_step("111111111111", "sqs", CollectState.FAILED))
    assert last.finished and last.line() == (
        "111111111111: done with failures: 1 done, 1 failed, 0 in progress, 3 resources"
    )
    assert tally.totals() == (0, 1, 1)  # one finished with a failure, one still running
    tally.record(_step("222222222222", "lambda", CollectState.DONE))
    assert not tally.statuses()[1].finished
    tally.record(_step("222222222222", "sqs", CollectState.DONE, found=2))
    assert tally.totals() == (1, 1, 0)


def test_the_opening_line_shortens_a_long_list_of_accounts() -> None:
    many = [f"{n:012d}" for n in range(40)]
    assert accounts_line(many, (), all_regions=True) == (
        "Collecting from account(s) 40 accounts in every enabled Region"
    )
    assert accounts_line(["1"], ("eu-west-1",), all_regions=False).endswith("1 in eu-west-1")
