"""What a reader scans first in the HTML report, added to markdown-it's output: coloured status
and severity badges (the word stays), a table of contents, a small inline-SVG chart per practice,
and each check's evidence folded behind <details> (failing checks open).

markdown-it escaped everything from AWS before this runs; this only wraps markup it wrote itself
(exact cell words, headings) and inserts SVG built from counts. No script, no style attribute:
the report's strict Content-Security-Policy stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from wa_review.model.evidence import Severity, Status

# Cell words that become badges: the report's status words and severities (upper case).
BADGES = {
    "FAIL": "fail",
    "UNKNOWN": "unknown",
    "WARN": "warn",
    "PASS": "pass",
    "N/A": "na",
    "CRITICAL": "critical",
    "HIGH": "high",
    "MEDIUM": "medium",
    "LOW": "low",
    "INFO": "info",
    "UNRATED": "info",
}
# Fill colours of the chart (presentation attributes, not styles: the CSP allows them).
STATUS_FILL = {
    Status.FAIL: "#cf222e",
    Status.UNKNOWN: "#8250df",
    Status.WARN: "#bf8700",
    Status.PASS: "#1a7f37",
    Status.NOT_APPLICABLE: "#8c959f",
}
SEVERITY_FILL = {
    Severity.CRITICAL: "#82071e",
    Severity.HIGH: "#cf222e",
    Severity.MEDIUM: "#bf8700",
    Severity.LOW: "#0969da",
    Severity.INFO: "#8c959f",
}
STATUS_WORD = {
    Status.FAIL: "fail",
    Status.UNKNOWN: "unknown",
    Status.WARN: "warn",
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "n/a",
}

_CELL = re.compile(r"<td>(FAIL|UNKNOWN|WARN|PASS|N/A|CRITICAL|HIGH|MEDIUM|LOW|INFO|UNRATED)</td>")
_STRONG = re.compile(r"<strong>(CRITICAL|HIGH|MEDIUM|LOW|INFO|UNRATED)</strong>")
_H2 = re.compile(r"<h2>(.*?)</h2>")
_H4 = re.compile(r"<h4>(.*?)</h4>")
_NEXT_BLOCK = re.compile(r"<h[1-4]>")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class PracticeChart:
    """What one practice's chart shows: its results by status, its failures by severity."""

    title: str
    by_status: Mapping[Status, int]
    failing_by_severity: Mapping[Severity | None, int]


def _badge(word: str) -> str:
    return f'<span class="badge b-{BADGES[word]}">{word}</span>'


def badges(html: str) -> str:
    html = _CELL.sub(lambda m: f"<td>{_badge(m.group(1))}</td>", html)
    return _STRONG.sub(lambda m: _badge(m.group(1)), html)


def _slug(number: int) -> str:
    return f"s{number}"


def table_of_contents(html: str) -> str:
    """An id on every h2 and a linked list of them after the title."""
    entries: list[str] = []

    def number(match: re.Match[str]) -> str:
        entries.append(match.group(1))
        return f'<h2 id="{_slug(len(entries))}">{match.group(1)}</h2>'

    html = _H2.sub(number, html)
    if not entries:
        return html
    items = "".join(
        f'<li><a href="#{_slug(i)}">{_TAGS.sub("", text)}</a></li>'
        for i, text in enumerate(entries, 1)
    )
    nav = f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>{items}</ul></nav>'
    end = html.find("</h1>")
    return html[: end + 5] + nav + html[end + 5 :] if end >= 0 else nav + html


def fold_checks(html: str) -> str:
    """Each check's heading and its evidence table in a <details>; failing checks open."""
    out: list[str] = []
    position = 0
    for match in _H4.finditer(html):
        if match.start() < position:
            continue
        following = _NEXT_BLOCK.search(html, match.end())
        end = following.start() if following else len(html)
        heading = match.group(1)
        is_open = " open" if re.search(r"\d+ fail\b", _TAGS.sub("", heading)) else ""
        out.append(html[position : match.start()])
        out.append(
            f'<details class="check"{is_open}><summary>{heading}</summary>'
            f"{html[match.end() : end]}</details>"
        )
        position = end
    out.append(html[position:])
    return "".join(out)


def _bar(
    y: int, label: str, parts: Sequence[tuple[str, int, str]], total: int, width: int
) -> list[str]:
    """One labelled, stacked bar: each part a rectangle with its count written beside."""
    shapes = [f'<text x="0" y="{y + 12}" class="chart-label">{escape(label)}</text>']
    x, left = 90.0, width - 90
    for name, count, fill in parts:
        if not count:
            continue
        size = max(left * count / total, 2.0)
        shapes.append(
            f'<rect x="{x:.1f}" y="{y}" width="{size:.1f}" height="16" fill="{fill}">'
            f"<title>{count} {escape(name)}</title></rect>"
        )
        x += size
    legend = ", ".join(f"{count} {name}" for name, count, _fill in parts if count)
    shapes.append(
        f'<text x="90" y="{y + 30}" class="chart-legend">{escape(legend or "none")}</text>'
    )
    return shapes


def practice_chart(chart: PracticeChart, *, width: int = 420) -> str:
    """An inline SVG (no script, no style attribute) with two bars: by status, and the failing
    results by severity. The numbers are written as text too: colour is never the only cue."""
    statuses = [(STATUS_WORD[s], chart.by_status.get(s, 0), STATUS_FILL[s]) for s in STATUS_FILL]
    severities = [
        (s.value, chart.failing_by_severity.get(s, 0), SEVERITY_FILL[s]) for s in SEVERITY_FILL
    ]
    unrated = chart.failing_by_severity.get(None, 0)
    if unrated:
        severities.append(("unrated", unrated, "#d0d7de"))
    shapes = _bar(0, "Results", statuses, max(1, sum(c for _n, c, _f in statuses)), width)
    shapes += _bar(40, "Failing", severities, max(1, sum(c for _n, c, _f in severities)), width)
    title = f"Results of {chart.title} by status and severity"
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} 76" width="{width}" height="76" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(shapes)}</svg>"
    )


def add_charts(html: str, charts: Sequence[PracticeChart]) -> str:
    """Each practice section ("<h2 ...>N. title") gets its chart right after its heading."""
    for number, chart in enumerate(charts, 1):
        found = re.search(rf'<h2 id="s\d+">{number}\. [^<]*</h2>', html)
        if found is None:
            continue
        html = html[: found.end()] + practice_chart(chart) + html[found.end() :]
    return html


def dress(html: str, charts: Sequence[PracticeChart]) -> str:
    return fold_checks(add_charts(table_of_contents(badges(html)), charts))
