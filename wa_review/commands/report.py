"""`wa-review report REVIEW --format md|html|json|lens [-o PATH] [--force]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wa_review.questionnaires import find_questionnaire
from wa_review.report.export import default_report_path, report_text, write_report
from wa_review.report.render import ReportFormat
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
    help="md, self-contained html, WA interchange json, or the questionnaire as a custom lens.",
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
def report(review: Path, fmt: str, output: Path | None, force: bool, redact: bool) -> None:
    """Write a report of the review session REVIEW."""
    chosen = ReportFormat(fmt)
    if chosen is ReportFormat.LENS:
        # The lens is the questionnaire itself: it needs no evidence.
        session = load_session(review)
        questionnaire = find_questionnaire(session.lens_alias, session.question_id)
        evidence_file = None
    else:
        bundle = load_bundle(review)
        session, questionnaire = bundle.session, bundle.questionnaire
        evidence_file = bundle.evidence_file
    text = report_text(session, questionnaire, evidence_file, chosen, redact=redact)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    # The default folder is ours to create; a folder the user named must exist already.
    target = output or default_report_path(session.workload.name, questionnaire.short_name, chosen)
    written = write_report(text, target, force=force, create_folder=output is None)
    if written.missing_folder is not None:
        click.echo(f"Created the folder {written.missing_folder}")
    click.echo(f"{'Replaced' if written.replaces else 'Wrote'} {target}")
