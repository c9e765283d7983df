"""A notes editor with a live counter against a WA Tool limit (250 per choice, 2,084 per question)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, TextArea

SETTLE_SECONDS = 0.6  # save after typing pauses, not on every key


class NotesEditor(Vertical):
    """Posts `Committed` once typing settles (or focus leaves) and the text fits the limit."""

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
        yield Label(self._count_text(self._initial), classes="counter")

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def over_limit(self) -> bool:
        return len(self.text) > self.limit

    def _count_text(self, text: str) -> str:
        used = len(text)
        if used > self.limit:
            return f"{used} / {self.limit}: {used - self.limit} over the WA Tool limit, not saved"
        return f"{used} / {self.limit}"

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        counter = self.query_one(".counter", Label)
        counter.update(self._count_text(self.text))
        counter.set_class(self.over_limit, "-over")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SETTLE_SECONDS, self.commit)

    def on_descendant_blur(self) -> None:
        self.commit()

    def take_change(self) -> str | None:
        """The text if it changed since last taken and fits the limit; it is then taken."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.text
        if text == self._saved or self.over_limit:
            return None
        self._saved = text
        return text

    def commit(self) -> None:
        """Post `Committed` if there is a change to save; safe to call at any time."""
        text = self.take_change()
        if text is not None:
            self.post_message(self.Committed(self, text))
