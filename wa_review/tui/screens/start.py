"""The start: who the credentials are, which regions and scope; or open a session or a file."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static
from textual.worker import Worker

from wa_review.aws.scope import parse_tag
from wa_review.errors import WaReviewError
from wa_review.tui.messages import IdentityFailed, IdentityResolved
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import report_failed_worker, show_error
from wa_review.tui.workflows import aws_context

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in value.replace(",", " ").split()) if part)


def parse_tags(value: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_tag(item) for item in split_list(value))


class StartScreen(Screen[None]):
    AUTO_FOCUS = "#collect"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "collect", "Collect", tooltip="Collect evidence from AWS", id="collect"),
        Binding("o", "open_evidence", "Open evidence", id="open-evidence"),
        Binding("r", "open_session", "Resume session", id="open-session"),
    ]

    app: ReviewApp

    def compose(self) -> ComposeResult:
        options = self.app.aws_options
        yield Header()
        with VerticalScroll(id="start-body"):
            yield Static(
                Text(
                    "Evidence-backed review of SEC2: serverless security boundaries", style="bold"
                ),
                id="start-title",
            )
            yield Static(Text("Checking your AWS credentials…", style="italic"), id="identity")
            with Horizontal(classes="buttons"):
                yield Button("Collect evidence", variant="primary", id="collect")
                yield Button("Open evidence file…", id="open-evidence")
                yield Button("Resume a session…", id="open-session")
            yield Static(Text("What to collect", style="bold"), id="scope-title")
            for label, value, placeholder, field in (
                ("Regions", " ".join(options.regions), "the profile's region", "regions"),
                ("Stacks", " ".join(self.app.stacks), "every resource", "stacks"),
                ("Tags", " ".join(f"{k}={v}" for k, v in self.app.tags), "KEY=VALUE", "tags"),
            ):
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield Input(value, placeholder=placeholder, compact=True, id=field)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._identify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="identity")
    def _identify(self) -> None:
        ctx = aws_context(self.app.aws_options, self.app.session_factory)
        try:
            accounts = ctx.accounts()
            regions = ctx.regions()
        except WaReviewError as err:
            self.post_message(IdentityFailed(err))
            return
        self.post_message(IdentityResolved(accounts, regions))

    def on_identity_resolved(self, message: IdentityResolved) -> None:
        out = Text()
        for account in message.accounts:
            out.append("Account ", style="bold")
            out.append_text(literal(account.account))
            out.append(" as ")
            out.append_text(literal(account.principal_arn))
            out.append("\n")
        out.append("Regions: ", style="bold")
        out.append_text(literal(", ".join(message.regions)))
        self.query_one("#identity", Static).update(out)
        regions = self.query_one("#regions", Input)
        if not regions.value:
            regions.value = " ".join(message.regions)
        self.app.screen_ready()

    def on_identity_failed(self, message: IdentityFailed) -> None:
        error = message.error
        out = Text()
        out.append_text(literal(error.message, style="bold red", multiline=True))
        if error.hint:
            out.append("\n")
            out.append_text(literal(error.hint, multiline=True))
        if "wa-review demo" not in error.hint:
            out.append("\nNo AWS account at hand? 'wa-review demo' reviews a sample one.")
        out.append("\nYou can still open an evidence file or resume a saved session.")
        self.query_one("#identity", Static).update(out)
        self.app.screen_ready()

    @on(Button.Pressed, "#collect")
    def action_collect(self) -> None:
        try:
            tags = parse_tags(self.query_one("#tags", Input).value)
        except WaReviewError as err:
            show_error(self.app, err)
            return
        regions = split_list(self.query_one("#regions", Input).value)
        stacks = split_list(self.query_one("#stacks", Input).value)
        self.app.collect(replace(self.app.aws_options, regions=regions), stacks, tags)

    @on(Button.Pressed, "#open-evidence")
    def action_open_evidence(self) -> None:
        self.app.ask_evidence()

    @on(Button.Pressed, "#open-session")
    def action_open_session(self) -> None:
        self.app.ask_session()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event)
