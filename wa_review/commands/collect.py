"""`wa-review collect`: read the account(s), judge the evidence, write the evidence file."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wa_review.aws.context import AwsContext
from wa_review.aws.ratelimit import RateLimits
from wa_review.aws.run import Progress, collect_inventory
from wa_review.commands.aws_options import (
    aws_options,
    check_options,
    to_aws_options,
    to_check_config,
)
from wa_review.commands.fail_on import fail_on_option, report_gate, to_gate
from wa_review.diffing.sources import registry_severity
from wa_review.gates import STATUS_WORDS, matching_evidence
from wa_review.model.evidence import Status
from wa_review.model.evidence_file import EvidenceFile
from wa_review.pipeline import build_evidence_file, run_checks


@click.command()
@aws_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evidence.json"),
    show_default=True,
)
@check_options
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@fail_on_option(
    STATUS_WORDS,
    help="Exit with code 8 (after writing the evidence file) when a finding matches: fail, "
    "warn, unknown, and/or severity>=LEVEL (critical, high, medium, low, info). Repeat or "
    "separate with commas.",
)
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
    trusted: tuple[str, ...],
    org_id: str | None,
    quiet: bool,
    fail_on: tuple[str, ...],
) -> int:
    """Collect SEC2 evidence read-only and write it to an evidence file."""
    gate = to_gate(fail_on, STATUS_WORDS)
    err = Console(stderr=True, highlight=False)
    ctx = AwsContext(
        to_aws_options(
            profile, regions, role_arns, endpoint_url, quotas, access_analyzer=access_analyzer
        )
    )
    accounts = ctx.accounts()  # fails early, with a hint, when there are no credentials
    err.print(
        f"Collecting from account(s) {', '.join(a.account for a in accounts)} "
        f"in {', '.join(ctx.regions())}",
        markup=False,
    )
    lock = threading.Lock()

    def show(progress: Progress) -> None:
        if quiet or progress.state == "started":
            return
        line = f"  {progress.service:<16} {progress.region:<14} {progress.state:<9} {progress.resources:>5} found {progress.calls:>5} calls"
        if progress.message:
            line += f"  {progress.message}"
        with lock:
            err.print(line, markup=False)

    collection = collect_inventory(ctx, stacks=stacks, tags=tags, on_progress=show)
    evidence = run_checks(collection, to_check_config(trusted, org_id))
    result = build_evidence_file(collection, evidence)
    result.save(output)
    out = Console(highlight=False)
    if not out.is_terminal:  # piped or captured: keep check ids whole
        out = Console(highlight=False, width=120)
    out.print(summary_table(result))
    err.print(
        f"Wrote {len(result.evidence)} findings to {output} "
        f"({sum(result.stats.calls.values())} API calls, {result.stats.errors} errors, {result.stats.seconds:.1f}s)",
        markup=False,
    )
    if gate is None:
        return 0
    return report_gate(
        gate, matching_evidence(gate, result.evidence, severity_of=registry_severity)
    )


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
