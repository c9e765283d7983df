"""The reviewer's notes against the WA Tool's limits: the session keeps them whole, a push
refuses to cut them (it names each note and shows exactly what would be cut)."""

from __future__ import annotations

from dataclasses import dataclass

from wa_review.errors import UsageError
from wa_review.model.questionnaire import Questionnaire
from wa_review.review.session import ReviewSession
from wa_review.watool.payload import CHOICE_NOTES_MAX, QUESTION_NOTES_MAX

CUT_SHOWN = 120  # characters of a cut shown in a message (the rest is summarised)


@dataclass(frozen=True, slots=True)
class NotesOverLimit:
    """One note longer than the WA Tool takes."""

    choice_id: str | None
    """None: the notes on the whole question."""
    text: str
    limit: int

    @property
    def over(self) -> int:
        return len(self.text) - self.limit

    @property
    def cut(self) -> str:
        """What the WA Tool could not take: everything after the first `limit` characters."""
        return self.text[self.limit :]

    def describe(self, questionnaire: Questionnaire | None = None) -> str:
        if self.choice_id is None:
            where = "Notes on the question"
        else:
            title = self.choice_id
            if questionnaire is not None and self.choice_id in questionnaire.choice_ids:
                title = f"{questionnaire.choice(self.choice_id).title} ({self.choice_id})"
            where = f"Notes on {title}"
        cut = self.cut
        shown = cut if len(cut) <= CUT_SHOWN else f"{cut[:CUT_SHOWN]}… (+{len(cut) - CUT_SHOWN})"
        return (
            f"{where}: {len(self.text)} characters, {self.over} over the WA Tool's "
            f"{self.limit}; would cut: {shown!r}"
        )


def notes_over_limit(session: ReviewSession) -> tuple[NotesOverLimit, ...]:
    """Every note of `session` the WA Tool would not take whole (choices first)."""
    found = [
        NotesOverLimit(c.choice_id, c.notes, CHOICE_NOTES_MAX)
        for c in session.choices
        if len(c.notes) > CHOICE_NOTES_MAX
    ]
    if len(session.notes) > QUESTION_NOTES_MAX:
        found.append(NotesOverLimit(None, session.notes, QUESTION_NOTES_MAX))
    return tuple(found)


def refuse_notes_over_limit(
    session: ReviewSession, questionnaire: Questionnaire | None = None
) -> None:
    """Stop a push before it reads or writes anything when a note would have to be cut."""
    over = notes_over_limit(session)
    if not over:
        return
    lines = "\n".join(f"- {item.describe(questionnaire)}" for item in over)
    raise UsageError(
        f"Not pushed: {len(over)} note(s) are longer than the WA Tool takes, and a push never "
        f"cuts the reviewer's words.\n{lines}",
        hint="Shorten them in the review ('e' on the practice; the counter shows the limit), "
        "then push again. Nothing was written.",
    )
