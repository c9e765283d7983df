"""`wa-review report REVIEW --format md|html|json|lens|ocsf|csv [-o PATH] [--force]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wa_review.errors import UsageError
from wa_review.questionnaires import find_questionnaire
from wa_review.report.context import registry_lookup
from wa_review.report.export import default_report_path, report_text, write_report
from wa_review.report.render import ReportFormat
from wa_review.report.since import since_review
from wa_review.review.bundle import load_bundle
from wa_review.review.store import load_session


@click.command()
@click.argument("review", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ReportFormat]),
    default=ReportFormat.MD.value,
    show_default=True,
    help="md, self-contained html, WA interchange json, the questionnaire as a custom lens, "
    "OCSF findings (ocsf) or a spreadsheet (csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write ('-' for standard output); its folder must exist. Default: "
    "reports/<workload>-<question>.<ext> (the reports folder is created if missing).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@click.option(
    "--redact-account-ids",
    "redact",
    is_flag=True,
    help="For reports shared outside the team: replace every 12-digit AWS account id (in ARNs, "
    "summaries, details and the appendix) with account-1, account-2, ... numbered in order of "
    "first appearance, the same label for the same id throughout the report.",
)
@click.option(
    "--since",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An older evidence file (or review session): md and html reports gain a short "
    "'since the last review' section (new, resolved, changed, gone).",
)
def report(
    review: Path,
    fmt: str,
    output: Path | None,
    force: bool,
    redact: bool,
    since: Path | None,
) -> None:
    """Write a report of the review session REVIEW."""
    chosen = ReportFormat(fmt)
    if since is not None and chosen not in (ReportFormat.MD, ReportFormat.HTML):
        raise UsageError(
            f"--since adds a section to md and html reports, not to {chosen.value}",
            hint="Use 'wa-review diff OLD NEW --format json' for the changes as data.",
        )
    changes = None
    if chosen is ReportFormat.LENS:
        # The lens is the questionnaire itself: it needs no evidence.
        session = load_session(review)
        questionnaire = find_questionnaire(session.lens_alias, session.question_id)
        evidence_file = None
    else:
        bundle = load_bundle(review)
        session, questionnaire = bundle.session, bundle.questionnaire
        evidence_file = bundle.evidence_file
        if since is not None:
            changes = since_review(since, evidence_file, questionnaire, lookup=registry_lookup)
    text = report_text(session, questionnaire, evidence_file, chosen, redact=redact, since=changes)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    # The default folder is ours to create; a folder the user named must exist already.
    target = output or default_report_path(session.workload.name, questionnaire.short_name, chosen)
    written = write_report(text, target, force=force, create_folder=output is None)
    if written.missing_folder is not None:
        click.echo(f"Created the folder {written.missing_folder}")
    click.echo(f"{'Replaced' if written.replaces else 'Wrote'} {target}")
