"""`wa-review push`: send the reviewed SEC2 answer to the AWS Well-Architected Tool."""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.errors import UsageError
from wa_review.outputs import prepare_output
from wa_review.watool.client import make_client, resolve_region
from wa_review.watool.push import PushOptions, PushOutcome, PushPlan, finish_push, plan_push
from wa_review.watool.record import record_push_in_file
from wa_review.watool.source import load_payload
from wa_review.watool.upgrade import LensUpgradeOffer
from wa_review.watool.workload import ENVIRONMENTS, WorkloadSpec


@click.command("push")
@click.argument(
    "review_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="REVIEW"
)
@click.option("--workload-name", help="Exact workload name (case and spaces ignored).")
@click.option("--workload-id", help="Workload id (or ARN).")
@click.option("--region", help="WA Tool Region [default: the profile's Region, else us-east-1].")
@click.option("--endpoint-url", help="WA Tool endpoint (e.g. a local emulator).")
@click.option("--create", is_flag=True, help="Create the workload if no workload has the name.")
@click.option("--environment", type=click.Choice(ENVIRONMENTS), help="For --create.")
@click.option("--review-owner", help="For --create: who owns the review.")
@click.option("--description", help="For --create: what the workload is.")
@click.option("--milestone", "milestone_name", help="Milestone name [default: timestamped].")
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the WA Tool's lens review report (PDF) here.",
)
@click.option(
    "--upgrade-lens/--no-upgrade-lens",
    default=None,
    help="Upgrade a NOT_CURRENT lens review first (UpgradeLensReview), or never [default: ask; "
    "never with --yes].",
)
@click.option(
    "--upgrade-milestone",
    "upgrade_milestone",
    metavar="NAME",
    help="Milestone the lens upgrade saves first [default: Before lens upgrade <UTC time>].",
)
@click.option("--force", is_flag=True, help="Replace the --pdf file if it already exists.")
@click.option("--dry-run", is_flag=True, help="Show the diff; write nothing.")
@click.option("--yes", is_flag=True, help="Write without asking (never upgrades the lens).")
def push(
    review_file: Path,
    workload_name: str | None,
    workload_id: str | None,
    region: str | None,
    endpoint_url: str | None,
    create: bool,
    environment: str | None,
    review_owner: str | None,
    description: str | None,
    milestone_name: str | None,
    pdf_path: Path | None,
    upgrade_lens: bool | None,
    upgrade_milestone: str | None,
    force: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    """Push the reviewed answer in REVIEW to the WA Tool, after showing what changes."""
    if bool(workload_name) == bool(workload_id):
        raise UsageError("Pass exactly one of --workload-name and --workload-id.")
    if pdf_path is not None:  # refused before the WA Tool is asked anything
        prepare_output(pdf_path, force=force)
    payload = load_payload(review_file)
    region = resolve_region(region)
    spec = _workload_spec(
        create, workload_name, environment, review_owner, description, region=region
    )
    options = PushOptions(
        workload_name=workload_name,
        workload_id=workload_id,
        create=spec,
        milestone_name=milestone_name,
        pdf_path=pdf_path,
        dry_run=dry_run,
        upgrade_milestone_name=upgrade_milestone,
    )
    client = make_client(region=region, endpoint_url=endpoint_url)
    click.echo(f"WA Tool in {region}: pushing {payload.question_id} from {review_file}")

    def upgrade(offer: LensUpgradeOffer) -> bool:
        # An upgrade is a write: only --upgrade-lens or a "y" here makes one, never --yes.
        if upgrade_lens is not None:
            return upgrade_lens
        if yes:
            return False
        for line in offer.describe():
            click.echo(line)
        return click.confirm("Upgrade the lens review first?", default=False)

    plan = plan_push(client, payload, options, upgrade=upgrade)
    for line in plan.describe():
        click.echo(_style(line))
    if plan.upgrade_offer is not None and not dry_run and upgrade_lens is None and yes:
        click.echo("The lens review was not upgraded: --yes never upgrades; add --upgrade-lens.")
    elif upgrade_lens and plan.lens_status and not (plan.lens_upgrade or plan.upgrade_offer):
        click.echo(f"Nothing to upgrade: the {plan.lens_alias} lens review is {plan.lens_status}.")

    def confirm(plan: PushPlan) -> bool:
        if yes:
            return True
        changes = len(plan.diff.changed_choices)
        return click.confirm(
            f"Write this answer to {plan.workload_name} ({changes} choice(s) change)?",
            default=False,
        )

    result = finish_push(client, plan, confirm=confirm)
    # After an upgrade something was written even when the answer is not.
    nothing = (
        "no answer written (only the lens upgrade)" if plan.lens_upgrade else "nothing written"
    )
    if result.outcome is PushOutcome.DRY_RUN:
        click.echo("Dry run: nothing was written.")
    elif result.outcome is PushOutcome.UNCHANGED:
        click.echo(f"The WA Tool already holds this answer; {nothing} (risk {plan.risk_before}).")
    elif result.outcome is PushOutcome.DECLINED:
        click.echo(nothing.capitalize() + ".")
    else:
        click.echo(f"Risk reported by the WA Tool: {plan.risk_before} -> {result.risk_after}")
        click.echo(f"Milestone: {result.milestone_name} (#{result.milestone_number})")
    if result.pdf_path is not None:
        click.echo(f"Lens review report: {result.pdf_path}")
    if record_push_in_file(review_file, result):
        click.echo(f"Recorded the WA Tool's risk and lens version in {review_file}")


def _workload_spec(
    create: bool,
    name: str | None,
    environment: str | None,
    review_owner: str | None,
    description: str | None,
    *,
    region: str,
) -> WorkloadSpec | None:
    if not create:
        return None
    missing = [
        option
        for option, value in (
            ("--workload-name", name),
            ("--environment", environment),
            ("--review-owner", review_owner),
            ("--description", description),
        )
        if not value
    ]
    if missing:
        raise UsageError(f"--create needs {', '.join(missing)}.")
    assert name and environment and review_owner and description
    return WorkloadSpec(name, environment, review_owner, description, (region,))


def _style(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("~", "notes +", "+ ")):
        return click.style(line, fg="yellow")
    if stripped.startswith("warning:"):
        return click.style(line, fg="red")
    return line
