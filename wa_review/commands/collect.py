"""`wa-review collect`: read the account(s), judge the evidence, write the evidence file."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wa_review.aws.account_progress import AccountTally, accounts_line, organization_lines
from wa_review.aws.context import AwsContext
from wa_review.aws.ratelimit import RateLimits
from wa_review.aws.run import Progress
from wa_review.cli import LOG_ENV
from wa_review.collect_flow import collect_and_judge
from wa_review.commands.aws_options import (
    OrgSelection,
    aws_options,
    check_options,
    org_options,
    to_aws_options,
    to_check_config,
)
from wa_review.commands.fail_on import fail_on_option, report_gate, to_gate
from wa_review.commands.params import OUTPUT_FILE
from wa_review.diffing.sources import registry_severity
from wa_review.errors import EXIT_INTERRUPTED
from wa_review.gates import STATUS_WORDS, matching_evidence
from wa_review.model.evidence import Status
from wa_review.model.evidence_file import EvidenceFile
from wa_review.outputs import prepare_output
from wa_review.pipeline import CHECK_FAILED


@click.command()
@aws_options
@click.option(
    "--output",
    "-o",
    type=OUTPUT_FILE,
    default=Path("evidence.json"),
    show_default=True,
)
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@check_options
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@fail_on_option(
    STATUS_WORDS,
    help="Exit with code 8 (after writing the evidence file) when a finding matches: fail, "
    "warn, unknown, and/or severity>=LEVEL (critical, high, medium, low, info). Repeat or "
    "separate with commas.",
)
@org_options
def collect(
    profile: str | None,
    regions: tuple[str, ...],
    role_arns: tuple[str, ...],
    endpoint_url: str | None,
    quotas: RateLimits | None,
    stacks: tuple[str, ...],
    tags: tuple[tuple[str, str], ...],
    access_analyzer: bool,
    output: Path,
    force: bool,
    trusted: tuple[str, ...],
    org_id: str | None,
    quiet: bool,
    fail_on: tuple[str, ...],
    org: OrgSelection,
) -> int:
    """Collect SEC2 evidence read-only and write it to an evidence file."""
    gate = to_gate(fail_on, STATUS_WORDS)
    prepare_output(output, force=force)  # before collecting, not after minutes of it
    err = Console(stderr=True, highlight=False)
    with _stop_on_ctrl_c(err, output):
        options = to_aws_options(
            profile, regions, role_arns, endpoint_url, quotas, access_analyzer=access_analyzer
        )
        ctx = AwsContext(org.applied_to(options))
        accounts = ctx.accounts()  # fails early, with a hint, when there are no credentials
        for line in organization_lines(ctx):
            err.print(line, markup=False)
        err.print(
            accounts_line(
                [a.account for a in accounts],
                () if ctx.options.all_regions else ctx.regions(),
                all_regions=ctx.options.all_regions,
            ),
            markup=False,
        )
        show = _progress_printer(err, quiet=quiet, several=len(accounts) > 1)
        result = collect_and_judge(
            ctx,
            config=to_check_config(trusted, org_id),
            out=output,
            stacks=stacks,
            tags=tags,
            on_progress=show,
        )
    assert result is not None  # only Ctrl-C cancels, and it ends the process
    _print_outcome(err, result, output)
    if gate is None:
        return 0
    return report_gate(
        gate, matching_evidence(gate, result.evidence, severity_of=registry_severity)
    )


def _progress_printer(err: Console, *, quiet: bool, several: bool) -> Callable[[Progress], None]:
    """A line per finished collector (account first when there are several), and each
    account's totals as it finishes; threads print one line at a time."""
    lock = threading.Lock()
    tally = AccountTally()

    def show(progress: Progress) -> None:
        status = tally.record(progress)
        if quiet or progress.state == "started":
            return
        line = f"  {progress.service:<16} {progress.region:<14} {progress.state:<9} {progress.resources:>5} found {progress.calls:>5} calls"
        if several:
            line = f"  {progress.account}{line}"
        if progress.message:
            line += f"  {progress.message}"
        with lock:
            err.print(line, markup=False)
            if several and status.finished:
                done, failed, running = tally.totals()
                err.print(
                    f"  account {status.line()}  [accounts: {done} done, {failed} failed, {running} in progress]",
                    markup=False,
                )

    return show


def _print_outcome(err: Console, result: EvidenceFile, output: Path) -> None:
    """The summary table on stdout; failed checks and where the evidence went on stderr."""
    out = Console(highlight=False)
    if not out.is_terminal:  # piped or captured: keep check ids whole
        out = Console(highlight=False, width=120)
    out.print(summary_table(result))
    failed = sorted(
        {
            e.check_id
            for e in result.evidence
            if e.details.get("error", {}).get("code") == CHECK_FAILED
        }
    )
    if failed:
        err.print(
            f"{len(failed)} check(s) failed and are UNKNOWN: {', '.join(failed)} "
            f"(set {LOG_ENV}=FILE to keep the tracebacks for a bug report)",
            markup=False,
        )
    err.print(
        f"Wrote {len(result.evidence)} findings to {output} "
        f"({sum(result.stats.calls.values())} API calls, {result.stats.errors} errors, {result.stats.seconds:.1f}s)",
        markup=False,
    )


@contextmanager
def _stop_on_ctrl_c(err: Console, output: Path) -> Iterator[None]:
    """Ctrl-C ends the collection at once: calls in flight are abandoned, nothing is saved.

    Waiting for the worker threads would mean waiting for every call in flight (up to the read
    timeout times the attempts), so the process ends without them. The evidence file is
    written atomically (temp file, then rename): it is whole or absent, never half.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only (an embedding caller handles them)
        return

    def stop(_signum: int, _frame: object) -> None:
        # A save cut off before its rename leaves only its temporary file: remove it.
        for partial in output.parent.glob(f".{output.name}.*.tmp"):
            partial.unlink(missing_ok=True)
        if output.exists() and output.stat().st_mtime >= started:
            err.print(f"Interrupted after {output} was written.", markup=False)
        else:
            err.print(
                f"Interrupted: the collection was stopped and nothing was saved ({output} "
                "was not written).",
                markup=False,
            )
        sys.stderr.flush()
        sys.stdout.flush()
        logging.shutdown()
        os._exit(EXIT_INTERRUPTED)

    started = time.time()
    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def summary_table(result: EvidenceFile) -> Table:
    counts: dict[str, Counter[Status]] = {}
    for item in result.evidence:
        counts.setdefault(item.check_id, Counter())[item.status] += 1
    table = Table(title="SEC2 evidence by check")
    table.add_column("check")
    for status in (Status.PASS, Status.FAIL, Status.WARN, Status.UNKNOWN, Status.NOT_APPLICABLE):
        table.add_column(status.value.replace("_", " "), justify="right")
    for check_id in sorted(counts):
        row = counts[check_id]
        table.add_row(
            escape(check_id),
            *(
                str(row[s])
                for s in (
                    Status.PASS,
                    Status.FAIL,
                    Status.WARN,
                    Status.UNKNOWN,
                    Status.NOT_APPLICABLE,
                )
            ),
        )
    return table
