"""The question overview: SEC2, its four practices (and "None of these") and the risk they give."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from wa_review.diffing.previous import summary as since_summary
from wa_review.model.questionnaire import Risk
from wa_review.review.session import with_applicability
from wa_review.tui.safe import literal
from wa_review.tui.screens.dialogs import ReasonDialog
from wa_review.tui.state import Review
from wa_review.tui.widgets.fix_first import fix_first_text
from wa_review.tui.widgets.practice_list import PracticeList
from wa_review.tui.workflows import reviewer
from wa_review.watool.payload import WaReason

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp

RISK_STYLE = {Risk.HIGH: "bold red", Risk.MEDIUM: "bold yellow", Risk.NONE: "bold green"}


def risk_text(review: Review) -> Text:
    view = review.risk
    out = Text()
    out.append("Risk: ", style="bold")
    out.append(view.shown.value.replace("_", " "), style=RISK_STYLE.get(view.shown, "bold"))
    if view.from_wa_tool:
        out.append(f"  (from the WA Tool, lens {view.lens_version or '?'}", style="dim")
        out.append(f"; our estimate: {view.estimate.value})", style="dim")
    else:
        out.append("  (estimated by wa-review from the decisions so far)", style="dim")
    return out


def source_text(review: Review, collecting: bool) -> Text:
    evidence = review.evidence_file
    if evidence is None:
        preview = review.preview
        if collecting and preview is not None:
            return Text(
                f"Collecting evidence… {len(preview.evidence)} results so far; "
                f"{len(preview.pending)} checks wait for services still being read. "
                "Practices whose checks have all answered show their suggestion already.",
                style="italic",
            )
        if collecting:
            return Text("Collecting evidence… the review can begin meanwhile.", style="italic")
        return Text("No evidence yet: decisions rest on the reviewer alone.", style="italic")
    out = Text()
    out.append("Evidence: ", style="bold")
    out.append_text(literal(review.evidence_path.name if review.evidence_path else "-"))
    out.append(f" · {len(evidence.evidence)} results · collected ")
    out.append_text(literal(evidence.collected_at))
    out.append(" · accounts ")
    out.append_text(literal(", ".join(evidence.accounts) or "-"))
    out.append(" · regions ")
    out.append_text(literal(", ".join(evidence.regions) or "-"))
    if evidence.errors:
        out.append(f" · {len(evidence.errors)} collection errors", style="bold red")
    if collecting:
        out.append(" · collecting again…", style="italic")
    if review.since is not None:
        out.append("\nSince last review ", style="bold")
        out.append_text(
            literal(f"({review.since.previous.collected_at or review.since.previous.path}): ")
        )
        out.append_text(literal(since_summary(review.since) or "no change in findings"))
    return out


class OverviewScreen(Screen[None]):
    """Where the review starts and comes back to; enter opens a practice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m", "summary", "Summary", tooltip="Risk, decisions, export and push", id="summary"
        ),
        Binding(
            "n",
            "question_not_applicable",
            "N/A question",
            tooltip="Mark the whole question not applicable, with a reason (again: applicable)",
            id="question-n-a",
        ),
    ]

    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("enter", "Open the highlighted practice"),
        ("↑ ↓", "Move between the practices"),
    ]

    app: ReviewApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="overview-body"):
            yield Static(id="question-title")
            yield Static(id="question-description")
            yield Static(id="fix-first")
            yield PracticeList(id="practices")
            yield Static(id="risk")
            yield Static(id="evidence-source")
            yield Static(id="risk-basis")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.review_changed.subscribe(self, self.show_review)
        self.query_one(PracticeList).focus(scroll_visible=False)
        if self.app.review is not None:
            self.show_review(self.app.review)

    def show_review(self, review: Review) -> None:
        questionnaire = review.questionnaire
        self.query_one("#question-title", Static).update(
            Text(f"{questionnaire.short_name.upper()}: {questionnaire.title}", style="bold")
        )
        self.query_one("#question-description", Static).update(Text(questionnaire.description))
        self.query_one("#evidence-source", Static).update(source_text(review, self.app.collecting))
        self.query_one("#fix-first", Static).update(fix_first_text(review, shown=3))
        self.query_one(PracticeList).show_outcomes(review.outcomes, since=review.since)
        self.query_one("#risk", Static).update(risk_text(review))
        self.query_one("#risk-basis", Static).update(
            Text(questionnaire.risk_basis.strip(), style="dim italic")
        )
        self.app.screen_ready()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.app.show_practice(event.option_id)

    def action_summary(self) -> None:
        self.app.show_summary()

    def action_question_not_applicable(self) -> None:
        session = self.app.require_review().session
        if not session.is_applicable:
            self.app.update_session(with_applicability(session, True, by=reviewer()))
            self.notify("The question applies again.", markup=False)
            return

        def chosen(reason: WaReason | None) -> None:
            if reason is not None:
                current = self.app.require_review().session
                self.app.update_session(
                    with_applicability(current, False, by=reviewer(), reason=reason)
                )

        title = self.app.require_review().questionnaire.short_name.upper()
        self.app.push_screen(ReasonDialog(f"the whole question {title}"), chosen)
