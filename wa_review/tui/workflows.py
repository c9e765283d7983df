"""The blocking work behind the screens: collect, export, push. Plain functions, no Textual:
the screens call them from thread workers."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wa_review.aws.context import AwsContext, AwsOptions, SessionFactory
from wa_review.aws.run import Progress
from wa_review.collect_flow import collect_and_judge
from wa_review.errors import UsageError
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.preview import Preview
from wa_review.push_flow import (
    WorkloadValues,
    coverage,
    pending_milestone,
    workload_spec,
)
from wa_review.report.export import default_report_path, report_text, write_report
from wa_review.report.render import ReportFormat
from wa_review.review.notes import refuse_notes_over_limit
from wa_review.review.payload import payload_from_session
from wa_review.tui.state import Review
from wa_review.watool.client import check_region
from wa_review.watool.plan import PushOptions, PushPlan, PushResult, outcome_lines
from wa_review.watool.push import plan_push

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
    """The core flow (wa_review.collect_flow) for the TUI's collection screen; None when
    cancelled (nothing is saved then). `on_preview` feeds the early evidence."""
    return collect_and_judge(
        aws_context(options, session_factory),
        config=config or CheckConfig(),
        out=out,
        stacks=stacks,
        tags=tags,
        on_progress=on_progress,
        on_preview=on_preview,
        cancelled=cancelled,
    )


def default_export_path(review: Review, fmt: str) -> Path:
    return default_report_path(
        review.session.workload.name, review.questionnaire.short_name, ReportFormat(fmt)
    )


def export_report(review: Review, fmt: str, path: Path) -> None:
    """Write the report; the reviewer has already agreed to replacing a file or making a folder
    (the summary screen asks first, from wa_review.outputs.check_output)."""
    text = report_text(
        review.session, review.questionnaire, review.evidence_file, ReportFormat(fmt)
    )
    write_report(text, path, force=True, create_folder=True)


@dataclass(frozen=True, slots=True)
class PushForm:
    """What the reviewer typed in the TUI's workload form (prefilled from the session)."""

    name: str
    environment: str
    review_owner: str
    description: str
    region: str
    create: bool
    pdf_path: Path | None = None


FORM_NAMES = {
    "name": "a workload name",
    "environment": "an environment",
    "review_owner": "a review owner",
    "description": "a description",
}
FORM_HINT = "Fill them in the push form: the WA Tool requires them to create a workload."


def push_form_defaults(review: Review) -> PushForm:
    """The form as it opens: the session's workload, the evidence's first Region."""
    workload = review.session.workload
    regions = review.evidence_file.regions if review.evidence_file else ()
    return PushForm(
        name=workload.name,
        environment=workload.environment.value,
        review_owner=workload.review_owner,
        description=workload.description,
        region=(workload.regions or list(regions) or ["us-east-1"])[0],
        create=False,
    )


def plan_review_push(
    review: Review, client: Any, form: PushForm, *, upgrade_lens: bool = False
) -> PushPlan:
    """Read the WA Tool and plan every write (reads only; nothing is written here). The
    workload to create is exactly what the form shows (the same core as the CLI)."""
    if not form.name.strip():
        raise UsageError("Name the workload to push to.", hint="Type it in the workload box.")
    refuse_notes_over_limit(review.session, review.questionnaire)  # never cut the reviewer's words
    check_region(form.region)  # a typo is refused at once, not after every retry
    given = WorkloadValues(
        form.name.strip(),
        form.environment or None,
        form.review_owner.strip() or None,
        form.description.strip() or None,
    )
    session = review.session
    spec = (
        workload_spec(session, given, region=form.region, names=FORM_NAMES, hint=FORM_HINT)
        if form.create
        else None
    )
    evidence = review.evidence_file.evidence if review.evidence_file else ()
    payload = payload_from_session(session, review.questionnaire, evidence)
    regions, accounts = coverage(session)
    options = PushOptions(
        workload_name=given.name,
        create=spec,
        pdf_path=form.pdf_path,
        retry_milestone=pending_milestone(session),
        regions=regions,
        accounts=accounts,
    )
    return plan_push(client, payload, options, upgrade=lambda _offer: upgrade_lens)


def push_result_text(result: PushResult) -> str:
    return "\n".join(outcome_lines(result))


def watool_client(region: str, options: AwsOptions, session_factory: SessionFactory | None) -> Any:
    """A WA Tool client from the same credentials as the collection (its endpoint is AWS's, or
    AWS_ENDPOINT_URL_WELLARCHITECTED: --endpoint-url points at the collection's emulator)."""
    from wa_review.watool.client import make_client

    if session_factory is None:
        import boto3

        session_factory = boto3.Session
    return make_client(region=region, session=session_factory(profile_name=options.profile))
