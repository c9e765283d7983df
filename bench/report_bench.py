"""Report rendering at scale: a review with N findings rendered to Markdown, HTML and JSON.

Run: python -m bench.report_bench [--findings 10000]
Each format is rendered twice: once for the time (no tracing), once under tracemalloc for
the peak of Python allocations. Target: HTML under 2 s and 300 MB at 10,000 findings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from typing import Any

from wa_review import __version__
from wa_review.checks import all_checks
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.questionnaires import sec2
from wa_review.report.render import render
from wa_review.review.outcome import new_session
from wa_review.review.session import Workload

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")
# A realistic mix: most resources pass, a tenth fail, a few warn or could not be read.
_STATUSES = (Status.PASS,) * 14 + (Status.FAIL,) * 3 + (Status.WARN, Status.UNKNOWN)


def synthetic_evidence(findings: int, *, choice_id: str | None = None) -> EvidenceFile:
    """`findings` evidence rows spread over every registered check (or those of one choice)."""
    wanted = None if choice_id is None else set(sec2().choice(choice_id).checks)
    checks = [c.meta for c in all_checks() if wanted is None or c.meta.id in wanted]
    rows: list[Evidence] = []
    for i in range(findings):
        meta = checks[i % len(checks)]
        status = _STATUSES[i % len(_STATUSES)]
        region = REGIONS[i % len(REGIONS)]
        arn = f"arn:aws:{meta.service}:{region}:{ACCOUNT}:resource/bench-{i:05d}"
        details: dict[str, Any] = {}
        if status in (Status.FAIL, Status.WARN):
            details = {
                "statement": {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": f"{meta.service}:*",
                    "Resource": arn,
                },
                "reasons": [f"statement 0 grants {meta.service}:* to everyone"],
            }
        rows.append(
            Evidence(
                check_id=meta.id,
                status=status,
                resource_arn=arn,
                region=region,
                account=ACCOUNT,
                summary=f"bench-{i:05d}: {meta.title} ({status.value})",
                details=details,
            )
        )
    errors = tuple(
        FetchError(
            "lambda", "GetPolicy", "AccessDenied", "denied", REGIONS[0], ACCOUNT, r.resource_arn
        )
        for r in rows
        if r.status is Status.UNKNOWN
    )
    return EvidenceFile(
        tool_version=__version__,
        collected_at=datetime.now(UTC).isoformat(timespec="seconds"),
        accounts=(ACCOUNT,),
        regions=REGIONS,
        scope={"mode": "all", "stacks": [], "tags": [], "resources": 0, "notes": []},
        stats=CollectionStats(calls={"lambda:GetPolicy": findings}, errors=len(errors)),
        errors=errors,
        evidence=tuple(rows),
    )


def bench_report(
    findings: int, formats: tuple[str, ...] = ("md", "html", "json")
) -> dict[str, Any]:
    questionnaire = sec2()
    session = new_session(questionnaire, Workload(name="bench workload", regions=list(REGIONS)))
    evidence = synthetic_evidence(findings)
    results: dict[str, Any] = {"findings": findings, "formats": {}}
    for fmt in formats:
        started = time.perf_counter()
        text = render(session, questionnaire, evidence, fmt=fmt)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        render(session, questionnaire, evidence, fmt=fmt)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results["formats"][fmt] = {
            "seconds": seconds,
            "peak_mb": peak / 2**20,
            "bytes": len(text.encode()),
        }
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(bench_report(args.findings), indent=1) + "\n")


if __name__ == "__main__":
    main()
