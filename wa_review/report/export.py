"""Export a report of a review to a file: the one flow behind `wa-review report` and the TUI."""

from __future__ import annotations

import re
from pathlib import Path

from wa_review.errors import UsageError
from wa_review.files import write_atomic
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.outputs import OutputCheck, prepare_output
from wa_review.report.lens import lens_json
from wa_review.report.redact import redact_account_ids
from wa_review.report.render import ReportFormat, render
from wa_review.report.since import SinceReview
from wa_review.review.session import ReviewSession


def default_report_path(workload_name: str, short_name: str, fmt: ReportFormat) -> Path:
    """reports/<workload slug>-<question>.<ext>, relative to the working directory."""
    slug = re.sub(r"[^a-z0-9]+", "-", workload_name.lower()).strip("-") or "workload"
    return Path("reports") / f"{slug}-{short_name}.{fmt.extension}"


def report_text(
    session: ReviewSession,
    questionnaire: Questionnaire,
    evidence_file: EvidenceFile | None,
    fmt: ReportFormat,
    *,
    redact: bool = False,
    since: SinceReview | None = None,
) -> str:
    """The report as text; the custom lens is the questionnaire itself and needs no evidence.
    `since` adds the "since the last review" section to md and html."""
    if fmt is ReportFormat.LENS:
        text = lens_json([questionnaire])
    elif evidence_file is None:
        raise UsageError(
            "There is no evidence to report on yet.",
            hint="Wait for the collection to finish, or open an evidence file.",
        )
    else:
        text = render(session, questionnaire, evidence_file, fmt=fmt, since=since)
    return redact_account_ids(text, fmt) if redact else text


def write_report(text: str, path: Path, *, force: bool, create_folder: bool = False) -> OutputCheck:
    """Write `text` to `path`, replacing a file only with `force` and creating a missing folder
    only with `create_folder` (see wa_review.outputs); says what it did beyond one new file."""
    found = prepare_output(path, force=force, create_folder=create_folder)
    write_atomic(path, text)
    return found
