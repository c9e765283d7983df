"""The question's practices, one option each: level, suggestion, decision, evidence counts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wa_review.diffing.previous import SinceLastReview
from wa_review.diffing.previous import summary as since_summary
from wa_review.model.choice import DECISION_TEXT, SUGGESTION_TEXT
from wa_review.model.evidence import Status
from wa_review.review.outcome import ChoiceOutcome
from wa_review.review.session import Decision

COUNTED = (
    (Status.PASS, "pass", "green"),
    (Status.FAIL, "fail", "red"),
    (Status.WARN, "warn", "yellow"),
    (Status.UNKNOWN, "unknown", "magenta"),
)
DECISION_STYLE = {
    Decision.SELECTED: "bold green",
    Decision.UNSELECTED: "bold red",
    Decision.NOT_APPLICABLE: "bold",
}


def decision_text(item: ChoiceOutcome) -> Text:
    """ "Selected (you)", "Not selected (suggested)", "Undecided": who decided is always shown."""
    if item.status is None:
        return Text("Undecided", style="bold yellow")
    text = Text(DECISION_TEXT[item.status], style=DECISION_STYLE[item.status])
    if item.status is Decision.NOT_APPLICABLE and item.record.reason is not None:
        text.append(f" ({item.record.reason.value.replace('_', ' ').lower()})")
    text.append(" (you)" if item.from_reviewer else " (suggested)", style="dim")
    return text


def counts_text(item: ChoiceOutcome) -> Text:
    counts = item.suggestion.counts
    out = Text()
    for status, label, style in COUNTED:
        if out.plain:
            out.append(" ")
        out.append(f"{counts.get(status, 0)} {label}", style=style if counts.get(status) else "dim")
    return out


def practice_prompt(number: int, item: ChoiceOutcome, since: SinceLastReview | None = None) -> Text:
    """Two lines: the practice and its level; the decision (who made it) and the evidence."""
    choice = item.choice
    out = Text()
    out.append(f"{number}. {choice.title}", style="bold")
    if choice.level is not None:
        out.append(f"  {choice.level.value}", style="italic dim")
    out.append("\n   ")
    out.append_text(decision_text(item))
    if item.suggestion.pending_checks:
        out.append(" · still collecting", style="italic")
    elif item.from_reviewer:  # undecided means "needs the reviewer": nothing to add then
        suggested = SUGGESTION_TEXT[item.suggestion.state].lower()
        out.append(f" · suggested: {suggested}", style="dim")
    if not choice.is_none_of_these:
        out.append(" · ")
        out.append_text(counts_text(item))
        changed = since_summary(since, choice.id) if since and since.diff else ""
        if changed:
            out.append(f" · since last review: {changed}", style="bold")
    return out


class PracticeList(OptionList):
    """Enter (or a click) on a practice opens it; option ids are choice ids."""

    def show_outcomes(
        self, items: Sequence[ChoiceOutcome], *, since: SinceLastReview | None = None
    ) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            Option(practice_prompt(n, item, since), id=item.choice.id)
            for n, item in enumerate(items, start=1)
        )
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
