"""`wa-review demo --headless`: the whole loop offline — collect, assess, report, push, PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wa_review.aws.run import Progress
from wa_review.collect_flow import collect_and_judge
from wa_review.demo.network import REGION
from wa_review.demo.server import DemoAccount, running_demo_account
from wa_review.files import write_atomic
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.questionnaires import sec2
from wa_review.report.render import ReportFormat, render
from wa_review.review.bundle import evidence_ref
from wa_review.review.outcome import assess_session, new_session, refresh_suggestions
from wa_review.review.payload import payload_from_session
from wa_review.review.session import Environment, ReviewSession, Workload
from wa_review.review.store import save_session

WORKLOAD = "Serverless Airline"
Echo = Callable[[str], None]
REPORT_FORMATS = (ReportFormat.MD, ReportFormat.HTML, ReportFormat.JSON)
PDF_NAME = "wa-tool-report.pdf"


def output_names() -> tuple[str, ...]:
    """Every file `run_headless` writes into its folder."""
    reports = tuple(f"sec2-review.{fmt.extension}" for fmt in REPORT_FORMATS)
    return ("evidence.json", "review.yaml", *reports, PDF_NAME)


def existing_outputs(out_dir: Path) -> list[Path]:
    """The files in `out_dir` a headless demo would replace."""
    return [out_dir / name for name in output_names() if (out_dir / name).exists()]


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
    """Collect the sample account through the normal, read-only AWS path (the same flow as
    `wa-review collect`)."""
    config = CheckConfig(org_id=account.names.get("org_id"))
    evidence = collect_and_judge(account.context(), config=config, on_progress=on_progress)
    assert evidence is not None  # nothing cancels the demo's collection
    return evidence


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
        session, questionnaire, assess_session(session, questionnaire, evidence.evidence), ref
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
    for fmt in REPORT_FORMATS:
        target = out_dir / f"sec2-review.{fmt.extension}"
        write_atomic(target, render(session, questionnaire, evidence, fmt=fmt))
        reports[fmt.value] = target
        echo(f"Wrote {target}")
    risk = session.watool.risk.value if session.watool and session.watool.risk else None
    return DemoOutputs(evidence_path, session_path, reports, pdf, risk)


def _push(
    out_dir: Path, session: ReviewSession, evidence: EvidenceFile, echo: Echo
) -> tuple[Path, ReviewSession]:
    from wa_review.demo.watool import running_demo_watool
    from wa_review.push_flow import WorkloadValues, coverage, record_push, workload_spec
    from wa_review.watool.plan import PushOptions, outcome_lines
    from wa_review.watool.push import push_review

    payload = payload_from_session(session, sec2(), evidence.evidence)
    pdf = out_dir / PDF_NAME
    regions, accounts = coverage(session)
    with running_demo_watool() as watool:
        echo(f"Pushing the suggested answers to the WA Tool emulator at {watool.url} ...")
        client = watool.client(REGION)
        options = PushOptions(
            workload_name=session.workload.name,
            create=workload_spec(session, WorkloadValues(), region=REGION),
            pdf_path=pdf,
            milestone_name="demo",
            regions=regions,
            accounts=accounts,
        )
        result = push_review(client, payload, options, confirm=lambda _plan: True)
    for line in result.plan.describe():
        echo(f"  {line}")
    for line in outcome_lines(result):
        echo(f"  {line}")
    echo(f"Risk returned by the WA Tool: {result.risk_after}; PDF report: {result.pdf_path}")
    return pdf, record_push(session, result)
