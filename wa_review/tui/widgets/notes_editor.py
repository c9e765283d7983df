"""A notes editor with a live counter against a WA Tool limit (250 per choice, 2,084 per question).

Text over the WA Tool's limit is saved all the same (the reviewer's words are never dropped);
the counter says so, and a push refuses it until it is trimmed (wa_review.review.notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, TextArea

from wa_review.review.session import SESSION_NOTES_MAX

SETTLE_SECONDS = 0.6  # save after typing pauses, not on every key


def count_text(used: int, limit: int) -> str:
    """The counter under an editor: how much of the WA Tool's limit is used, and what then."""
    if used > SESSION_NOTES_MAX:
        return (
            f"{used:,} / {limit:,}: {used - SESSION_NOTES_MAX:,} over the {SESSION_NOTES_MAX:,} "
            "a session keeps; not saved"
        )
    if used > limit:
        return (
            f"{used:,} / {limit:,}: {used - limit:,} over the WA Tool limit; kept in the session, "
            "trim before pushing"
        )
    return f"{used:,} / {limit:,}"


class NotesEditor(Vertical):
    """Posts `Committed` once typing settles (or focus leaves); Escape leaves the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Done", tooltip="Leave the notes (they are saved)"),
    ]
    DEFAULT_CSS = """
    NotesEditor { height: auto; }
    NotesEditor > Label { width: 1fr; }
    NotesEditor > TextArea { height: 6; }
    NotesEditor .counter { text-align: right; color: $text-muted; }
    NotesEditor .counter.-over { color: $error; text-style: bold; }
    """

    @dataclass
    class Committed(Message):
        editor: NotesEditor
        text: str

    @dataclass
    class Left(Message):
        """Escape in the editor: the practice moves focus out of it (and stays)."""

        editor: NotesEditor

    def __init__(self, title: str, text: str, *, limit: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = title
        self.limit = limit
        self._saved = text
        self._initial = text
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(Text(self.heading, style="bold"))
        yield TextArea(self._initial, soft_wrap=True, show_line_numbers=False, id="notes-text")
        yield Label(count_text(len(self._initial), self.limit), classes="counter")

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def over_limit(self) -> bool:
        """Longer than the WA Tool takes (still saved)."""
        return len(self.text) > self.limit

    @property
    def unsaved(self) -> bool:
        """Text that could not be saved (longer than a session keeps): leaving would lose it."""
        return self.text != self._saved

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        counter = self.query_one(".counter", Label)
        counter.update(count_text(len(self.text), self.limit))
        counter.set_class(self.over_limit, "-over")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SETTLE_SECONDS, self.commit)

    def on_descendant_blur(self) -> None:
        self.commit()

    def take_change(self) -> str | None:
        """The text if it changed since last taken and a session can hold it; it is then taken."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.text
        if text == self._saved or len(text) > SESSION_NOTES_MAX:
            return None
        self._saved = text
        return text

    def commit(self) -> None:
        """Post `Committed` if there is a change to save; safe to call at any time."""
        text = self.take_change()
        if text is not None:
            self.post_message(self.Committed(self, text))

    def action_leave(self) -> None:
        self.commit()
        self.post_message(self.Left(self))
