"""The push form: the workload (prefilled from the session), then the plan, then yes or no.

Everything the WA Tool receives is in the confirmation dialog first, in the CLI's own words
(`PushPlan.describe`); the form shows a spinner while the WA Tool is read or written.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from wa_review.errors import WaReviewError
from wa_review.outputs import check_output
from wa_review.push_flow import record_push
from wa_review.tui.messages import PushFinished, PushPlanned
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import ConfirmDialog, Dialog, report_failed_worker, show_error
from wa_review.tui.state import Review
from wa_review.tui.workflows import PushForm, plan_review_push, push_form_defaults, push_result_text
from wa_review.watool.plan import PushPlan
from wa_review.watool.push import finish_push
from wa_review.watool.workload import ENVIRONMENTS

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp

UPGRADE_TITLE = "Upgrade the lens review first?"


class PushFormScreen(Dialog[None]):
    """Workload name, environment, review owner, description, Region, create-if-missing, PDF."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="push-form-close")
    ]
    DEFAULT_CSS = """
    PushFormScreen > Vertical { width: 78; }
    PushFormScreen Grid {
        grid-size: 2; grid-columns: 16 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto;
    }
    PushFormScreen Grid Label { width: 100%; text-align: right; }
    PushFormScreen #push-status { height: auto; max-height: 6; margin-top: 1; }
    """

    app: ReviewApp

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.defaults = push_form_defaults(review)

    def compose(self) -> ComposeResult:
        form = self.defaults
        with Vertical(id="push-form"):
            yield Label(Text("Push to the Well-Architected Tool", style="bold"), classes="title")
            with Grid():
                yield Label("Workload name")
                yield Input(form.name, placeholder="workload name", compact=True, id="workload")
                yield Label("Environment")
                yield Select(
                    [(e.title(), e) for e in ENVIRONMENTS],
                    value=form.environment,
                    allow_blank=False,
                    compact=True,
                    id="environment",
                )
                yield Label("Review owner")
                yield Input(
                    form.review_owner,
                    placeholder="who owns the review",
                    compact=True,
                    id="review-owner",
                )
                yield Label("Description")
                yield Input(
                    form.description,
                    placeholder="what the workload is",
                    compact=True,
                    id="description",
                )
                yield Label("Region")
                yield Input(form.region, placeholder="us-east-1", compact=True, id="push-region")
                yield Label("")
                yield Checkbox("create the workload if missing", compact=True, id="create")
                yield Label("PDF report")
                yield Input(
                    "", placeholder="optional: save the WA Tool's PDF here", compact=True, id="pdf"
                )
            yield Static("Nothing is written before you confirm the plan.", id="push-status")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Plan push…", variant="primary", id="do-plan")

    def on_mount(self) -> None:
        self.query_one("#do-plan", Button).focus()

    def form(self) -> PushForm:
        def value(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        pdf = value("#pdf")
        return PushForm(
            name=value("#workload"),
            environment=str(self.query_one("#environment", Select).value),
            review_owner=value("#review-owner"),
            description=value("#description"),
            region=value("#push-region") or self.defaults.region,
            create=self.query_one("#create", Checkbox).value,
            pdf_path=Path(pdf) if pdf else None,
        )

    def busy(self, status: str | None) -> None:
        """The spinner (and what it waits for), or the form back."""
        grid = self.query_one(Grid)
        grid.loading = status is not None
        if status is not None:
            self.status(status)

    def status(self, text: str) -> None:
        self.query_one("#push-status", Static).update(literal(text, multiline=True))

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "push-plan")
        self.workers.cancel_group(self, "push-write")
        self.dismiss(None)

    @on(Button.Pressed, "#do-plan")
    def plan(self) -> None:
        form = self.form()
        # A PDF path that would replace a file or make a folder asks first, as the export does.
        try:
            found = check_output(form.pdf_path) if form.pdf_path is not None else None
        except WaReviewError as err:  # a folder, or a file where a folder should be
            show_error(self.app, err)
            return
        if found is None or not found.needs_yes:
            self._start_plan(form)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_plan(form)

        self.app.push_screen(
            ConfirmDialog(f"Save the PDF to {form.pdf_path}?", found.questions(), yes="Yes"),
            answered,
        )

    def _start_plan(self, form: PushForm) -> None:
        self.busy("Reading the workload from the WA Tool…")
        self._plan(self.app.require_review(), form, upgrade=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="push-plan")
    def _plan(self, review: Review, form: PushForm, *, upgrade: bool) -> None:
        client = self.app.watool_client(form.region)
        plan = plan_review_push(review, client, form, upgrade_lens=upgrade)
        self.post_message(PushPlanned(plan, client))

    def on_push_planned(self, event: PushPlanned) -> None:
        offer = event.plan.upgrade_offer
        if offer is None or event.plan.upgrade:
            self._finish(event)
            return

        def answered(upgrade: bool | None) -> None:
            if upgrade:  # plan again with the upgrade in it (still reads only)
                self.busy("Reading the workload again, with the lens upgrade in the plan…")
                self._plan(self.app.require_review(), self.form(), upgrade=True)
            else:
                self._finish(event)

        lines = [
            *offer.describe(),
            "Yes puts the upgrade in the plan (made only after you confirm the plan); no keeps "
            "the old version: the answer is written to it.",
        ]
        self.app.push_screen(
            ConfirmDialog(UPGRADE_TITLE, lines, yes="Upgrade lens first"), answered
        )

    def _finish(self, event: PushPlanned) -> None:
        self.busy("Waiting for your answer…" if event.plan.writes else "Reading the report…")
        self._write(event)

    @work(thread=True, exclusive=True, exit_on_error=False, group="push-write")
    def _write(self, planned: PushPlanned) -> None:
        result = finish_push(planned.client, planned.plan, confirm=self._ask)
        self.post_message(PushFinished(result))

    def _ask(self, plan: PushPlan) -> bool:
        """The confirmation dialog, from the push's thread: the plan in the CLI's words."""
        answer: list[bool] = []
        answered = threading.Event()

        def show() -> None:
            def done(yes: bool | None) -> None:
                answer.append(bool(yes))
                if yes:
                    self.busy("Writing to the WA Tool…")
                answered.set()

            title = f"Write all this to {plan.workload_name}?"
            self.app.push_screen(ConfirmDialog(title, plan.describe(), yes="Write"), done)

        self.app.call_from_thread(show)
        worker = get_current_worker()
        while not answered.wait(0.05):
            if worker.is_cancelled:
                return False
        return answer[0]

    def on_push_finished(self, event: PushFinished) -> None:
        result = event.result
        session = record_push(self.app.require_review().session, result)
        if session is not self.app.require_review().session:
            self.app.update_session(session)
        self.busy(None)
        text = push_result_text(result)
        self.status(text)
        self.notify(text, title="Push", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.busy(None)
            self.status("Stopped: see the error. Nothing more is written.")
        report_failed_worker(self.app, event)
