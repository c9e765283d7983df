"""The review app: holds the session, switches screens, saves after every change."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from wa_review.aws.context import AwsOptions, SessionFactory
from wa_review.model.choice import decided_by_suggestion
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.model.questionnaire import Questionnaire
from wa_review.preview import Preview
from wa_review.review.payload import suggested_reason
from wa_review.review.session import Decision, ReviewSession, cleared_by, decide, with_position
from wa_review.review.store import save_session
from wa_review.tui.commands import (
    ask_path,
    key_help,
    palette_commands,
    session_file_text,
    shown_path,
    typing,
)
from wa_review.tui.messages import EvidenceAssessed, ReviewOpened
from wa_review.tui.screens.collection import CollectionScreen
from wa_review.tui.screens.dialogs import ConfirmDialog, HelpDialog, report_failed_worker
from wa_review.tui.screens.overview import OverviewScreen
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.screens.start import StartScreen
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.state import (
    Review,
    assess_evidence,
    open_review,
    with_evidence,
    with_preview,
)
from wa_review.tui.workflows import live_session_path, reviewer, watool_client
from wa_review.watool.payload import WaReason

WaToolFactory = Callable[[str], Any]  # region -> a `wellarchitected` client


class ReviewApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "wa-review"
    SUB_TITLE = "SEC2 security boundaries"
    # Textual annotates this as an instance variable, so it is not a ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"start": StartScreen}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q",
            "quit",
            "Quit",
            show=False,
            tooltip="Quit wa-review (the session is already saved)",
            id="quit",
        ),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("x", "summary('export')", "Export", show=False, id="app-export"),
        Binding("p", "summary('push')", "Push", show=False, id="app-push"),
    ]

    def __init__(
        self,
        *,
        evidence_path: Path | None = None,
        session_path: Path | None = None,
        aws_options: AwsOptions | None = None,
        session_factory: SessionFactory | None = None,
        stacks: tuple[str, ...] = (),
        tags: tuple[tuple[str, str], ...] = (),
        start_collection: bool = False,
        watool_factory: WaToolFactory | None = None,
        check_config: CheckConfig | None = None,
    ) -> None:
        super().__init__()
        self.check_config = check_config or CheckConfig()
        self.evidence_path, self.session_path = evidence_path, session_path
        self.aws_options = aws_options or AwsOptions()
        self.session_factory = session_factory
        self.stacks, self.tags = stacks, tags
        self.start_collection = start_collection
        self.watool_factory = watool_factory
        self.review: Review | None = None
        self.collecting = False
        self.review_changed: Signal[Review] = Signal(self, "review-changed")
        self.first_screen_ready = asyncio.Event()
        """Set once the first screen has its content (what "start to first screen" times)."""
        self._save_lock = threading.Lock()
        self._save_requested = 0
        self._save_written = 0
        self._opens = 0
        self.keymap: dict[str, str] = {}
        """The reviewer's own keys (binding id -> keys), from their keymap file."""
        self._preview: Preview | None = None
        self.questionnaire: Questionnaire | None = None
        """The question under review; None is the shipped SEC2 (tests pin a fixed one)."""

    def compose(self) -> ComposeResult:
        # A bare placeholder: a Header here could still be mounting when a fast failure
        # switches to the start screen.
        yield Static("Opening the review…", id="opening")

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.start_collection:  # decisions in an existing session are kept
            self.collect(self.aws_options, self.stacks, self.tags)
        elif self.evidence_path or (self.session_path and self.session_path.exists()):
            self._open(self.evidence_path, self.session_path)
        else:
            self.switch_mode("start")

    def screen_ready(self) -> None:
        """A screen has its content: called by each screen once it is filled."""
        self.first_screen_ready.set()

    def require_review(self) -> Review:
        if self.review is None:
            raise RuntimeError("no review is open")  # screens that need one are shown after it
        return self.review

    # -- opening and collecting ------------------------------------------------------------

    def open_files(
        self,
        *,
        evidence_path: Path | None = None,
        session_path: Path | None = None,
        previous_evidence: bool = True,
    ) -> None:
        self._open(evidence_path, session_path, previous_evidence)

    def _open(
        self, evidence_path: Path | None, session_path: Path | None, previous_evidence: bool = True
    ) -> None:
        # A thread worker cannot be stopped, so a superseded open still posts its review;
        # the generation lets the app drop it instead of replacing the newer one.
        self._opens += 1
        self._open_worker(evidence_path, session_path, previous_evidence, self._opens)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_worker(
        self,
        evidence_path: Path | None,
        session_path: Path | None,
        previous_evidence: bool,
        generation: int,
    ) -> None:
        review = open_review(
            evidence_path=evidence_path,
            session_path=session_path,
            questionnaire=self.questionnaire,
            previous_evidence=previous_evidence,
        )
        self.post_message(ReviewOpened(review, generation))

    def on_review_opened(self, message: ReviewOpened) -> None:
        if message.generation != self._opens:
            return
        review = message.review
        first = self.review is None or self.review.session_path != review.session_path
        if self.collecting:  # what the collection judged before the session was open
            review = with_preview(review, self._preview)
        self._set_review(review)
        if first:
            self._say_where(review.session_path)
        if first and not self.collecting:
            self._land(review)

    def _say_where(self, path: Path) -> None:
        """The header names the session file; one outside the working directory (beside an
        evidence file elsewhere) is said out loud as well."""
        shown = shown_path(path)
        self.sub_title = f"{self.SUB_TITLE} · {shown}"
        if shown.is_absolute():
            self.notify(session_file_text(path), title="Review session", markup=False)

    def collect(
        self, options: AwsOptions, stacks: tuple[str, ...], tags: tuple[tuple[str, str], ...]
    ) -> None:
        """Open the collection screen (a mode of its own, so it keeps running during the review)."""
        if self.collecting:
            self.switch_mode("collect")
            return
        if "collect" in self._modes:
            self.remove_mode("collect")
        self.aws_options, self.stacks, self.tags = options, stacks, tags
        session_path = (
            self.review.session_path
            if self.review is not None
            else self.session_path or live_session_path(Path.cwd())
        )
        self.add_mode("collect", lambda: CollectionScreen(options, stacks, tags, session_path))
        self.switch_mode("collect")

    def set_collecting(self, collecting: bool) -> None:
        self.collecting = collecting
        if self.review is not None:
            self.review_changed.publish(self.review)

    def preview_evidence(self, preview: Preview) -> None:
        """Show the checks that have answered while the collection goes on (not saved)."""
        self._preview = preview
        if self.review is not None:
            self._set_review(with_preview(self.review, preview))

    async def collection_stopped(self) -> None:
        """Cancelled or failed: back to the review if it has anything in it, else to the start.

        Awaited from the collection screen's handlers (it waits on the app's message queue).
        """
        if self.review is None:
            # A fast failure can beat the opening of the collection's session: land once it
            # is open (still collecting, so it does not navigate), or its ReviewOpened would
            # later replace this landing and hide the error shown over it.
            await self._session_opened()
        self.set_collecting(False)
        self._preview = None
        if self.review is not None:  # half an inventory would read as "nothing found"
            self._set_review(with_preview(self.review, None))
        review = self.review
        if review is not None and (
            review.evidence_file is not None
            or any(c.decision is not None for c in review.session.choices)
        ):
            self.show_overview()
        else:
            await self.switch_mode("start")

    async def _session_opened(self) -> None:
        """Wait until a session being opened is in `self.review` (or has failed to open)."""
        opening = [w for w in self.workers if w.group == "open" and w.is_running]
        if not opening:
            return
        with suppress(WorkerCancelled, WorkerFailed):  # a failed open reports itself
            await self.workers.wait_for_complete(opening)
        handled = asyncio.Event()
        if self.call_later(handled.set):  # runs after the ReviewOpened the worker posted
            await handled.wait()

    def attach_evidence(self, path: Path, evidence_file: EvidenceFile, session_path: Path) -> None:
        if self.review is None:  # the session could not be opened earlier: try again with it
            self._open(path, session_path)
        else:
            self._assess_evidence(self.review, path, evidence_file)

    @work(thread=True, exclusive=True, exit_on_error=False, group="attach")
    def _assess_evidence(self, review: Review, path: Path, evidence_file: EvidenceFile) -> None:
        self.post_message(EvidenceAssessed(assess_evidence(review, path, evidence_file)))

    def recollect(self) -> None:
        self.collect(self.aws_options, self.stacks, self.tags)

    def on_evidence_assessed(self, message: EvidenceAssessed) -> None:
        # Applied to the session as it is now: decisions made meanwhile are kept.
        self._preview = None
        self.update_session_review(with_evidence(self.require_review(), message.found))
        count = len(message.found.evidence_file.evidence)
        self.notify(f"Evidence collected: {count} results.", title="Collection finished")
        if self.current_mode != "review":
            self._land(self.require_review())

    # -- the session: every change is saved ------------------------------------------------

    def _set_review(self, review: Review) -> None:
        self.review = review
        self.review_changed.publish(review)

    def update_session_review(self, review: Review) -> None:
        self._set_review(review)
        self._save_requested += 1
        self._save(review.session, review.session_path, self._save_requested)

    def update_session(self, session: ReviewSession) -> None:
        self.update_session_review(self.require_review().with_session(session))

    @work(thread=True, exit_on_error=False, group="save")
    def _save(self, session: ReviewSession, path: Path, generation: int) -> None:
        with self._save_lock:
            if generation <= self._save_written:
                return  # this version, or a newer one, is already on disk
            save_session(session, path)
            self._save_written = generation

    def flush_saves(self) -> None:
        """Write the latest session now, on this thread (before the app exits: a save worker
        still running could be cut short)."""
        review = self.review
        with self._save_lock:
            if review is None or self._save_written >= self._save_requested:
                return
            save_session(review.session, review.session_path)
            self._save_written = self._save_requested

    def session_file(self) -> Path | None:
        """The session file, once it has been written (what `wa-review review` says on quit)."""
        path = self.review.session_path if self.review is not None else None
        return path if path is not None and path.exists() else None

    def decide(
        self,
        choice_id: str,
        decision: Decision,
        *,
        reason: WaReason | None = None,
        justification: str = "",
    ) -> None:
        """Record a decision; one that would clear the reviewer's own selection asks first."""
        review = self.require_review()
        cleared = cleared_by(review.session, choice_id, decision)
        if not cleared:
            self._decide(choice_id, decision, reason, justification)
            return
        title = review.questionnaire.choice(choice_id).title
        lines = [f"Selecting '{title}' clears what you selected by hand:"]
        for record in cleared:
            by = f" by {record.decided_by}" if record.decided_by else ""
            when = f" at {record.decided_at:%Y-%m-%d %H:%M} UTC" if record.decided_at else ""
            lines.append(
                f"- {review.questionnaire.choice(record.choice_id).title} "
                f"(selected{by}{when}): becomes Unselected"
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self._decide(choice_id, decision, reason, justification)
            else:
                self.notify("Nothing was changed.", markup=False)

        self.push_screen(
            ConfirmDialog(f"Select '{title}'?", lines, yes="Clear and select"), answered
        )

    def _decide(
        self, choice_id: str, decision: Decision, reason: WaReason | None, justification: str
    ) -> None:
        session = self.require_review().session
        self.update_session(
            decide(
                session,
                choice_id,
                decision,
                by=reviewer(),
                reason=reason,
                justification=justification,
            )
        )

    def accept_suggestion(self, choice_id: str) -> None:
        suggestion = self.require_review().assessment.get(choice_id)
        if suggestion.pending_checks:
            self.notify(
                f"Still collecting: {len(suggestion.pending_checks)} checks of this practice "
                "have not answered yet. Decide with s, u or n, or wait.",
                severity="warning",
            )
            return
        decision = decided_by_suggestion(suggestion.state)
        if decision is None:
            self.notify("No suggestion to accept: decide with s, u or n.", severity="warning")
            return
        self.decide(choice_id, decision, reason=suggested_reason(suggestion.state))

    def view_practice(self, choice_id: str) -> None:
        session = self.require_review().session
        if session.position != choice_id:
            self.update_session(with_position(session, choice_id))

    def watool_client(self, region: str) -> Any:
        """A `wellarchitected` client (called from the push worker)."""
        if self.watool_factory is not None:
            return self.watool_factory(region)
        return watool_client(region, self.aws_options, self.session_factory)

    # -- navigation ------------------------------------------------------------------------

    def _land(self, review: Review) -> None:
        """Enter the review where the reviewer left off (the overview if nowhere yet)."""
        if review.session.position is None:
            self.show_overview()
        else:
            self.show_practice(review.session.position)

    def show_overview(self) -> None:
        if "review" not in self._modes:
            self.add_mode("review", OverviewScreen)
        self.switch_mode("review")
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_practice(self, choice_id: str) -> None:
        self.show_overview()
        self.push_screen(PracticeScreen(choice_id))

    def show_summary(self, focus: str | None = None) -> None:
        """The summary; `focus` ("export" or "push") puts the cursor on that form."""
        if self.review is None:
            return
        self.show_overview()
        self.push_screen(SummaryScreen(focus=focus))

    def action_summary(self, focus: str) -> None:
        self.leave_then(lambda: self.show_summary(focus))

    def leave_then(self, go: Callable[[], None]) -> None:
        """Go elsewhere; notes typed on the practice on screen are saved first (any too long
        to keep ask before they are left behind)."""
        screen = self.screen
        if isinstance(screen, PracticeScreen):
            screen.leave(go)
        else:
            go()

    def action_help(self) -> None:
        path = self.review.session_path if self.review is not None else None
        self.push_screen(HelpDialog(key_help(self), session=session_file_text(path)))

    async def action_quit(self) -> None:
        """Quit once the notes being typed are saved; notes that cannot be saved ask first."""
        screen = self.screen
        lost = screen.notes_to_lose() if isinstance(screen, PracticeScreen) else []
        if not lost:
            self._quit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._quit()

        lines = [*lost, "Quit anyway? These notes would be lost; No goes back to them."]
        self.push_screen(ConfirmDialog("Quit without these notes?", lines, yes="Quit"), answered)

    def _quit(self) -> None:
        self.flush_saves()
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While text is typed, "?" types a question mark: the footer shows no Help then.
        return not (action == "help" and typing(self))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self)

    def ask_session(self) -> None:
        ask_path(self, "session")

    def ask_evidence(self) -> None:
        ask_path(self, "evidence")

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        failed = event.state is WorkerState.ERROR
        if failed and event.worker.group == "open" and self.review is None:
            # The start screen first, mounted, so the error shows over it.
            await self.switch_mode("start")
        report_failed_worker(self, event)


def make_app(
    *,
    evidence_path: Path | None = None,
    session_path: Path | None = None,
    aws_options: AwsOptions | None = None,
    session_factory: SessionFactory | None = None,
    start_collection: bool = False,
    stacks: tuple[str, ...] = (),
    tags: tuple[tuple[str, str], ...] = (),
    watool_factory: WaToolFactory | None = None,
    check_config: CheckConfig | None = None,
    keymap: dict[str, str] | None = None,
    questionnaire: Questionnaire | None = None,
) -> ReviewApp:
    """The one factory behind `wa-review review`, the demo and the tests."""
    app = ReviewApp(
        evidence_path=evidence_path,
        session_path=session_path,
        aws_options=aws_options,
        session_factory=session_factory,
        stacks=stacks,
        tags=tags,
        start_collection=start_collection,
        watool_factory=watool_factory,
        check_config=check_config,
    )
    app.keymap = dict(keymap or {})
    app.questionnaire = questionnaire
    return app
