"""Status and service pickers and a name search above the evidence table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from wa_review.model.evidence import Severity, Status
from wa_review.review.findings import SEVERITY_ORDER
from wa_review.tui.safe import clean

STATUS_CHOICES = [(s.value.replace("_", " "), s) for s in Status]
SEVERITY_CHOICES = [(s.value, s) for s in SEVERITY_ORDER]


class EvidenceFilterBar(Horizontal):
    """Posts `Changed` whenever the reviewer narrows or widens the evidence shown."""

    DEFAULT_CSS = """
    EvidenceFilterBar { height: 1; }
    EvidenceFilterBar Select { width: 18; margin-right: 1; }
    EvidenceFilterBar #severity-filter { width: 16; }
    EvidenceFilterBar #service-filter { width: 20; }
    EvidenceFilterBar Input { width: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "Back to the evidence", show=False, id="filter-done"),
    ]

    class Done(Message):
        """The reviewer is done filtering (escape): focus goes back to the table."""

    @dataclass
    class Changed(Message):
        status: Status | None
        service: str | None
        search: str
        severity: Severity | None = None

    def __init__(self, services: Iterable[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._services = sorted(set(services))

    def compose(self) -> ComposeResult:
        yield Select[Status](STATUS_CHOICES, prompt="any status", compact=True, id="status-filter")
        yield Select[Severity](
            SEVERITY_CHOICES, prompt="any severity", compact=True, id="severity-filter"
        )
        yield Select[str](
            [(clean(s), s) for s in self._services],
            prompt="any service",
            compact=True,
            id="service-filter",
        )
        yield Input(placeholder="/ search names, summaries, checks", compact=True, id="search")

    def set_services(self, services: Iterable[str]) -> None:
        """New evidence may bring new services to pick from."""
        found = sorted(set(services))
        if found != self._services:
            self._services = found
            self.query_one("#service-filter", Select).set_options((clean(s), s) for s in found)

    def clear(self) -> None:
        """Every filter off and the search emptied: all the evidence shows again."""
        for select in self.query(Select):
            select.clear()
        self.query_one("#search", Input).value = ""

    def focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def focus_filters(self) -> None:
        self.query_one("#status-filter", Select).focus()

    def action_done(self) -> None:
        self.post_message(self.Done())

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self, event: Select.Changed | Input.Changed) -> None:
        event.stop()
        status = self.query_one("#status-filter", Select).value
        service = self.query_one("#service-filter", Select).value
        severity = self.query_one("#severity-filter", Select).value
        self.post_message(
            self.Changed(
                status if isinstance(status, Status) else None,
                service if isinstance(service, str) else None,
                self.query_one("#search", Input).value,
                severity if isinstance(severity, Severity) else None,
            )
        )
