"""The summary: risk, decisions, what is still open; export a report and push to the WA Tool."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, Static
from textual.worker import Worker

from wa_review.errors import WaReviewError
from wa_review.outputs import check_output
from wa_review.tui.messages import ReportExported
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import ConfirmDialog, report_failed_worker, show_error
from wa_review.tui.screens.overview import risk_text
from wa_review.tui.screens.push_form import PushFormScreen
from wa_review.tui.state import Review
from wa_review.tui.widgets.fix_first import fix_first_text
from wa_review.tui.widgets.practice_list import PracticeList
from wa_review.tui.workflows import (
    FORMATS,
    default_export_path,
    export_report,
)

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def open_items(review: Review) -> Text:
    """Undecided practices, then per practice what the evidence could not tell."""
    out = Text()
    for item in review.outcomes:
        if item.status is None:
            out.append("• Undecided: ", style="bold yellow")
            out.append(f"{item.choice.title}\n")
    for suggestion in review.assessment.suggestions:
        gaps = []
        if suggestion.unknown:
            gaps.append(f"{_plural(len(suggestion.unknown), 'result')} could not be checked")
        if suggestion.missing_checks:
            gaps.append(f"no evidence from {_plural(len(suggestion.missing_checks), 'check')}")
        if gaps:
            out.append("• Unknown: ", style="bold magenta")
            out.append(f"{review.questionnaire.choice(suggestion.choice_id).title}: ")
            out.append("; ".join(gaps) + "\n")
    unchecked = not_checked_lines(review)
    if unchecked:
        out.append("\nCould not be checked\n", style="bold")
        for line in unchecked:
            out.append("  - ")
            out.append_text(line)
            out.append("\n")
    if not out.plain:
        return Text("Nothing open: every practice is decided and fully checked.", style="green")
    out.rstrip()
    return out


NOT_CHECKED_SHOWN = 30


def not_checked_lines(review: Review) -> list[Text]:
    """Every UNKNOWN result and every failed AWS call, literally: the reviewer's blind spots."""
    lines = [
        literal(f"{e.check_id}: {e.summary}")
        for suggestion in review.assessment.suggestions
        for e in suggestion.unknown
    ]
    errors = review.evidence_file.errors if review.evidence_file else ()
    lines += [literal(f"AWS call failed: {error.reason()}") for error in errors]
    if len(lines) > NOT_CHECKED_SHOWN:
        hidden = len(lines) - NOT_CHECKED_SHOWN
        lines = [*lines[:NOT_CHECKED_SHOWN], Text(f"(+{hidden} more: see the report's appendix)")]
    return lines


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export", tooltip="Write the report", id="export"),
        Binding("p", "push", "Push", tooltip="Push the answer to the WA Tool", id="push"),
        Binding("escape", "back", "Back", id="back"),
    ]

    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("enter", "Open the highlighted practice"),
        ("↑ ↓", "Move between the practices"),
        ("tab", "Next field: the practices, the report format and path"),
    ]

    app: ReviewApp

    def __init__(self, *, focus: str | None = None) -> None:
        super().__init__()
        self.focus_on = focus
        self._export_format = "md"

    def compose(self) -> ComposeResult:
        review = self.app.require_review()
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(id="summary-risk")
            yield Static(id="summary-fix-first")
            yield PracticeList(id="decisions")
            yield Label(Text("Still open", style="bold"))
            yield Static(id="open-items")
            yield Label(Text("Export a report", style="bold"))
            with Horizontal(classes="form-row"):
                yield Select(FORMATS, value="md", allow_blank=False, compact=True, id="format")
                yield Input(str(default_export_path(review, "md")), compact=True, id="export-path")
                yield Button("Export", compact=True, id="do-export")
            yield Label(Text("Push to the Well-Architected Tool", style="bold"))
            with Horizontal(classes="form-row"):
                yield Button("Push…", compact=True, id="do-push")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.review_changed.subscribe(self, self.show_review)
        self.show_review(self.app.require_review())
        if self.focus_on is not None:
            self.query_one(f"#do-{self.focus_on}").focus()
        else:
            self.query_one(PracticeList).focus()
        if self.focus_on == "push":  # `p` anywhere opens the push form itself
            self.call_after_refresh(self.action_push)

    def show_review(self, review: Review) -> None:
        self.query_one("#summary-risk", Static).update(risk_text(review))
        self.query_one("#summary-fix-first", Static).update(fix_first_text(review))
        self.query_one(PracticeList).show_outcomes(review.outcomes)
        self.query_one("#open-items", Static).update(open_items(review))
        self.app.screen_ready()

    def action_back(self) -> None:
        self.app.show_overview()

    @on(OptionList.OptionSelected, "#decisions")
    def _practice_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.app.show_practice(event.option_id)

    # -- export ----------------------------------------------------------------------------

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        # Same folder, the default name for the new format (x.md -> x.html, x.lens.json).
        if str(event.value) == self._export_format:
            return  # the Select announcing its first value: keep a path already typed
        self._export_format = str(event.value)
        path = self.query_one("#export-path", Input)
        name = default_export_path(self.app.require_review(), str(event.value)).name
        path.value = str(Path(path.value).parent / name)

    @on(Button.Pressed, "#do-export")
    def action_export(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        path = Path(self.query_one("#export-path", Input).value.strip())
        try:
            found = check_output(path)
        except WaReviewError as err:
            show_error(self.app, err)
            return
        if not found.needs_yes:
            self._export(self.app.require_review(), fmt, path)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._export(self.app.require_review(), fmt, path)
            else:
                self.notify("Nothing was written.", markup=False)

        yes = "Replace" if found.replaces else "Create and write"
        self.app.push_screen(
            ConfirmDialog(f"Export to {path}?", found.questions(), yes=yes), answered
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, review: Review, fmt: str, path: Path) -> None:
        export_report(review, fmt, path)
        self.post_message(ReportExported(path, fmt))

    def on_report_exported(self, event: ReportExported) -> None:
        self.notify(f"Report written to {event.path}", title="Exported", markup=False)

    # -- push ------------------------------------------------------------------------------

    @on(Button.Pressed, "#do-push")
    def action_push(self) -> None:
        """The workload form; the plan and the writes happen there."""
        self.app.push_screen(PushFormScreen(self.app.require_review()))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event)
