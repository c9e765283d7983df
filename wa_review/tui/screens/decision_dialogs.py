"""Dialogs for decisions with reasons: why a choice goes against the evidence, and a finding
accepted as an exception (reason, owner, optional expiry)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from wa_review.review.session import JUSTIFICATION_MAX
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import Dialog


class JustifyDialog(Dialog[str | None]):
    """A decision against the evidence needs a short reason: reports mark it as an override."""

    def __init__(self, title: str, lines: Sequence[str], current: str = "") -> None:
        super().__init__()
        self.title_text, self.lines, self.current = title, lines, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"), classes="title")
            for line in self.lines:
                yield Static(literal(line))
            yield Input(
                self.current,
                placeholder="why (required): reports and the WA Tool notes show it",
                max_length=JUSTIFICATION_MAX,
                id="justification",
            )
            yield Static("", id="justify-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Decide", variant="primary", id="apply")

    def on_mount(self) -> None:
        self.query_one("#justification", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        text = self.query_one("#justification", Input).value.strip()
        if not text:
            self.query_one("#justify-error", Static).update(
                Text("Say why in a few words, or press Cancel.", style="bold red")
            )
            return
        self.dismiss(text)


@dataclass(frozen=True, slots=True)
class ExceptionAnswer:
    reason: str
    owner: str
    expires: date | None


class ExceptionDialog(Dialog[ExceptionAnswer | None]):
    """Accept one failing finding: it stops counting against its practice until it expires."""

    def __init__(self, finding: str, owner: str = "") -> None:
        super().__init__()
        self.finding, self.owner = finding, owner

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Accept this finding as an exception", style="bold"), classes="title")
            yield Static(literal(self.finding))
            yield Input(
                placeholder="reason (required)",
                max_length=JUSTIFICATION_MAX,
                id="exception-reason",
            )
            yield Input(self.owner, placeholder="owner (required)", max_length=255, id="owner")
            yield Input(placeholder="expires YYYY-MM-DD (optional)", id="expires")
            yield Static("", id="exception-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Accept", variant="primary", id="apply")

    def on_mount(self) -> None:
        self.query_one("#exception-reason", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _error(self, text: str) -> None:
        self.query_one("#exception-error", Static).update(Text(text, style="bold red"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        reason = self.query_one("#exception-reason", Input).value.strip()
        owner = self.query_one("#owner", Input).value.strip()
        expires_text = self.query_one("#expires", Input).value.strip()
        if not reason or not owner:
            self._error("A reason and an owner are both needed.")
            return
        expires = None
        if expires_text:
            try:
                expires = date.fromisoformat(expires_text)
            except ValueError:
                self._error(f"'{expires_text}' is not a date: use YYYY-MM-DD, or leave it empty.")
                return
        self.dismiss(ExceptionAnswer(reason, owner, expires))
