"""The collection benchmark, in one command: python -m bench.run [--sizes 100,500,2000] [--smoke]

For each account size it starts from an empty moto server, generates the account, and runs
wa-review's real collection and checks, each run in a fresh process:

1. against moto directly, without rate limiting: what moto and the client cost by themselves;
2. through the quota proxy (latency + AWS's quotas) with the rate limiter on: the headline;
3. optionally (--unlimited) through the proxy with the limiter off, with botocore's adaptive
   retries and then with standard retries (Prowler's settings): what ignoring the quotas costs.

Then the report and TUI benchmarks, and bench/RESULTS.md (or --out) is written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.collect import RunResult, from_json
from bench.floor import family_floors, quota_floor
from bench.generate import populate
from bench.results import machine_facts, write_results
from bench.servers import REFILL_SECONDS, ROOT, moto_server, proxy_stats, quota_proxy, reset_moto

RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass(slots=True)
class ProxiedRun:
    run: RunResult
    forwarded: dict[str, int]
    throttled: dict[str, int]
    floor: float
    families: list[dict[str, Any]]

    @property
    def ratio(self) -> float:
        return self.run.wall / self.floor if self.floor else float("nan")

    @property
    def throttled_total(self) -> int:
        return sum(self.throttled.values())


@dataclass(slots=True)
class SizeResult:
    functions: int
    account: dict[str, int]
    generate_seconds: float
    moto_direct: RunResult
    limited: ProxiedRun
    unlimited: ProxiedRun | None = None  # limiter off, adaptive retries (8 attempts)
    standard: ProxiedRun | None = None  # limiter off, standard retries (4 attempts)


@dataclass(slots=True)
class BenchResults:
    machine: dict[str, str]
    latency: float
    sizes: list[SizeResult] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    tui: dict[str, Any] = field(default_factory=dict)


def _collect(endpoint: str, *, limits: bool, standard: bool = False) -> RunResult:
    args = [sys.executable, "-m", "bench.collect", "--endpoint", endpoint]
    args += [] if limits else ["--no-limits"]
    args += ["--standard-retries"] if standard else []
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"collection run failed:\n{done.stderr[-4000:]}")
    return from_json(json.loads(done.stdout.strip().splitlines()[-1]))


def _proxied(proxy: str, *, limits: bool, refill: float, standard: bool = False) -> ProxiedRun:
    time.sleep(refill)
    proxy_stats(proxy, reset=True)
    run = _collect(proxy, limits=limits, standard=standard)
    stats = proxy_stats(proxy)
    floors = family_floors(run.calls)
    return ProxiedRun(
        run=run,
        forwarded=stats["forwarded"],
        throttled=stats["throttled"],
        floor=quota_floor(run.calls),
        families=[{**asdict(f), "seconds": f.seconds} for f in floors],
    )


def run_size(
    moto: str, proxy: str, functions: int, *, unlimited: bool, refill: float = REFILL_SECONDS
) -> SizeResult:
    reset_moto(moto)
    started = time.perf_counter()
    account = populate(moto, functions)
    generated = time.perf_counter() - started
    direct = _collect(moto, limits=False)
    limited = _proxied(proxy, limits=True, refill=refill)
    result = SizeResult(functions, account, generated, direct, limited)
    if unlimited:
        result.unlimited = _proxied(proxy, limits=False, refill=refill)
        result.standard = _proxied(proxy, limits=False, refill=refill, standard=True)
    return result


def run_benchmark(
    sizes: list[int],
    *,
    latency: float,
    unlimited: set[int],
    findings: int,
    tui_rows: int,
    refill: float = REFILL_SECONDS,
) -> BenchResults:
    results = BenchResults(machine=machine_facts(), latency=latency)
    with moto_server() as moto, quota_proxy(moto, latency=latency) as proxy:
        for size in sizes:
            results.sizes.append(
                run_size(moto, proxy, size, unlimited=size in unlimited, refill=refill)
            )
    from bench.report_bench import bench_report

    results.report = bench_report(findings)
    from bench.tui_bench import bench_tui

    results.tui = bench_tui(tui_rows)
    return results


def load_results(path: Path) -> BenchResults:
    """Results written with --json, to render RESULTS.md again without rerunning."""
    raw = json.loads(path.read_text())

    def proxied(data: dict[str, Any] | None) -> ProxiedRun | None:
        if data is None:
            return None
        return ProxiedRun(**{**data, "run": from_json(data["run"])})

    sizes = []
    for size in raw.pop("sizes"):
        limited = proxied(size.pop("limited"))
        assert limited is not None
        sizes.append(
            SizeResult(
                **{
                    **size,
                    "moto_direct": from_json(size["moto_direct"]),
                    "limited": limited,
                    "unlimited": proxied(size.get("unlimited")),
                    "standard": proxied(size.get("standard")),
                }
            )
        )
    return BenchResults(**raw, sizes=sizes)


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> BenchResults:
    parser = argparse.ArgumentParser(description="wa-review collection benchmark")
    parser.add_argument("--sizes", type=_ints, default=[100, 500, 2000])
    parser.add_argument(
        "--unlimited", type=_ints, default=[100, 500], help="sizes to rerun with the limiter off"
    )
    parser.add_argument("--latency", type=float, default=0.04)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to prove it works")
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results")
    parser.add_argument(
        "--render", type=Path, default=None, help="only render these --json results"
    )
    args = parser.parse_args(argv)
    if args.render is not None:
        loaded = load_results(args.render)
        write_results(loaded, args.out or RESULTS)
        return loaded
    if args.smoke:  # proves every part runs; its numbers mean nothing
        sizes, unlimited, latency, findings, rows, refill = [4], {4}, 0.002, 200, 100, 0.0
    else:
        sizes, unlimited, latency = args.sizes, set(args.unlimited), args.latency
        findings, rows, refill = 10_000, 5_000, REFILL_SECONDS
    results = run_benchmark(
        sizes,
        latency=latency,
        unlimited=unlimited,
        findings=findings,
        tui_rows=rows,
        refill=refill,
    )
    out = args.out or (None if args.smoke else RESULTS)
    if out is not None:
        write_results(results, out, smoke=args.smoke)
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(results), indent=1, default=str))
    return results


if __name__ == "__main__":
    main()
