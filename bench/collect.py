"""One measured review run in a fresh process: wa-review's real collection, then every check.

Run: python -m bench.collect --endpoint URL [--no-limits] [--workers 8]
Prints one JSON object (wall times, calls per operation, retries, evidence, peak memory).
A process of its own per run keeps the peak-memory figure (ru_maxrss) to this run alone.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.config import Config

from bench.generate import REGION, session
from wa_review.aws.collectors import ALL_COLLECTORS
from wa_review.aws.collectors.accessanalyzer import AccessAnalyzerCollector
from wa_review.aws.collectors.dns_firewall import DnsFirewallCollector
from wa_review.aws.context import AwsContext, AwsOptions
from wa_review.aws.ratelimit import RateLimits
from wa_review.aws.run import Progress, collect_inventory
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import run_checks

# moto's server has no backend for these two services: it answers an HTML 500 page that
# botocore retries with backoff (up to ~70 s at 8 attempts), which AWS never does. They
# cost one or two calls on AWS, so leaving them out changes the measurement by nothing else.
SKIPPED = (AccessAnalyzerCollector, DnsFirewallCollector)
COLLECTORS = tuple(c for c in ALL_COLLECTORS if c not in SKIPPED)


@dataclass(slots=True)
class RunResult:
    """What one run measured; the JSON the orchestrator reads back."""

    collect_seconds: float
    checks_seconds: float
    calls: dict[str, int]
    retries: int
    errors: int
    evidence: int
    peak_rss_mb: float
    rss_before_mb: float
    error_codes: dict[str, int] = field(default_factory=dict)
    # Seconds from the start until each collector finished: which one set the wall time.
    finished: dict[str, float] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return self.collect_seconds + self.checks_seconds


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class StandardRetriesContext(AwsContext):
    """botocore's standard retry mode with 3 retries and no client-side rate adaptation: the
    settings Prowler documents for its AWS provider, i.e. a tool without rate awareness."""

    def config(self) -> Config:
        return super().config().merge(Config(retries={"mode": "standard", "max_attempts": 3}))


def measure(
    endpoint: str, *, limits: RateLimits | None, workers: int, standard_retries: bool = False
) -> RunResult:
    options = AwsOptions(regions=(REGION,), endpoint_url=endpoint, rate_limits=limits)
    kind = StandardRetriesContext if standard_retries else AwsContext
    ctx = kind(options, session_factory=lambda **_: session())
    rss_before = _rss_mb()
    started = time.perf_counter()
    finished: dict[str, float] = {}

    def progress(step: Progress) -> None:
        if step.state != "started":
            finished[step.service] = round(time.perf_counter() - started, 2)

    collection = collect_inventory(
        ctx, collectors=COLLECTORS, workers=workers, on_progress=progress
    )
    collected = time.perf_counter()
    evidence = run_checks(collection, CheckConfig())
    checked = time.perf_counter()
    codes: dict[str, int] = {}
    for error in collection.errors:
        key = f"{error.service}:{error.operation}:{error.code}"
        codes[key] = codes.get(key, 0) + 1
    return RunResult(
        collect_seconds=collected - started,
        checks_seconds=checked - collected,
        calls=dict(sorted(collection.calls.items())),
        retries=collection.retries,
        errors=len(collection.errors),
        evidence=len(evidence),
        # ru_maxrss is in KiB on Linux.
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        rss_before_mb=rss_before,
        error_codes=codes,
        finished=finished,
    )


def from_json(raw: dict[str, Any]) -> RunResult:
    return RunResult(**raw)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--no-limits", action="store_true", help="client-side limiting off")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--standard-retries", action="store_true", help="standard mode, 3 retries (Prowler's)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    limits = RateLimits.off() if args.no_limits else None
    result = measure(
        args.endpoint,
        limits=limits,
        workers=args.workers,
        standard_retries=args.standard_retries,
    )
    sys.stdout.write(json.dumps(asdict(result)) + "\n")


if __name__ == "__main__":
    main()
