"""Live collection progress: one row per service, account and region."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from wa_review.aws.run import Progress
from wa_review.tui.safe import literal

# Fixed widths (stable snapshots); everything but the message fits in 80 columns.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("service", "Service", 14),
    ("account", "Account", 12),
    ("region", "Region", 14),
    ("state", "State", 9),
    ("resources", "Found", 5),
    ("calls", "Calls", 5),
    ("errors", "Errs", 4),
    ("message", "Message", 70),
)
STATE_STYLE = {"started": "cyan", "done": "green", "failed": "bold red", "cancelled": "yellow"}


class ProgressTable(DataTable[Text]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    def record(self, progress: Progress) -> None:
        key = f"{progress.service}/{progress.account}/{progress.region}"
        running = progress.state == "started"
        cells = {
            "service": literal(progress.service),
            "account": literal(progress.account),
            "region": literal(progress.region),
            "state": literal(progress.state, style=STATE_STYLE.get(progress.state, "")),
            "resources": literal("…" if running else progress.resources),
            "calls": literal("…" if running else progress.calls),
            "errors": literal(
                "…" if running else progress.errors, style="bold red" if progress.errors else ""
            ),
            "message": literal(progress.message),
        }
        if key in self.rows:
            for column, cell in cells.items():
                self.update_cell(key, column, cell)
        else:
            self.add_row(*(cells[k] for k, _label, _width in COLUMNS), key=key)
