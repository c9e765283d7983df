"""The blocking work behind the screens: collect, export, push. Plain functions, no Textual:
the screens call them from thread workers."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wa_review.aws.context import AwsContext, AwsOptions, SessionFactory
from wa_review.aws.run import InventorySoFar, Progress, collect_inventory
from wa_review.commands.report import default_output
from wa_review.errors import UsageError
from wa_review.files import write_atomic
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.model.questionnaire import Risk
from wa_review.pipeline import build_evidence_file, run_checks
from wa_review.preview import Preview, PreviewChecks
from wa_review.report.lens import lens_json
from wa_review.report.render import ReportFormat, render
from wa_review.review.payload import payload_from_session
from wa_review.review.session import ReviewSession, WaToolRecord, now_utc
from wa_review.tui.state import Review
from wa_review.watool.push import PushOptions, PushOutcome, PushPlan, PushResult, plan_push
from wa_review.watool.workload import WorkloadSpec

FORMATS = [
    ("Markdown", ReportFormat.MD.value),
    ("HTML", ReportFormat.HTML.value),
    ("WA interchange JSON", ReportFormat.JSON.value),
    ("Custom lens", ReportFormat.LENS.value),
]


def reviewer() -> str:
    """Who decides, for `decided_by` (the OS user; the session records it, never AWS)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def live_session_path(directory: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"wa-review-{stamp}.review.yaml"


def evidence_path_for(session_path: Path) -> Path:
    """Where a live collection for this session writes its evidence: x.review.yaml -> x.evidence.json."""
    stem = session_path.name.removesuffix(".yaml").removesuffix(".review")
    return session_path.with_name(f"{stem}.evidence.json")


def aws_context(options: AwsOptions, session_factory: SessionFactory | None) -> AwsContext:
    """The context for `options`; an injected session factory (tests, the demo) if given."""
    if session_factory is None:
        return AwsContext(options)
    return AwsContext(options, session_factory=session_factory)


def collect_evidence(
    options: AwsOptions,
    out: Path,
    *,
    session_factory: SessionFactory | None,
    stacks: tuple[str, ...],
    tags: tuple[tuple[str, str], ...],
    on_progress: Callable[[Progress], None],
    cancelled: Callable[[], bool],
    config: CheckConfig | None = None,
    on_preview: Callable[[Preview], None] | None = None,
) -> EvidenceFile | None:
    """Collect, judge and save the evidence file; None when cancelled (nothing is saved then,
    since half an inventory would read as "nothing found").

    `on_preview` gets the evidence of each check as soon as everything it reads is in.
    """
    config = config or CheckConfig()
    on_inventory: Callable[[InventorySoFar], None] | None = None
    if on_preview is not None:
        checks = PreviewChecks(config)
        report = on_preview

        def on_inventory(so_far: InventorySoFar) -> None:
            report(checks.advance(so_far))

    collection = collect_inventory(
        aws_context(options, session_factory),
        stacks=stacks,
        tags=tags,
        on_progress=on_progress,
        on_inventory=on_inventory,
        cancelled=cancelled,
    )
    if collection.cancelled:
        return None
    evidence = build_evidence_file(collection, run_checks(collection, config))
    evidence.save(out)
    return evidence


def default_export_path(review: Review, fmt: str) -> Path:
    return default_output(
        review.session.workload.name, review.questionnaire.short_name, ReportFormat(fmt)
    )


def export_report(review: Review, fmt: str, path: Path) -> None:
    if path == Path() or path.is_dir():
        raise UsageError(
            f"'{path}' is a folder: the report needs a file name.",
            hint="Type a path such as reports/review.md in the export box.",
        )
    chosen = ReportFormat(fmt)
    if chosen is ReportFormat.LENS:  # the questionnaire itself: needs no evidence
        text = lens_json([review.questionnaire])
    elif review.evidence_file is None:
        raise UsageError(
            "There is no evidence to report on yet.",
            hint="Wait for the collection to finish, or open an evidence file.",
        )
    else:
        text = render(review.session, review.questionnaire, review.evidence_file, fmt=chosen)
    write_atomic(path, text)


def plan_review_push(
    review: Review,
    client: Any,
    *,
    workload_name: str,
    region: str,
    create: bool,
    upgrade_lens: bool = False,
) -> PushPlan:
    """Read the WA Tool and build the diff (creating the workload first when asked, upgrading a
    NOT_CURRENT lens review first when `upgrade_lens`)."""
    if not workload_name:
        raise UsageError("Name the workload to push to.", hint="Type it in the workload box.")
    workload = review.session.workload
    owner = workload.review_owner or reviewer()
    spec = (
        WorkloadSpec(
            name=workload_name,
            environment=workload.environment.value,
            review_owner=owner if len(owner) >= 3 else f"{owner} (wa-review)",
            description=workload.description or "Serverless workload reviewed with wa-review",
            aws_regions=tuple(workload.regions) or (region,),
        )
        if create
        else None
    )
    if spec is not None:
        spec.validate()
    evidence = review.evidence_file.evidence if review.evidence_file else ()
    payload = payload_from_session(review.session, review.questionnaire, evidence)
    options = PushOptions(workload_name=workload_name, create=spec)
    return plan_push(client, payload, options, upgrade=lambda _offer: upgrade_lens)


def record_push(session: ReviewSession, result: PushResult) -> ReviewSession:
    """Remember what the WA Tool said, so the summary shows its risk from now on."""
    record = WaToolRecord(
        workload_id=result.plan.workload_id,
        lens_version=result.plan.lens_version,
        risk=Risk(result.risk_after) if result.risk_after in set(Risk) else None,
        pushed_at=now_utc(),
        milestone_number=result.milestone_number,
    )
    data = {**session.model_dump(), "watool": record.model_dump()}
    return ReviewSession.model_validate(data)


def push_result_text(result: PushResult) -> str:
    plan = result.plan
    upgraded = f"{plan.lens_upgrade.describe()}. " if plan.lens_upgrade else ""
    if result.outcome is PushOutcome.WRITTEN:
        return (
            f"{upgraded}Written to {plan.workload_name}: risk {plan.risk_before} -> "
            f"{result.risk_after}; milestone {result.milestone_name} (#{result.milestone_number})."
        )
    if result.outcome is PushOutcome.UNCHANGED:
        return (
            f"{upgraded}The WA Tool already holds this answer (risk {plan.risk_before}); "
            "no answer written."
        )
    if result.outcome is PushOutcome.DECLINED:
        return (
            f"{upgraded}No answer was written."
            if upgraded
            else "Nothing was written to the WA Tool."
        )
    return "Dry run: nothing was written."


def watool_client(region: str, options: AwsOptions, session_factory: SessionFactory | None) -> Any:
    """A WA Tool client from the same credentials as the collection (its endpoint is AWS's, or
    AWS_ENDPOINT_URL_WELLARCHITECTED: --endpoint-url points at the collection's emulator)."""
    from wa_review.watool.client import make_client

    if session_factory is None:
        import boto3

        session_factory = boto3.Session
    return make_client(region=region, session=session_factory(profile_name=options.profile))
