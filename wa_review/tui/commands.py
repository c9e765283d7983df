"""The command palette's review commands, the key help, asking for a file to open, and where
the session file is (said on open, in the help and on quit)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.widgets import Input, TextArea

from wa_review.tui.screens.dialogs import PathDialog

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp


def palette_commands(app: ReviewApp) -> Iterator[SystemCommand]:
    yield SystemCommand("Open session…", "Resume a saved review (YAML)", app.ask_session)
    yield SystemCommand("Open evidence file…", "Review an evidence file (JSON)", app.ask_evidence)
    yield SystemCommand("Re-collect evidence", "Collect from AWS again", app.recollect)
    if app.review is None:
        return
    # Each one leaves the screen on view: notes being typed there are saved first.
    yield SystemCommand(
        "Overview", "The question and its practices", lambda: app.leave_then(app.show_overview)
    )
    for number, choice in enumerate(app.review.choices, start=1):
        yield SystemCommand(
            f"Practice {number}: {choice.title}",
            "Jump to this practice",
            lambda choice_id=choice.id: app.leave_then(lambda: app.show_practice(choice_id)),
        )
    yield SystemCommand(
        "Summary", "Risk, decisions, what is still open", lambda: app.leave_then(app.show_summary)
    )
    yield SystemCommand(
        "Export report", "Markdown, HTML, JSON or custom lens", lambda: app.action_summary("export")
    )
    yield SystemCommand(
        "Push to the WA Tool", "Workload, diff, confirm", lambda: app.action_summary("push")
    )


def key_help(app: ReviewApp) -> list[tuple[str, str]]:
    """The keys of the current screen, then the app's (ours only, not every widget's)."""
    ours = [*getattr(app.screen, "BINDINGS", []), *app.BINDINGS]
    # Keys the screen's widgets answer (enter, arrows) come first; a key is listed once.
    found = [*getattr(app.screen, "HELP_KEYS", [])]
    found += [
        (_keys(app, b), b.tooltip or b.description)
        for b in ours
        if isinstance(b, Binding) and b.description
    ]
    listed: dict[str, str] = {}
    for key, text in found:
        listed.setdefault(key, text)
    return list(listed.items())


def _keys(app: ReviewApp, binding: Binding) -> str:
    """The keys as the reviewer's keymap set them, else as the binding shows them."""
    mapped = app.keymap.get(binding.id or "")
    if mapped is None:
        return binding.key_display or binding.key
    return ",".join(app.get_key_display(Binding(key, "")) for key in mapped.split(","))


def shown_path(path: Path) -> Path:
    """A path as the reviewer reads it best: relative under the working directory, else whole."""
    where = path.resolve()
    with suppress(ValueError):
        where = where.relative_to(Path.cwd().resolve())
    return where


def session_file_text(path: Path | None) -> str:
    """Where the review is saved, as the app says it on open and in the help."""
    if path is None:
        return "No review session yet: it is created when there is something to save."
    if path.exists():
        return f"Saved after every change in {shown_path(path)}"
    return f"Will be saved in {shown_path(path)} from the first change."


def typing(app: ReviewApp) -> bool:
    """A text box has the focus: printable keys type text there instead of acting."""
    return isinstance(app.focused, TextArea | Input)


def ask_path(app: ReviewApp, kind: str) -> None:
    """Ask for a session (YAML) or evidence (JSON) file, then open it."""

    def chosen(value: str | None) -> None:
        if not value:
            return
        if kind == "session":
            app.open_files(session_path=Path(value))
        else:
            app.open_files(evidence_path=Path(value))

    title = (
        "Resume a review session (YAML)" if kind == "session" else "Open an evidence file (JSON)"
    )
    app.push_screen(
        PathDialog(title, placeholder="review.yaml" if kind == "session" else "evidence.json"),
        chosen,
    )
