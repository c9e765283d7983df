"""Evidence as CSV for spreadsheets: one row per result, formulas never executed."""

from __future__ import annotations

import csv
import io

from wa_review.diffing.sources import practice_lookup
from wa_review.model.arn import resource_name
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.report.context import CheckLookup

COLUMNS = (
    "check_id",
    "status",
    "severity",
    "account",
    "region",
    "resource_arn",
    "resource_name",
    "summary",
    "practice",
    "choice_id",
)
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's CSV injection
# list, plus the full-width forms some spreadsheets fold to ASCII). Tab and CR are on it too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Excel reads a file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


def neutralise(value: str) -> str:
    """A cell value a spreadsheet shows as text: a leading quote stops formula evaluation."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(
    evidence_file: EvidenceFile, questionnaire: Questionnaire, *, lookup: CheckLookup
) -> str:
    practice_of = practice_lookup([questionnaire])
    rows: list[tuple[tuple[int, int, str, str], list[str]]] = []
    for item in evidence_file.evidence:
        meta = lookup(item.check_id)
        practice = practice_of(item)
        values = [
            item.check_id,
            item.status.value,
            meta.severity.value if meta else "",
            item.account,
            item.region,
            item.resource_arn,
            resource_name(item.resource_arn) if item.resource_arn else "",
            item.summary,
            practice.title,
            practice.choice_id,
        ]
        order = (practice.order, -item.status.rank, item.check_id, item.resource_arn)
        rows.append((order, [neutralise(v) for v in values]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(values for _, values in sorted(rows, key=lambda r: r[0]))
    return BOM + out.getvalue()
