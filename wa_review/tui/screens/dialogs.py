"""Modal dialogs: an error with its hint, a confirmation, a reason, a path, and the key help."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from wa_review.errors import WaReviewError
from wa_review.tui.safe import literal
from wa_review.watool.payload import WaReason

T = TypeVar("T")

REASONS = [
    ("Out of scope", WaReason.OUT_OF_SCOPE),
    ("Business priorities", WaReason.BUSINESS_PRIORITIES),
    ("Architecture constraints", WaReason.ARCHITECTURE_CONSTRAINTS),
    ("Other", WaReason.OTHER),
    ("No reason given", WaReason.NONE),
]


class Dialog(ModalScreen[T]):
    """A centred box; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel")
    ]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    Dialog .title { text-style: bold; width: 1fr; margin-bottom: 1; }
    Dialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    Dialog .buttons Button { margin-left: 1; }
    Dialog VerticalScroll { height: auto; max-height: 20; }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)


class ErrorDialog(Dialog[None]):
    """What failed, and the hint saying what to do next."""

    DEFAULT_CSS = "ErrorDialog > Vertical { border: thick $error; }"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__()
        self.message, self.hint = message, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Something went wrong", style="bold"), classes="title")
            with VerticalScroll():
                yield Static(literal(self.message, multiline=True), id="error-message")
                if self.hint:
                    yield Static(literal(f"Hint: {self.hint}", multiline=True), id="error-hint")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


def show_error(app: App[Any], error: BaseException) -> None:
    """Push an ErrorDialog for `error` (a WaReviewError brings its own hint)."""
    if isinstance(error, WaReviewError):
        app.push_screen(ErrorDialog(error.message, error.hint))
    else:
        app.push_screen(
            ErrorDialog(
                f"{type(error).__name__}: {error}",
                "This looks like a bug in wa-review; the session is saved after every decision.",
            )
        )


def report_failed_worker(app: App[Any], event: Worker.StateChanged) -> None:
    """The one place worker failures become dialogs (Worker.StateChanged does not bubble)."""
    if event.state is WorkerState.ERROR and event.worker.error is not None:
        show_error(app, event.worker.error)


class ConfirmDialog(Dialog[bool]):
    """Lines shown literally (they may hold AWS text), then Yes / No."""

    def __init__(self, title: str, lines: Sequence[str], *, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text, self.lines, self.yes = title, lines, yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"), classes="title")
            with VerticalScroll():
                yield Static(literal("\n".join(self.lines), multiline=True), id="confirm-body")
            with Horizontal(classes="buttons"):
                yield Button("No", id="no")
                yield Button(self.yes, variant="warning", id="yes")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class ReasonDialog(Dialog[WaReason | None]):
    """Why a practice does not apply (the reasons the WA Tool accepts)."""

    def __init__(self, practice: str, current: WaReason | None = None) -> None:
        super().__init__()
        self.practice, self.current = practice, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Not applicable: {self.practice}", style="bold"), classes="title")
            yield Select[WaReason](
                REASONS,
                value=self.current or WaReason.OUT_OF_SCOPE,
                allow_blank=False,
                id="reason",
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Mark not applicable", variant="primary", id="apply")

    def on_mount(self) -> None:
        self.query_one("#reason", Select).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        value = self.query_one("#reason", Select).value
        self.dismiss(value if isinstance(value, WaReason) else WaReason.NONE)


class PathDialog(Dialog[str | None]):
    """Ask for a file path (or any one-line value)."""

    def __init__(self, title: str, value: str = "", *, placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"), classes="title")
            yield Input(self.value, placeholder=self.placeholder, id="path")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Open", variant="primary", id="open")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        self.dismiss(value or None)


class HelpDialog(Dialog[None]):
    """Every key the current screen answers to."""

    def __init__(self, keys: Iterable[tuple[str, str]], *, session: str = "") -> None:
        super().__init__()
        self.keys = list(keys)
        self.session = session
        """Where the review is saved (said in the help as well as on open and on quit)."""

    def compose(self) -> ComposeResult:
        body = Text(end="")
        for key, description in self.keys:
            body.append(f"{key:>12}  ", style="bold")
            body.append(f"{description}\n")
        body.append("\nctrl+p opens the command palette: jump to a practice, re-collect, ")
        body.append("export, push, open a session.")
        if self.session:
            body.append("\n\n")
            body.append_text(literal(self.session, multiline=True))
        with Vertical():
            yield Label(Text("Keys", style="bold"), classes="title")
            with VerticalScroll():
                yield Static(body, id="help-body")
            with Horizontal(classes="buttons"):
                yield Button("Close", variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
