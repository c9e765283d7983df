"""`wa-review demo --headless`: the whole loop offline — collect, assess, report, push, PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wa_review.assessment import assess
from wa_review.aws.run import Progress, collect_inventory
from wa_review.demo.network import REGION
from wa_review.demo.server import DemoAccount, demo_session, running_demo_account
from wa_review.files import write_atomic
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import build_evidence_file, run_checks
from wa_review.questionnaires import sec2
from wa_review.report.render import ReportFormat, render
from wa_review.review.bundle import evidence_ref
from wa_review.review.outcome import new_session, refresh_suggestions
from wa_review.review.payload import payload_from_session
from wa_review.review.session import Environment, ReviewSession, Workload
from wa_review.review.store import save_session

WORKLOAD = "Serverless Airline"
Echo = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DemoOutputs:
    evidence: Path
    session: Path
    reports: dict[str, Path]
    pdf: Path
    risk: str | None


def collect_demo(
    account: DemoAccount, *, on_progress: Callable[[Progress], None] | None = None
) -> EvidenceFile:
    """Collect the sample account through the normal, read-only AWS path."""
    collection = collect_inventory(account.context(), on_progress=on_progress)
    config = CheckConfig(org_id=account.names.get("org_id"))
    return build_evidence_file(collection, run_checks(collection, config))


def demo_workload(evidence: EvidenceFile) -> Workload:
    return Workload(
        name=WORKLOAD,
        description="The sample serverless airline: booking, loyalty, payments and notifications.",
        environment=Environment.PRODUCTION,
        review_owner="demo-reviewer@example.com",
        regions=list(evidence.regions),
        accounts=list(evidence.accounts),
    )


def suggested_session(
    evidence: EvidenceFile, evidence_path: Path, session_path: Path
) -> ReviewSession:
    questionnaire = sec2()
    session = new_session(questionnaire, demo_workload(evidence))
    ref = evidence_ref(evidence_path, session_path, evidence)
    return refresh_suggestions(
        session, questionnaire, assess(questionnaire, evidence.evidence), ref
    )


def run_headless(out_dir: Path, *, echo: Echo = lambda _line: None) -> DemoOutputs:
    out_dir.mkdir(parents=True, exist_ok=True)
    evidence_path, session_path = out_dir / "evidence.json", out_dir / "review.yaml"
    echo("Building the sample account in a local AWS emulator (moto on 127.0.0.1)...")
    with running_demo_account() as account:
        echo(f"Collecting read-only from {account.url} ...")
        evidence = collect_demo(account)
    evidence.save(evidence_path)
    echo(f"  {len(evidence.evidence)} findings, {sum(evidence.stats.calls.values())} API calls")
    session = suggested_session(evidence, evidence_path, session_path)
    save_session(session, session_path)
    # Push first, so the reports show the risk the WA Tool itself returned.
    pdf, session = _push(out_dir, session, evidence, echo)
    save_session(session, session_path)
    questionnaire = sec2()
    reports: dict[str, Path] = {}
    for fmt in (ReportFormat.MD, ReportFormat.HTML, ReportFormat.JSON):
        target = out_dir / f"sec2-review.{fmt.extension}"
        write_atomic(target, render(session, questionnaire, evidence, fmt=fmt))
        reports[fmt.value] = target
        echo(f"Wrote {target}")
    risk = session.watool.risk.value if session.watool and session.watool.risk else None
    return DemoOutputs(evidence_path, session_path, reports, pdf, risk)


def _push(
    out_dir: Path, session: ReviewSession, evidence: EvidenceFile, echo: Echo
) -> tuple[Path, ReviewSession]:
    from wa_review.watool.client import make_client
    from wa_review.watool.emulator import WaToolEmulator
    from wa_review.watool.push import PushOptions, push_review
    from wa_review.watool.record import with_push_result
    from wa_review.watool.workload import WorkloadSpec

    payload = payload_from_session(session, sec2(), evidence.evidence)
    pdf = out_dir / "wa-tool-report.pdf"
    workload = session.workload
    with WaToolEmulator() as emulator:
        echo(f"Pushing the suggested answers to the WA Tool emulator at {emulator.url} ...")
        client = make_client(region=REGION, endpoint_url=emulator.url, session=demo_session())
        spec = WorkloadSpec(
            name=workload.name,
            environment=workload.environment.value if workload.environment else "PRODUCTION",
            review_owner=workload.review_owner or "demo-reviewer@example.com",
            description=workload.description or WORKLOAD,
            aws_regions=(REGION,),
        )
        options = PushOptions(
            workload_name=workload.name, create=spec, pdf_path=pdf, milestone_name="demo"
        )
        result = push_review(client, payload, options, confirm=lambda _plan: True)
    for line in result.plan.describe():
        echo(f"  {line}")
    echo(f"Risk returned by the WA Tool: {result.risk_after}; PDF report: {result.pdf_path}")
    return pdf, with_push_result(session, result)
