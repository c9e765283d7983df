"""Render a review as Markdown, self-contained HTML, WA interchange JSON or a custom lens."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from wa_review import __version__
from wa_review.assessment import Assessment
from wa_review.errors import UsageError
from wa_review.model.evidence import Severity, Status
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.questionnaire import Questionnaire
from wa_review.report import context as report_context
from wa_review.report.context import CheckLookup, build_context
from wa_review.report.html_dress import PracticeChart, dress
from wa_review.report.lens import lens_json
from wa_review.report.markdown import Trusted, md_escape, md_lines, md_to_html
from wa_review.report.since import SinceReview
from wa_review.review.findings import fix_first, severity_of
from wa_review.review.outcome import assess_session, outcomes, risk_view
from wa_review.review.payload import payload_from_session
from wa_review.review.session import ReviewSession, active_exceptions

REPORT_SCHEMA_VERSION = 1
_BACKTICKS = re.compile(r"`+")


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"
    LENS = "lens"
    OCSF = "ocsf"  # OCSF Compliance Findings, a JSON array (wa_review.report.ocsf)
    CSV = "csv"  # one row per result, for spreadsheets (wa_review.report.csv_export)

    @property
    def extension(self) -> str:
        return {ReportFormat.LENS: "lens.json", ReportFormat.OCSF: "ocsf.json"}.get(
            self, self.value
        )


def _finalize(value: object) -> str:
    # Every {{ value }} in a Markdown template is escaped unless we wrote it (Trusted).
    return str(value) if isinstance(value, Trusted) else md_escape(value)


def _cell(value: object) -> Trusted:
    text = md_escape(value)
    return Trusted(text or "-")


def _code(value: object) -> Trusted:
    """A code span that holds any text literally: the fence is longer than any backtick run."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    # CommonMark drops one space on each side, so pad only when the text touches a backtick.
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Trusted(f"{fence}{pad}{text}{pad}{fence}" if text else "")


def _url(value: object) -> Trusted:
    text = str(value)
    if not text.startswith(("https://", "http://")) or any(c in text for c in "<> \n"):
        raise ValueError(f"not a link we can print: {text!r}")
    return Trusted(text)


@cache
def _markdown_env() -> Environment:
    env = Environment(
        loader=PackageLoader("wa_review.report", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping is _finalize's job
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.update(
        cell=_cell,
        lines=lambda v: Trusted(md_lines(v)),
        trusted=lambda v: Trusted(str(v).strip()),
        url=_url,
        code=_code,
        # A code span in a table cell: GFM ends the cell at any unescaped pipe, even in code.
        cellcode=lambda v: Trusted(str(_code(v)).replace("|", "\\|")),
    )
    return env


@cache
def _html_env() -> Environment:
    return Environment(
        loader=PackageLoader("wa_review.report", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _style() -> tuple[str, str]:
    css = files("wa_review.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"sha256-{digest}"


def render_markdown(context: dict[str, Any]) -> str:
    return _markdown_env().get_template("report.md.j2").render(context)


def _charts(context: dict[str, Any]) -> list[PracticeChart]:
    charts = []
    for practice in context["practices"]:
        failing: Counter[Severity | None] = Counter()
        for group in practice.groups:
            failing[group.severity] += sum(1 for e in group.rows if e.status is Status.FAIL)
        counts = Counter(e.status for e in practice.rows)
        charts.append(PracticeChart(practice.item.choice.title, counts, failing))
    return charts


def render_html(context: dict[str, Any], markdown: str) -> str:
    css, css_hash = _style()
    q: Questionnaire = context["questionnaire"]
    return (
        _html_env()
        .get_template("report.html.j2")
        .render(
            title=f"{q.short_name.upper()} review: {context['workload'].name}",
            # markdown-it escaped everything (raw HTML is off); dress adds only our own markup.
            body=Markup(dress(md_to_html(markdown), _charts(context))),
            style=Markup(css),
            style_hash=css_hash,
            tool_version=__version__,
        )
    )


def interchange(
    session: ReviewSession,
    questionnaire: Questionnaire,
    evidence_file: EvidenceFile,
    assessment: Assessment,
) -> dict[str, Any]:
    """The WA Tool interchange plus what other tools need: evidence per choice, lens version."""
    payload = payload_from_session(session, questionnaire, evidence_file.evidence)
    view = risk_view(session, questionnaire, outcomes(session, questionnaire, assessment))
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool_version": __version__,
        **payload.to_interchange(),
        "LensVersion": view.lens_version,
        "risk": {
            "shown": view.shown.value,
            "source": "wa_tool" if view.from_wa_tool else "estimate",
            "estimate": view.estimate.value,
        },
        "workload": session.workload.model_dump(mode="json"),
        "evidence_file": session.evidence.model_dump(mode="json") if session.evidence else None,
        "evidence": {
            s.choice_id: [
                {**e.to_dict(), "choice_id": s.choice_id, "severity": _severity(e.check_id)}
                for e in s.evidence
            ]
            for s in assessment.suggestions
        },
        "fix_first": [
            {
                "severity": item.severity_text,
                "check_id": item.evidence.check_id,
                "resource_arn": item.evidence.resource_arn,
                "resource_name": item.resource,
                "region": item.evidence.region,
                "account": item.evidence.account,
                "why": item.why,
                "command": item.command,
                "advice": item.advice,
            }
            for item in fix_first(
                (e for s in assessment.suggestions for e in s.evidence),
                accepted=active_exceptions(session),
            )
        ],
        "overrides": {
            o.choice.id: o.record.justification
            for o in outcomes(session, questionnaire, assessment)
            if o.is_override
        },
        "exceptions": [e.model_dump(mode="json") for e in session.exceptions],
    }


def _severity(check_id: str) -> str:
    found = severity_of(check_id)
    return found.value if found else "unrated"


def render(
    session: ReviewSession,
    questionnaire: Questionnaire,
    evidence_file: EvidenceFile,
    *,
    fmt: ReportFormat | str = ReportFormat.MD,
    lookup: CheckLookup | None = None,
    since: SinceReview | None = None,
) -> str:
    """The report text in `fmt` (md, html, json, lens, ocsf or csv).

    `since` adds a "since the last review" section to md and html (`report --since`).

    `lookup` gives a check's metadata (its remediation goes in the improvement plan); it
    defaults to the check registry.
    """
    try:
        fmt = ReportFormat(fmt)
    except ValueError as err:
        choices = ", ".join(f.value for f in ReportFormat)
        raise UsageError(f"Unknown report format {fmt!r}: use {choices}") from err
    if fmt is ReportFormat.LENS:
        return lens_json([questionnaire])
    if fmt in (ReportFormat.OCSF, ReportFormat.CSV):
        from wa_review.report.csv_export import render_csv
        from wa_review.report.ocsf import render_ocsf

        export = render_ocsf if fmt is ReportFormat.OCSF else render_csv
        return export(evidence_file, questionnaire, lookup=lookup or report_context.registry_lookup)
    assessment = assess_session(session, questionnaire, evidence_file.evidence)
    if fmt is ReportFormat.JSON:
        data = interchange(session, questionnaire, evidence_file, assessment)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lookup = lookup or report_context.registry_lookup
    context = build_context(session, questionnaire, evidence_file, assessment, lookup=lookup)
    context["since"] = since  # since.md.j2 renders nothing when it is None
    markdown = render_markdown(context)
    return markdown if fmt is ReportFormat.MD else render_html(context, markdown)
