"""Evidence as table rows, and the filter/sort that picks which rows show (pure, thread-safe)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.review.findings import display_name, severity_of, severity_rank
from wa_review.tui.safe import clean, literal

# Fixed widths: with auto widths, Textual 8.2.8's DataTable widens a column on Idle without clearing
# its render cache, so a screenshot taken in between keeps header-width columns.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("status", "Status", 8),
    ("resource", "Resource", 24),
    ("severity", "Severity", 8),
    ("summary", "Summary", 60),
    ("service", "Service", 10),
    ("region", "Region", 12),
    ("check", "Check", 36),
)
# The widest each column is worth (Region fits ap-southeast-2, Service fits accessanalyzer);
# Summary takes what is left, and gives some back first when the terminal is narrow.
WIDEST = {"resource": 32, "service": 14, "region": 14, "check": 40}
NARROWEST = {"resource": 16, "summary": 24, "service": 8, "region": 9, "check": 16}
PADDING = 2  # DataTable adds a cell of padding on each side of every column


def column_widths(available: int) -> dict[str, int]:
    """Widths that fill `available` cells: fixed columns first, Summary gets the rest; below
    that, Check, Resource, Region and Service shrink to their narrowest, in that order."""
    widths = {key: width for key, _label, width in COLUMNS}
    widths.update(WIDEST)
    room = available - PADDING * len(COLUMNS)

    def spare() -> int:
        return room - sum(w for k, w in widths.items() if k != "summary")

    widths["summary"] = max(NARROWEST["summary"], spare())
    for key in ("check", "resource", "region", "service"):
        short = NARROWEST["summary"] - spare()
        if short <= 0:
            break
        cut = min(short, widths[key] - NARROWEST[key])
        widths[key] -= cut
    widths["summary"] = max(NARROWEST["summary"], spare())
    return widths


STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.UNKNOWN: "magenta",
    Status.NOT_APPLICABLE: "dim",
}
STATUS_LABEL = {Status.NOT_APPLICABLE: "n/a"}
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of a fixed-width column, shown literally.

    Two things keep thousands of rows cheap: the Text is made only when the cell is drawn
    (only visible rows are), and there is no `__rich_measure__`, so DataTable does not measure
    every new cell on the UI thread (a console-size lookup each) for widths that are fixed.
    """

    value: str
    style: str = ""

    @property
    def text(self) -> Text:
        return literal(self.value, style=self.style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text


class SortKey(StrEnum):
    STATUS = "status"
    RESOURCE = "resource"
    SEVERITY = "severity"
    SUMMARY = "summary"
    SERVICE = "service"
    REGION = "region"
    CHECK = "check"


def service_of(evidence: Evidence) -> str:
    return evidence.check_id.partition(".")[0] or "-"


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One evidence item, with its cells rendered once and a lower-case text to search."""

    index: int
    evidence: Evidence
    cells: tuple[Cell, ...]
    sort_values: tuple[str, ...]
    haystack: str


Badge = Callable[[Evidence], str]


def build_rows(evidence: Sequence[Evidence], badge: Badge | None = None) -> tuple[EvidenceRow, ...]:
    """Rows in evidence order; `badge` marks what changed since the last review ("[new] ...")."""
    rows: list[EvidenceRow] = []
    severities: dict[str, Severity | None] = {}
    for index, item in enumerate(evidence):
        if item.check_id not in severities:
            severities[item.check_id] = severity_of(item.check_id)
        severity = severities[item.check_id]
        mark = badge(item) if badge else ""
        values = (  # in COLUMNS order
            STATUS_LABEL.get(item.status, item.status.value),
            f"[{mark}] {display_name(item)}" if mark else display_name(item),
            severity.value if severity else "-",
            item.summary,
            service_of(item),
            item.region,
            item.check_id,
        )
        status = Cell(values[0], STATUS_STYLE[item.status])
        # Severity is how bad a failure would be: loud only where something is wrong.
        loud = severity is not None and item.status in (Status.FAIL, Status.WARN)
        graded = Cell(values[2], SEVERITY_STYLE[severity] if loud and severity else "dim")
        cells = (status, Cell(values[1]), graded, *(Cell(value) for value in values[3:]))
        # By status, the worst severity first within each; by severity, the worst status first.
        order = f"{9 - item.status.rank}{severity_rank(severity)}"
        rank = f"{severity_rank(severity)}{9 - item.status.rank}"
        texts = [clean(v).lower() for v in values]
        sort_values = (order, texts[1], rank, *texts[3:])
        haystack = " ".join((clean(item.resource_arn).lower(), *texts[1:]))
        rows.append(EvidenceRow(index, item, cells, sort_values, haystack))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    """What the reviewer asked to see: empty values mean "everything"."""

    status: Status | None = None
    severity: Severity | None = None
    service: str | None = None
    search: str = ""
    sort: SortKey = SortKey.STATUS
    reverse: bool = False


def describe_filter(spec: EvidenceFilter) -> str:
    """The filters that are on, in words ("" when none is)."""
    found = []
    if spec.status is not None:
        found.append(f"status {STATUS_LABEL.get(spec.status, spec.status.value)}")
    if spec.severity is not None:
        found.append(f"severity {spec.severity.value}")
    if spec.service is not None:
        found.append(f"service {spec.service}")
    if spec.search.strip():
        found.append(f"search “{spec.search.strip()}”")
    return ", ".join(found)


def select_rows(rows: Sequence[EvidenceRow], spec: EvidenceFilter) -> list[EvidenceRow]:
    """The rows that match `spec`, sorted; a stable sort keeps evidence order within ties."""
    needle = spec.search.strip().lower()
    chosen = [
        row
        for row in rows
        if (spec.status is None or row.evidence.status is spec.status)
        and (spec.severity is None or row.cells[2].value == spec.severity.value)
        and (spec.service is None or service_of(row.evidence) == spec.service)
        and (not needle or needle in row.haystack)
    ]
    column = [key for key, _label, _width in COLUMNS].index(spec.sort.value)
    chosen.sort(key=lambda row: row.sort_values[column], reverse=spec.reverse)
    return chosen
