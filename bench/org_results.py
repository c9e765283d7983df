"""The "Organizations" section of bench/RESULTS.md, kept between markers so that either
benchmark rewrites its own part and leaves the other's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

BEGIN = "<!-- bench.org: begin -->"
END = "<!-- bench.org: end -->"
_BLOCK = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)


def kept_section(path: Path) -> str:
    """The organizations section already in `path` ('' if none)."""
    if not path.exists():
        return ""
    found = _BLOCK.search(path.read_text())
    return found.group(0) if found else ""


def replace_section(path: Path, section: str) -> None:
    """Put `section` (with its markers) in place of the old one, or at the end."""
    text = path.read_text() if path.exists() else ""
    if _BLOCK.search(text):
        text = _BLOCK.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def _mb(value: float) -> str:
    return f"{value:.0f} MB"


def render_rows(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| accounts | functions each | calls | wall | one account's floor | moto alone | "
        "wall / max(floor, moto alone) | peak RSS | CPU per call | throttled | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        alone = run.get("moto_alone")
        bound = max(run["floor"], alone or 0.0)
        shown = f"{alone:.1f} s" if alone else "not run"
        lines.append(
            f"| {run['accounts']} | {run['functions']} | {run['calls']} | {run['wall']:.1f} s | "
            f"{run['floor']:.1f} s | {shown} | "
            f"**{run['wall'] / bound:.2f}** | {_mb(run['peak_rss_mb'])} | "
            f"{run['cpu_ms_per_call']:.1f} ms | {run['throttled']} | {run['errors']} |"
        )
    return lines


def render_baseline(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| accounts | functions each | | wall | wall / floor | peak RSS | CPU per call |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        base = run.get("baseline")
        if not base:
            continue
        for label, part in (("before (one boto3 Session per role)", base), ("after", run)):
            lines.append(
                f"| {run['accounts']} | {run['functions']} | {label} | {part['wall']:.1f} s | "
                f"{part['wall'] / part['floor']:.2f} | {_mb(part['peak_rss_mb'])} | "
                f"{part['cpu_ms_per_call']:.1f} ms |"
            )
    return lines


def render_section(runs: list[dict[str, Any]], *, notes: str) -> str:
    """The whole section: every run, then before/after where a baseline ran, then notes."""
    ordered = sorted(runs, key=lambda r: (r["functions"], r["accounts"]))
    lines = [
        BEGIN,
        "## Organizations (`python -m bench.org`)",
        "",
        "N alike accounts (the management account and N-1 members, each filled by "
        "bench/generate.py) reviewed with `--org-role` through the quota proxy, whose buckets are "
        "per access key, Region and quota family (per account, as AWS's). The floor is one "
        "account's (the accounts are alike and their quotas independent). *moto alone* is the same "
        "review straight to moto without the limiter: on this machine moto's one process is "
        "often slower than the quotas, and then it, not the scheduling, sets the wall.",
        "",
        *render_rows(ordered),
        "",
    ]
    if any(r.get("baseline") for r in ordered):
        lines += [
            "Before and after, the same accounts through the same proxy; *before* is the "
            "previous tree reviewing them with one `--role-arn` each (a boto3 Session per "
            "account, one fan-out pool per service shared by all accounts):",
            "",
            *render_baseline(ordered),
            "",
        ]
    lines += [notes.strip(), END]
    return "\n".join(lines)
