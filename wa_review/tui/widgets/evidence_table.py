"""The evidence table: filtering and sorting run in a thread; rows are added in small batches."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from wa_review.model.evidence import Evidence
from wa_review.tui.widgets.evidence_rows import (
    COLUMNS,
    Badge,
    Cell,
    EvidenceFilter,
    EvidenceRow,
    SortKey,
    build_rows,
    column_widths,
    select_rows,
)

# Rows are added in batches, each after a screen refresh, so keys and scrolling are served in
# between; the first batch fills the screen at once.
FIRST_BATCH = 100
BATCH = 1000


class EvidenceTable(DataTable[Cell]):
    """Virtualised in rendering; kept responsive at thousands of rows by batched loading."""

    @dataclass
    class Filtered(Message):
        """Every row of the current filter is in the table (a benchmark waits for this)."""

        shown: int
        total: int

    @dataclass
    class EvidenceHighlighted(Message):
        """The cursor moved to a row (None: the table is empty)."""

        evidence: Evidence | None

    @dataclass
    class _Selected(Message):
        rows: tuple[EvidenceRow, ...] | None
        chosen: list[EvidenceRow]
        generation: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.spec = EvidenceFilter()
        self._badge: Badge | None = None
        self._rows: tuple[EvidenceRow, ...] = ()
        self._pending: list[EvidenceRow] = []
        self._generation = 0
        self._shown = 0
        self.loading_rows = False
        """True while a filter is computed or its rows are still being added."""
        self.filtered = asyncio.Event()
        """Set when every row of the current filter is in the table (tests and benchmarks)."""

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def shown(self) -> int:
        return self._shown

    def show_evidence(self, evidence: Sequence[Evidence], *, badge: Badge | None = None) -> None:
        """Replace the evidence; the current filter applies to it."""
        self._badge = badge
        self._start(tuple(evidence))

    def apply_filter(self, spec: EvidenceFilter) -> None:
        self.spec = spec
        self._start(None)

    def sort_by(self, key: SortKey) -> None:
        """Sort by `key`; asking for the current sort again reverses it."""
        reverse = not self.spec.reverse if self.spec.sort is key else False
        self.apply_filter(replace(self.spec, sort=key, reverse=reverse))

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns sized to the table's width (fixed per size: never measured per cell)."""
        available = self.scrollable_content_region.width
        if available <= 0 or not self.columns:
            return
        widths = column_widths(available)
        changed = False
        for key, width in widths.items():
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != width:
                column.width, changed = width, True
        if changed:
            total = sum(c.get_render_width(self) for c in self.columns.values())
            self.virtual_size = Size(total, self.virtual_size.height)
            self._clear_caches()
            self.refresh()

    def _show_sort(self) -> None:
        """The sorted column's header says so, with its direction."""
        for key, label, _width in COLUMNS:
            column = self.columns.get(ColumnKey(key))
            if column is None:
                continue
            if key == self.spec.sort.value:
                column.label = Text(f"{label} {'▼' if self.spec.reverse else '▲'}", style="bold")
            else:
                column.label = Text(label)
        self.refresh()

    def _start(self, evidence: tuple[Evidence, ...] | None) -> None:
        self._show_sort()
        self._generation += 1
        self.loading_rows = True
        self.filtered.clear()
        self._select(evidence, self._rows, self.spec, self._generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-filter")
    def _select(
        self,
        evidence: tuple[Evidence, ...] | None,
        rows: tuple[EvidenceRow, ...],
        spec: EvidenceFilter,
        generation: int,
    ) -> None:
        built = build_rows(evidence, self._badge) if evidence is not None else None
        chosen = select_rows(built if built is not None else rows, spec)
        self.post_message(self._Selected(built, chosen, generation))

    @on(_Selected)
    def _fill(self, message: _Selected) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a newer filter is on its way
        if message.rows is not None:
            self._rows = message.rows
        self.clear()
        self._shown = 0
        self._pending = message.chosen
        self._add_batch(message.generation)
        if not message.chosen:
            self.post_message(self.EvidenceHighlighted(None))

    def _add_batch(self, generation: int) -> None:
        if generation != self._generation:
            return
        size = FIRST_BATCH if self._shown == 0 else BATCH
        batch, self._pending = self._pending[:size], self._pending[size:]
        for row in batch:
            self.add_row(*row.cells, key=str(row.index))
        self._shown += len(batch)
        if self._pending:
            self.call_after_refresh(self._add_batch, generation)
        else:
            self.loading_rows = False
            self.filtered.set()
            self.post_message(self.Filtered(self._shown, len(self._rows)))

    def evidence_at_cursor(self) -> Evidence | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._rows[int(key)].evidence if key is not None else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        if key is not None:
            self.post_message(self.EvidenceHighlighted(self._rows[int(key)].evidence))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value is not None:
            self.sort_by(SortKey(event.column_key.value))
