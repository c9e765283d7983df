"""Evidence as table rows, and the filter/sort that picks which rows show (pure, thread-safe)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from wa_review.model.arn import resource_name
from wa_review.model.evidence import Evidence, Status
from wa_review.tui.safe import clean, literal

# Fixed widths: with auto widths, Textual 8.2.8's DataTable widens a column on Idle without clearing
# its render cache, so a screenshot taken in between keeps header-width columns.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("status", "Status", 7),
    ("resource", "Resource", 24),
    ("summary", "Summary", 60),
    ("service", "Service", 10),
    ("region", "Region", 12),
    ("check", "Check", 36),
)
STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.UNKNOWN: "magenta",
    Status.NOT_APPLICABLE: "dim",
}
STATUS_LABEL = {Status.NOT_APPLICABLE: "n/a"}


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
    for index, item in enumerate(evidence):
        mark = badge(item) if badge else ""
        values = (  # in COLUMNS order
            STATUS_LABEL.get(item.status, item.status.value),
            f"[{mark}] {resource_name(item.resource_arn)}"
            if mark
            else resource_name(item.resource_arn),
            item.summary,
            service_of(item),
            item.region,
            item.check_id,
        )
        status = Cell(values[0], STATUS_STYLE[item.status])
        cells = (status, *(Cell(value) for value in values[1:]))
        order = str(9 - item.status.rank)  # worst first
        sort_values = (order, *(clean(v).lower() for v in values[1:]))
        haystack = " ".join((clean(item.resource_arn).lower(), *sort_values[1:]))
        rows.append(EvidenceRow(index, item, cells, sort_values, haystack))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class EvidenceFilter:
    """What the reviewer asked to see: empty values mean "everything"."""

    status: Status | None = None
    service: str | None = None
    search: str = ""
    sort: SortKey = SortKey.STATUS
    reverse: bool = False


def select_rows(rows: Sequence[EvidenceRow], spec: EvidenceFilter) -> list[EvidenceRow]:
    """The rows that match `spec`, sorted; a stable sort keeps evidence order within ties."""
    needle = spec.search.strip().lower()
    chosen = [
        row
        for row in rows
        if (spec.status is None or row.evidence.status is spec.status)
        and (spec.service is None or service_of(row.evidence) == spec.service)
        and (not needle or needle in row.haystack)
    ]
    column = [key for key, _label, _width in COLUMNS].index(spec.sort.value)
    chosen.sort(key=lambda row: row.sort_values[column], reverse=spec.reverse)
    return chosen
