"""`wa-review report REVIEW --format md|html|json|lens [-o PATH]`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from wa_review.errors import UsageError
from wa_review.files import write_atomic
from wa_review.questionnaires import find_questionnaire
from wa_review.report.context import registry_lookup
from wa_review.report.lens import lens_json
from wa_review.report.redact import redact_account_ids
from wa_review.report.render import ReportFormat, render
from wa_review.report.since import since_review
from wa_review.review.bundle import load_bundle
from wa_review.review.store import load_session


def default_output(workload_name: str, short_name: str, fmt: ReportFormat) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", workload_name.lower()).strip("-") or "workload"
    return Path("reports") / f"{slug}-{short_name}.{fmt.extension}"


@click.command()
@click.argument("review", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ReportFormat]),
    default=ReportFormat.MD.value,
    show_default=True,
    help="md, self-contained html, WA interchange json, the questionnaire as a custom lens, OCSF findings (ocsf) or a spreadsheet (csv).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write ('-' for standard output). Default: reports/<workload>-<question>.<ext>",
)
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
def report(review: Path, fmt: str, output: Path | None, redact: bool, since: Path | None) -> None:
    """Write a report of the review session REVIEW."""
    chosen = ReportFormat(fmt)
    if since is not None and chosen not in (ReportFormat.MD, ReportFormat.HTML):
        raise UsageError(
            f"--since adds a section to md and html reports, not to {chosen.value}",
            hint="Use 'wa-review diff OLD NEW --format json' for the changes as data.",
        )
    if chosen is ReportFormat.LENS:
        # The lens is the questionnaire itself: it needs no evidence.
        session = load_session(review)
        questionnaire = find_questionnaire(session.lens_alias, session.question_id)
        text = lens_json([questionnaire])
    else:
        bundle = load_bundle(review)
        session, questionnaire = bundle.session, bundle.questionnaire
        changes = None
        if since is not None:
            changes = since_review(
                since, bundle.evidence_file, questionnaire, lookup=registry_lookup
            )
        text = render(session, questionnaire, bundle.evidence_file, fmt=chosen, since=changes)
    if redact:
        text = redact_account_ids(text, chosen)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    target = output or default_output(session.workload.name, questionnaire.short_name, chosen)
    write_atomic(target, text)
    click.echo(f"Wrote {target}")
