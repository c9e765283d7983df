"""One practice: guidance, the evidence behind the suggestion, the decision and its notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static, TabbedContent, TabPane, Tabs

from wa_review.assessment import finding_key
from wa_review.model.choice import SUGGESTION_TEXT
from wa_review.model.evidence import Evidence, Status
from wa_review.model.questionnaire import Choice
from wa_review.review.findings import display_name, what_would_change
from wa_review.review.outcome import ChoiceOutcome, goes_against
from wa_review.review.session import (
    AcceptedFinding,
    Decision,
    accept_finding,
    annotate,
    with_question_notes,
    withdraw_finding,
)
from wa_review.tui.commands import typing
from wa_review.tui.safe import literal
from wa_review.tui.screens.decision_dialogs import ExceptionAnswer, ExceptionDialog, JustifyDialog
from wa_review.tui.screens.dialogs import ConfirmDialog, ReasonDialog
from wa_review.tui.state import Review
from wa_review.tui.widgets.detail_pane import DetailPane
from wa_review.tui.widgets.evidence_filter_bar import EvidenceFilterBar
from wa_review.tui.widgets.evidence_rows import SortKey, describe_filter, service_of
from wa_review.tui.widgets.evidence_table import EvidenceTable
from wa_review.tui.widgets.notes_editor import NotesEditor, count_text
from wa_review.tui.widgets.practice_list import decision_text
from wa_review.tui.workflows import reviewer
from wa_review.watool.payload import CHOICE_NOTES_MAX, QUESTION_NOTES_MAX, WaReason

if TYPE_CHECKING:
    from wa_review.tui.app import ReviewApp

SORT_CYCLE = list(SortKey)
TAB_FOCUS = {
    "evidence": "#evidence-table",
    "guidance": "#guidance-scroll",
    "notes": "#choice-notes TextArea",
}


def guidance_markdown(choice: Choice) -> str:
    """Our own guidance text (trusted Markdown), never anything from AWS."""
    parts = [f"# {choice.title}", choice.description]
    if choice.guidance is not None:
        parts += [
            "## What good looks like",
            choice.guidance.good,
            "## How to verify",
            choice.guidance.verify,
            "## Common mistakes",
            choice.guidance.mistakes,
        ]
        if choice.improvement_plan:
            parts += ["## Improvement plan", choice.improvement_plan]
        parts += [
            "## Read more",
            *(f"- [{link.title}]({link.url})" for link in choice.guidance.links),
        ]
    elif choice.is_none_of_these:
        parts.append("Select this only when none of the practices above is in place.")
    return "\n\n".join(p.strip() for p in parts if p.strip())


def decision_line(item: ChoiceOutcome) -> Text:
    out = Text()
    out.append("Suggestion: ", style="bold")
    if item.suggestion.pending_checks:
        out.append("none yet (still collecting)", style="italic")
    else:
        out.append(SUGGESTION_TEXT[item.suggestion.state])
    out.append("   Decision: ", style="bold")
    out.append_text(decision_text(item))
    if item.is_override:
        out.append("  override: ", style="bold yellow")
        out.append_text(literal(item.record.justification or "(no reason given)"))
    for reason in item.suggestion.reasons[:2]:
        out.append("\n• ")
        out.append_text(literal(reason))
    out.append("\nWhat would change it: ", style="bold")
    out.append_text(literal(what_would_change(item.suggestion)))
    return out


class PracticeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept", tooltip="Accept the suggestion", id="accept"),
        Binding("s", "decide('SELECTED')", "Select", id="select"),
        Binding("u", "decide('UNSELECTED')", "Unselect", id="unselect"),
        Binding("n", "not_applicable", "N/A", tooltip="Not applicable, with a reason", id="n-a"),
        Binding(
            "A",
            "exception",
            "Exception",
            show=False,
            tooltip="Accept the highlighted failing finding as an exception (again: withdraw it)",
            id="exception",
        ),
        Binding("e", "notes", "Notes", id="notes"),
        Binding("right_square_bracket", "step(1)", "Next", key_display="]", id="next"),
        Binding(
            "left_square_bracket", "step(-1)", "Previous", key_display="[", show=False, id="prev"
        ),
        Binding("f", "filter", "Filter", show=False, id="filter"),
        Binding("slash", "search", "Search", key_display="/", id="search"),
        Binding("o", "sort", "Sort", show=False, id="sort"),
        Binding("g", "show_tab('guidance')", "Guidance", show=False, id="guidance"),
        Binding("v", "show_tab('evidence')", "Evidence", show=False, id="evidence"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="clear-filters"),
        Binding("m", "summary", "Summary", show=False, id="summary"),
        Binding("escape", "back", "Back", show=False, id="back"),
    ]
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓", "Move between the findings (the detail follows)"),
        ("tab", "Next: filters, search, table, detail"),
    ]

    app: ReviewApp

    def __init__(self, choice_id: str) -> None:
        super().__init__()
        self.choice_id = choice_id
        self._evidence: tuple[Evidence, ...] | None = None

    def compose(self) -> ComposeResult:
        review = self.app.require_review()
        item = review.outcome(self.choice_id)
        number = review.questionnaire.choice_ids.index(self.choice_id) + 1
        head = Text()
        head.append(f"{number}/{len(review.choices)}  {item.choice.title}", style="bold")
        if item.choice.level is not None:
            head.append(f"  [{item.choice.level.value}]", style="italic")
        yield Header()
        with Vertical(id="practice-head"):
            yield Static(head, id="practice-title")
            yield Static(id="decision")
        with TabbedContent(initial="evidence", id="practice-tabs"):
            with TabPane("Evidence", id="evidence"):
                yield EvidenceFilterBar(map(service_of, item.suggestion.evidence), id="filters")
                with Container(id="evidence-body"):
                    yield EvidenceTable(id="evidence-table")
                    yield DetailPane(id="detail")
            with TabPane("Guidance", id="guidance"), VerticalScroll(id="guidance-scroll"):
                yield Markdown(guidance_markdown(item.choice), id="guidance-text")
            with TabPane("Notes", id="notes"), VerticalScroll():
                yield NotesEditor(
                    "Notes on this practice (sent to the WA Tool with the choice)",
                    item.record.notes,
                    limit=CHOICE_NOTES_MAX,
                    id="choice-notes",
                )
                yield NotesEditor(
                    "Notes on the whole question",
                    review.session.notes,
                    limit=QUESTION_NOTES_MAX,
                    id="question-notes",
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.review_changed.subscribe(self, self.show_review)
        self.show_review(self.app.require_review())
        self.app.view_practice(self.choice_id)
        self.query_one(EvidenceTable).focus()

    def show_review(self, review: Review) -> None:
        item = review.outcome(self.choice_id)
        self.query_one("#decision", Static).update(decision_line(item))
        if item.suggestion.evidence is not self._evidence:
            self._evidence = item.suggestion.evidence
            self.query_one(EvidenceFilterBar).set_services(map(service_of, self._evidence))
            badge = review.since.badge if review.since else None
            self.query_one(EvidenceTable).show_evidence(self._evidence, badge=badge)

    # -- evidence --------------------------------------------------------------------------

    @on(EvidenceFilterBar.Changed)
    def _filter(self, event: EvidenceFilterBar.Changed) -> None:
        table = self.query_one(EvidenceTable)
        table.apply_filter(
            replace(
                table.spec,
                status=event.status,
                service=event.service,
                search=event.search,
                severity=event.severity,
            )
        )

    @on(EvidenceFilterBar.Done)
    def _filter_done(self) -> None:
        self.query_one(EvidenceTable).focus()

    @on(EvidenceTable.EvidenceHighlighted)
    def _highlighted(self, event: EvidenceTable.EvidenceHighlighted) -> None:
        spec = self.query_one(EvidenceTable).spec
        self.query_one(DetailPane).show(event.evidence, filters=describe_filter(spec))

    @on(EvidenceTable.Filtered)
    def _filtered(self, event: EvidenceTable.Filtered) -> None:
        self.query_one(TabbedContent).get_tab(
            "evidence"
        ).label = f"Evidence {event.shown}/{event.total}"
        self.app.screen_ready()

    def action_filter(self) -> None:
        self.action_show_tab("evidence")
        self.query_one(EvidenceFilterBar).focus_filters()

    def action_search(self) -> None:
        self.action_show_tab("evidence")
        self.query_one(EvidenceFilterBar).focus_search()

    def action_sort(self) -> None:
        table = self.query_one(EvidenceTable)
        table.sort_by(SORT_CYCLE[(SORT_CYCLE.index(table.spec.sort) + 1) % len(SORT_CYCLE)])

    def action_show_tab(self, tab: str) -> None:
        # Focus moves with the tab: a focused widget left in a hidden pane would pull its
        # pane back into view.
        self.query_one(TabbedContent).active = tab
        self.query_one(TAB_FOCUS[tab]).focus()

    # -- decisions -------------------------------------------------------------------------

    def action_accept(self) -> None:
        self.app.accept_suggestion(self.choice_id)

    def action_decide(self, decision: str) -> None:
        chosen = Decision(decision)
        item = self.app.require_review().outcome(self.choice_id)
        if not goes_against(item.suggestion, chosen):
            self.app.decide(self.choice_id, chosen)
            return

        def justified(text: str | None) -> None:
            if text:
                self.app.decide(self.choice_id, chosen, justification=text)

        verb = "Select" if chosen is Decision.SELECTED else "Unselect"
        lines = [
            f"The evidence suggests: {SUGGESTION_TEXT[item.suggestion.state]}.",
            *item.suggestion.reasons[:1],
            what_would_change(item.suggestion),
        ]
        self.app.push_screen(
            JustifyDialog(f"{verb} against the evidence? Say why.", lines), justified
        )

    def action_exception(self) -> None:
        evidence = self.query_one(EvidenceTable).evidence_at_cursor()
        if evidence is None or evidence.status is not Status.FAIL:
            self.notify("Highlight a failing finding to accept it as an exception.")
            return
        session = self.app.require_review().session
        key = finding_key(evidence)
        if any(e.key == key for e in session.exceptions):
            self.app.update_session(withdraw_finding(session, key))
            self.notify("Exception withdrawn: the finding counts again.", markup=False)
            return

        def accepted(answer: ExceptionAnswer | None) -> None:
            if answer is None:
                return
            finding = AcceptedFinding(
                check_id=evidence.check_id,
                resource_arn=evidence.resource_arn,
                region=evidence.region,
                account=evidence.account,
                reason=answer.reason,
                owner=answer.owner,
                expires=answer.expires,
                accepted_by=reviewer(),
            )
            current = self.app.require_review().session
            self.app.update_session(accept_finding(current, finding))
            self.notify("Accepted: the suggestion no longer counts this finding.", markup=False)

        label = f"{display_name(evidence)} · {evidence.check_id}: {evidence.summary}"
        self.app.push_screen(ExceptionDialog(label, owner=reviewer()), accepted)

    def action_not_applicable(self) -> None:
        item = self.app.require_review().outcome(self.choice_id)
        if item.choice.is_none_of_these:
            self.notify("'None of these' cannot be not applicable.", severity="warning")
            return

        def chosen(reason: WaReason | None) -> None:
            if reason is not None:
                self.app.decide(self.choice_id, Decision.NOT_APPLICABLE, reason=reason)

        self.app.push_screen(ReasonDialog(item.choice.title, item.record.reason), chosen)

    def action_notes(self) -> None:
        self.action_show_tab("notes")

    @on(NotesEditor.Committed)
    def _notes_committed(self, event: NotesEditor.Committed) -> None:
        self._save_notes(event.editor, event.text)

    def _save_notes(self, editor: NotesEditor, text: str) -> None:
        session = self.app.require_review().session
        if editor.id == "choice-notes":
            self.app.update_session(annotate(session, self.choice_id, text))
        else:
            self.app.update_session(with_question_notes(session, text))

    @on(NotesEditor.Left)
    def _notes_left(self) -> None:
        # Out of the editor, still on the practice: the next Escape goes back.
        self.query_one(TabbedContent).query_one(Tabs).focus()

    def _commit_notes(self) -> None:
        """Save typed notes now (before leaving: a message would reach a screen that is gone)."""
        for editor in self.query(NotesEditor):
            text = editor.take_change()
            if text is not None:
                self._save_notes(editor, text)

    def notes_to_lose(self) -> list[str]:
        """Save what can be saved; describe the notes that could not be (too long to keep)."""
        self._commit_notes()
        return [
            f"{editor.heading}: {count_text(len(editor.text), editor.limit)}"
            for editor in self.query(NotesEditor)
            if editor.unsaved
        ]

    def leave(self, go: Callable[[], None]) -> None:
        """Go elsewhere once typed notes are saved; notes too long to keep ask first."""
        lost = self.notes_to_lose()
        if not lost:
            go()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                go()

        lines = [*lost, "Leave anyway? These notes would be lost; No goes back to them."]
        self.app.push_screen(
            ConfirmDialog("Leave without these notes?", lines, yes="Leave"), answered
        )

    def on_unmount(self) -> None:
        self._commit_notes()  # left through the command palette

    def action_step(self, delta: int) -> None:
        ids = self.app.require_review().questionnaire.choice_ids
        target = ids[(ids.index(self.choice_id) + delta) % len(ids)]
        self.leave(lambda: self.app.show_practice(target))

    def action_back(self) -> None:
        self.leave(self.app.show_overview)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While notes or a search are typed, letters type text: the footer shows only what
        # works there (Escape, handled by the editor or the filter bar, leaves the box).
        return action == "back" or not typing(self.app)

    def action_summary(self) -> None:
        self.leave(self.app.show_summary)

    def action_clear_filters(self) -> None:
        self.query_one(EvidenceFilterBar).clear()
