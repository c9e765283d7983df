"""`wa-review push`: send the reviewed SEC2 answer to the AWS Well-Architected Tool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from wa_review.commands.params import (
    DESCRIPTION,
    ENDPOINT_URL,
    REGION,
    REVIEW_OWNER,
    WORKLOAD_NAME,
    from_usage_error,
)
from wa_review.errors import UsageError, WaToolError
from wa_review.outputs import prepare_output
from wa_review.push_flow import (
    WorkloadValues,
    coverage,
    load_push_input,
    pending_milestone,
    record_push_in_file,
    workload_spec,
    workload_values,
)
from wa_review.watool.client import check_region, make_client, resolve_region
from wa_review.watool.plan import PushOptions, PushPlan, outcome_lines
from wa_review.watool.push import finish_push, plan_push
from wa_review.watool.upgrade import LensUpgradeOffer
from wa_review.watool.workload import ENVIRONMENTS, parse_workload_id


@click.command("push")
@click.argument(
    "review_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="REVIEW"
)
@click.option(
    "--workload-name",
    type=WORKLOAD_NAME,
    help="Exact workload name (case and spaces ignored) [default: the session's].",
)
@click.option(
    "--workload-id", callback=from_usage_error(parse_workload_id), help="Workload id (or ARN)."
)
@click.option(
    "--region",
    type=REGION,
    help="WA Tool Region [default: the profile's Region, else us-east-1].",
)
@click.option("--endpoint-url", type=ENDPOINT_URL, help="WA Tool endpoint (e.g. a local emulator).")
@click.option("--create", is_flag=True, help="Create the workload if no workload has the name.")
@click.option(
    "--environment", type=click.Choice(ENVIRONMENTS), help="For --create [default: the session's]."
)
@click.option(
    "--review-owner",
    type=REVIEW_OWNER,
    help="For --create: who owns the review [default: the session's].",
)
@click.option(
    "--description",
    type=DESCRIPTION,
    help="For --create: what the workload is [default: the session's].",
)
@click.option("--milestone", "milestone_name", help="Milestone name [default: timestamped].")
@click.option("--no-milestone", is_flag=True, help="Write the answer without a milestone.")
@click.option(
    "--update-workload/--no-update-workload",
    default=True,
    help="Offer to add the accounts and Regions the evidence covers to an existing workload "
    "(UpdateWorkload) [default: offer].",
)
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
    no_milestone: bool,
    update_workload: bool,
    pdf_path: Path | None,
    upgrade_lens: bool | None,
    upgrade_milestone: str | None,
    force: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    """Push the reviewed answer in REVIEW to the WA Tool, after showing everything it writes.

    REVIEW is a review session (its workload name, environment, review owner and description
    are used unless given here) or a JSON answer file. Nothing is written before you say yes
    to the whole plan; --dry-run writes nothing anywhere.
    """
    if workload_name and workload_id:
        raise UsageError("Pass at most one of --workload-name and --workload-id.")
    if pdf_path is not None:  # refused before the WA Tool is asked anything
        prepare_output(pdf_path, force=force)
    pushed = load_push_input(review_file)
    given = WorkloadValues(workload_name, environment, review_owner, description)
    values = workload_values(pushed.session, given)
    if not workload_id and not values.name:
        raise UsageError(
            "Pass --workload-name or --workload-id (this answer file names no workload)."
        )
    region = check_region(resolve_region(region), endpoint_url=endpoint_url)
    regions, accounts = coverage(pushed.session)
    options = PushOptions(
        workload_name=None if workload_id else values.name,
        workload_id=workload_id,
        create=workload_spec(pushed.session, given, region=region) if create else None,
        milestone_name=milestone_name,
        milestone=not no_milestone,
        retry_milestone=pending_milestone(pushed.session),
        pdf_path=pdf_path,
        dry_run=dry_run,
        upgrade_milestone_name=upgrade_milestone,
        regions=regions,
        accounts=accounts,
        update_workload=update_workload,
    )
    client = make_client(region=region, endpoint_url=endpoint_url)
    click.echo(f"WA Tool in {region}: pushing {pushed.payload.question_id} from {review_file}")
    if pushed.session is not None and not workload_id:
        click.echo(f"Workload from the session unless given: {_shown(values)}")
    plan = plan_push(client, pushed.payload, options, upgrade=_upgrade_decision(upgrade_lens, yes))
    if plan.upgrade_offer is not None and not dry_run and upgrade_lens is None and yes:
        click.echo("The lens upgrade is not in the plan: --yes never upgrades; add --upgrade-lens.")
    elif upgrade_lens and plan.lens_status and not plan.upgrade_offer:
        click.echo(f"Nothing to upgrade: the {plan.lens_alias} lens review is {plan.lens_status}.")
    if dry_run or not plan.writes:
        for line in plan.describe():
            click.echo(_style(line))
    result = finish_push(client, plan, confirm=_confirmation(yes))
    for line in outcome_lines(result):
        click.echo(_style(line))
    if record_push_in_file(review_file, result):
        click.echo(f"Recorded the WA Tool's risk and lens version in {review_file}")
    if result.milestone_error:
        raise WaToolError(
            result.milestone_error,
            hint=f"Push again to retry milestone {result.pending_milestone!r} (or --no-milestone).",
        )


def _upgrade_decision(upgrade_lens: bool | None, yes: bool) -> Callable[[LensUpgradeOffer], bool]:
    """Whether a NOT_CURRENT lens review's upgrade goes in the plan: only --upgrade-lens or a
    "y" here, never --yes; it is made only after the whole plan is confirmed."""

    def decide(offer: LensUpgradeOffer) -> bool:
        if upgrade_lens is not None:
            return upgrade_lens
        if yes:
            return False
        for line in offer.describe():
            click.echo(line)
        return click.confirm("Include the lens upgrade in the plan?", default=False)

    return decide


def _confirmation(yes: bool) -> Callable[[PushPlan], bool]:
    """Show the whole plan, then ask (again, if the WA Tool read after the preparing writes
    differs from what was confirmed)."""
    shown: list[PushPlan] = []

    def confirm(plan: PushPlan) -> bool:
        if shown:
            click.echo("The answer read after those steps differs from the plan; the new plan:")
        shown.append(plan)
        for line in plan.describe():
            click.echo(_style(line))
        if yes:
            return True
        return click.confirm(f"Write all this to {plan.workload_name}?", default=False)

    return confirm


def _shown(values: WorkloadValues) -> str:
    parts = [
        f"name {values.name!r}",
        f"environment {values.environment}",
        f"review owner {values.review_owner!r}" if values.review_owner else "no review owner",
        f"description {values.description!r}" if values.description else "no description",
    ]
    return ", ".join(parts)


def _style(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("~", "notes +", "+ ")):
        return click.style(line, fg="yellow")
    if stripped.startswith("warning:"):
        return click.style(line, fg="red")
    return line
