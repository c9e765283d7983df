"""Live collection: progress per service as it happens, errors as they come; cancellable."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, RichLog, Static
from textual.worker import Worker, WorkerState

from wa_review.aws.account_progress import AccountTally
from wa_review.aws.context import AwsOptions
from wa_review.aws.run import Progress
from wa_review.preview import Preview
from wa_review.tui.messages import CollectionProgressed, EvidenceCollected, EvidencePreviewed
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import report_failed_worker
from wa_review.tui.widgets.progress_table import ProgressTable
from wa_review.tui.workflows import collect_evidence, evidence_path_for

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp


class CollectionScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cancel", "Cancel", tooltip="Stop collecting; nothing is saved", id="cancel"),
        Binding("b", "begin", "Review now", tooltip="Start reviewing while this runs", id="begin"),
    ]

    app: ReviewApp

    def __init__(
        self,
        options: AwsOptions,
        stacks: tuple[str, ...],
        tags: tuple[tuple[str, str], ...],
        session_path: Path,
    ) -> None:
        super().__init__()
        self.options, self.stacks, self.tags = options, stacks, tags
        self.session_path = session_path
        """The session the evidence is for (its decisions are kept); created if need be."""
        self._cancel = threading.Event()
        self._states: dict[tuple[str, str, str], str] = {}
        self._accounts = AccountTally()
        self.errors = 0
        """How many services reported errors so far."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Connecting to AWS…"), id="collect-status")
        yield ProgressTable(id="progress")
        yield Static(Text("Errors", style="bold"), id="errors-title")
        yield RichLog(max_lines=500, wrap=True, id="collect-errors")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.app.review is None:
            self.app.open_files(session_path=self.session_path, previous_evidence=False)
        self.app.set_collecting(True)
        self._collect(evidence_path_for(self.session_path))

    @work(thread=True, exclusive=True, exit_on_error=False, group="collect")
    def _collect(self, out: Path) -> None:
        found = collect_evidence(
            self.options,
            out,
            session_factory=self.app.session_factory,
            stacks=self.stacks,
            tags=self.tags,
            on_progress=self._progressed,
            cancelled=self._cancel.is_set,
            config=self.app.check_config,
            on_preview=self._previewed,
        )
        self.post_message(EvidenceCollected(out, found))

    def _progressed(self, progress: Progress) -> None:
        self.post_message(CollectionProgressed(progress))  # thread-safe

    def _previewed(self, preview: Preview) -> None:
        self.post_message(EvidencePreviewed(preview))

    def on_evidence_previewed(self, message: EvidencePreviewed) -> None:
        if not self._cancel.is_set():
            self.app.preview_evidence(message.preview)

    def on_collection_progressed(self, message: CollectionProgressed) -> None:
        progress = message.progress
        self.query_one(ProgressTable).record(progress)
        self._states[(progress.service, progress.account, progress.region)] = progress.state
        if progress.state == "failed" or progress.errors:
            self._log_error(progress)
        done = sum(1 for s in self._states.values() if s != "started")
        status = Text(f"Collecting: {done} of {len(self._states)} done")
        self._accounts.record(progress)
        finished, failed, running = self._accounts.totals()
        if finished + failed + running > 1:  # an organization: sum it up per account
            status.append(f" · accounts: {finished} done, {failed} failed, {running} in progress")
        if self.errors:
            status.append(f" · {self.errors} with errors", style="bold red")
        status.append(" · c cancels · b starts the review meanwhile", style="dim")
        self.query_one("#collect-status", Static).update(status)

    def _log_error(self, progress: Progress) -> None:
        self.errors += 1
        where = f"{progress.service} {progress.account} {progress.region}: "
        line = Text()
        line.append_text(literal(where, style="bold"))
        line.append_text(literal(progress.message or f"{progress.errors} call(s) failed"))
        self.query_one(RichLog).write(line)

    async def on_evidence_collected(self, message: EvidenceCollected) -> None:
        status = self.query_one("#collect-status", Static)
        if message.evidence_file is None:
            status.update(Text("Collection cancelled: nothing was saved.", style="yellow"))
            self.notify("Collection cancelled: nothing was saved.", severity="warning")
            await self.app.collection_stopped()
        else:
            self.app.set_collecting(False)
            status.update(Text("Collection finished.", style="green"))
            self.app.attach_evidence(message.path, message.evidence_file, self.session_path)

    def on_unmount(self) -> None:
        # Quitting mid-collection: let the thread stop at its next check so the process exits.
        self._cancel.set()

    def action_cancel(self) -> None:
        self._cancel.set()
        self.query_one("#collect-status", Static).update(Text("Cancelling…", style="yellow"))

    def action_begin(self) -> None:
        if self.app.review is not None:
            self.app.show_overview()

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one("#collect-status", Static).update(
                Text("Collection failed: nothing was saved.", style="bold red")
            )
            await self.app.collection_stopped()  # first, so the error shows where we land
        report_failed_worker(self.app, event)
