"""bench/RESULTS.md: the machine, the method, and one table per account size."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.servers import REFILL_SECONDS
from wa_review.aws.ratelimit import DEFAULT_QUOTAS

if TYPE_CHECKING:
    from bench.collect import RunResult
    from bench.run import BenchResults, ProxiedRun, SizeResult

TARGET_RATIO = 1.2


def machine_facts() -> dict[str, str]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "")
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kib = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
            memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "boto3": version("boto3"),
        "botocore": version("botocore"),
        "moto": version("moto"),
        "commit": commit,
    }


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s"


def _run_row(label: str, run: RunResult, proxied: ProxiedRun | None) -> str:
    calls = sum(run.calls.values())
    throttled = str(proxied.throttled_total) if proxied else "-"
    floor = _s(proxied.floor) if proxied else "-"
    ratio = f"**{proxied.ratio:.2f}**" if proxied else "-"
    if proxied and run.errors:  # a run that gave up on calls did less work: no ratio
        ratio = "incomplete"
    return (
        f"| {label} | {_s(run.wall)} | {_s(run.collect_seconds)} | {_s(run.checks_seconds)} "
        f"| {calls} | {run.retries} | {throttled} | {run.errors} | {floor} | {ratio} "
        f"| {run.peak_rss_mb:.0f} MB | {run.evidence} |"
    )


def _size_section(size: SizeResult) -> list[str]:
    account = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in size.account.items())
    lines = [
        f"### {size.functions} functions",
        "",
        f"Account: {account}. Generated in {_s(size.generate_seconds)}.",
        "",
        "| run | wall | collect | checks | calls | retries | throttled | errors | floor "
        "| wall/floor | peak RSS | evidence |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        _run_row("moto directly, no limiter", size.moto_direct, None),
        _run_row("**proxy, limiter on**", size.limited.run, size.limited),
    ]
    if size.unlimited is not None:
        label = "proxy, limiter off, adaptive retries"
        lines.append(_run_row(label, size.unlimited.run, size.unlimited))
    if size.standard is not None:
        label = "proxy, limiter off, standard retries (Prowler's)"
        lines.append(_run_row(label, size.standard.run, size.standard))
    lines += ["", "Quota families (limiter on): calls, quota, floor, throttled by the proxy.", ""]
    lines += ["| family | calls | quota | floor | throttled |", "|---|---|---|---|---|"]
    for family in size.limited.families:
        name = family["family"]
        throttled = size.limited.throttled.get(name, 0)
        lines.append(
            f"| `{name}` | {family['calls']} | {family['rate']:g}/s | {_s(family['seconds'])} "
            f"| {throttled} |"
        )
    finished = sorted(size.limited.run.finished.items(), key=lambda kv: kv[1])
    lines += [
        "",
        "Collector finished at (limiter on): " + ", ".join(f"{k} {v:.1f} s" for k, v in finished),
    ]
    lines += ["", "<details><summary>Calls per operation (limiter on)</summary>", ""]
    lines += ["| operation | calls |", "|---|---|"]
    lines += [f"| `{op}` | {n} |" for op, n in sorted(size.limited.run.calls.items())]
    lines += ["", "</details>", ""]
    return lines


def _headline(results: BenchResults) -> list[str]:
    lines = [
        "| functions | wall | quota floor | wall/floor | throttled | peak RSS "
        "| moto alone | limiter off, adaptive retries | limiter off, standard retries |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in results.sizes:
        run = size.limited
        lines.append(
            f"| {size.functions} | {_s(run.run.wall)} | {_s(run.floor)} | **{run.ratio:.2f}** "
            f"| {run.throttled_total} | {run.run.peak_rss_mb:.0f} MB "
            f"| {_s(size.moto_direct.wall)} | {_without(size.unlimited)} "
            f"| {_without(size.standard)} |"
        )
    lines += [
        "",
        "Limiter-off columns: wall, throttled answers, calls that failed for good (each one a "
        "resource the review cannot judge).",
    ]
    return lines


def _without(off: ProxiedRun | None) -> str:
    if off is None:
        return "not run"
    return f"{_s(off.run.wall)}, {off.throttled_total}, {off.run.errors}"


def _reading(results: BenchResults) -> list[str]:
    """What the numbers say, computed from them (so a rerun cannot leave stale prose)."""
    lines = ["## Reading", ""]
    for size in results.sizes:
        run = size.limited
        slowest = run.families[0] if run.families else None
        verdict = "meets" if run.ratio <= TARGET_RATIO else "misses"
        text = (
            f"- **{size.functions} functions**: wall/floor {run.ratio:.2f} ({verdict} "
            f"≤ {TARGET_RATIO}); {run.throttled_total} throttled answers."
        )
        if slowest:
            text += (
                f" The floor is `{slowest['family']}`: {slowest['calls']} calls at "
                f"{slowest['rate']:g}/s."
            )
        share = size.moto_direct.wall / run.run.wall if run.run.wall else 0.0
        text += (
            f" moto alone (no latency, no quotas) takes {_s(size.moto_direct.wall)}, "
            f"{share:.0%} of the wall: "
            + ("moto is not the bottleneck." if share < 0.5 else "moto's own cost matters here.")
        )
        for label, off in (("adaptive", size.unlimited), ("standard", size.standard)):
            if off is None:
                continue
            text += (
                f" Limiter off, {label} retries: {_s(off.run.wall)} "
                f"({off.run.wall / run.run.wall:.2f}× the limited run), {off.throttled_total} "
                f"throttled answers"
            )
            if off.run.errors:
                text += (
                    f", and {off.run.errors} calls still throttled at their last attempt, each "
                    "leaving UNKNOWN what the limited run judged: quicker only because it is "
                    "incomplete."
                )
            else:
                text += ", no call lost."
        lines.append(text)
    html = results.report.get("formats", {}).get("html")
    if html:
        verdict = "meets" if html["seconds"] < 2 and html["peak_mb"] < 300 else "misses"
        lines.append(
            f"- **Report**: HTML of {results.report['findings']} findings in "
            f"{html['seconds']:.2f} s, {html['peak_mb']:.0f} MB peak ({verdict} < 2 s, < 300 MB)."
        )
    return [*lines, ""]


def _quota_table() -> list[str]:
    lines = ["| family | rate | bucket (AWS) | bucket (client) |", "|---|---|---|---|"]
    for family, quota in DEFAULT_QUOTAS.items():
        client = quota.client_side()
        lines.append(
            f"| `{family}` | {quota.rate:g}/s | {quota.capacity:g} | {client.capacity:g} |"
        )
    return lines


def _report_section(report: dict[str, Any], tui: dict[str, Any]) -> list[str]:
    lines = ["## Report and TUI", ""]
    if report:
        lines += [
            "| report | findings | seconds | peak Python memory | output |",
            "|---|---|---|---|---|",
        ]
        for fmt, row in report.get("formats", {}).items():
            lines.append(
                f"| {fmt} | {report['findings']} | {row['seconds']:.2f} s "
                f"| {row['peak_mb']:.0f} MB | {row['bytes'] / 2**20:.1f} MiB |"
            )
        lines.append("")
    if tui:
        if tui.get("skipped"):
            lines += [f"TUI: not measured ({tui['skipped']}).", ""]
        else:
            lines += ["| TUI | value |", "|---|---|"]
            lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in tui.items()]
            lines.append("")
    return lines


def render_results(results: BenchResults, *, smoke: bool = False) -> str:
    machine = results.machine
    lines = [
        "# Benchmark results" + (" (smoke run: tiny sizes, not a measurement)" if smoke else ""),
        "",
        f"Run with `python -m bench.run` on {machine.get('date')}, commit `{machine.get('commit')}`.",
        f"Machine: {machine.get('cores')} cores ({machine.get('cpu')}), {machine.get('memory')}; "
        f"Python {machine.get('python')}, boto3 {machine.get('boto3')}, botocore "
        f"{machine.get('botocore')}, moto {machine.get('moto')}.",
        "",
        f"## Headline: wall time against the AWS quota floor (target ≤ {TARGET_RATIO} at 500)",
        "",
        *_headline(results),
        "",
    ]
    lines += _reading(results)
    lines += ["## Per size", ""]
    for size in results.sizes:
        lines += _size_section(size)
    lines += _report_section(results.report, results.tui)
    lines += _method(results)
    return "\n".join(lines) + "\n"


def _method(results: BenchResults) -> list[str]:
    path = Path(__file__).with_name("METHOD.md")
    text = path.read_text() if path.exists() else ""
    return [
        "## Method",
        "",
        text.strip()
        .replace("{latency_ms}", f"{results.latency * 1000:.0f}")
        .replace("{refill}", f"{REFILL_SECONDS:g}"),
        "",
        "Quotas the proxy enforces and the limiter keeps (wa_review/aws/ratelimit.py):",
        "",
        *_quota_table(),
    ]


def write_results(results: BenchResults, path: Path, *, smoke: bool = False) -> None:
    from bench.org_results import kept_section

    kept = kept_section(path)  # `python -m bench.org` writes that part
    path.write_text(render_results(results, smoke=smoke) + (f"\n{kept}\n" if kept else ""))
