"""What a push would change: the WA Tool's current answer against the review, choice by choice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wa_review.errors import WaToolError
from wa_review.watool.lens_match import QuestionMatch
from wa_review.watool.notes import CHOICE_BLOCK, QUESTION_BLOCK, merge_notes
from wa_review.watool.payload import (
    CHOICE_NOTES_MAX,
    QUESTION_NOTES_MAX,
    AnswerPayload,
    ChoiceStatus,
    WaReason,
)

_PREVIEW = 100


def _status(value: Any, where: str) -> ChoiceStatus:
    try:
        return ChoiceStatus(str(value))
    except ValueError as err:
        raise WaToolError(
            f"The WA Tool returned an unknown choice status {value!r} for {where}."
        ) from err


def _reason(value: Any) -> WaReason | None:
    try:
        return WaReason(str(value)) if value else None
    except ValueError:
        return WaReason.OTHER


@dataclass(frozen=True, slots=True)
class CurrentChoice:
    status: ChoiceStatus = ChoiceStatus.UNSELECTED
    reason: WaReason | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class CurrentAnswer:
    """A GetAnswer `Answer`, reduced to what we compare."""

    choices: Mapping[str, CurrentChoice]
    notes: str = ""
    is_applicable: bool = True
    reason: WaReason | None = None
    risk: str = "UNANSWERED"

    @classmethod
    def from_api(cls, answer: Mapping[str, Any]) -> CurrentAnswer:
        choices: dict[str, CurrentChoice] = {
            str(cid): CurrentChoice(ChoiceStatus.SELECTED)
            for cid in answer.get("SelectedChoices", [])
        }
        for row in answer.get("ChoiceAnswers", []):
            cid = str(row["ChoiceId"])
            status = _status(row.get("Status", "UNSELECTED"), cid)
            reason = _reason(row.get("Reason")) if status is ChoiceStatus.NOT_APPLICABLE else None
            choices[cid] = CurrentChoice(status, reason, str(row.get("Notes") or ""))
        applicable = bool(answer.get("IsApplicable", True))
        return cls(
            choices=choices,
            notes=str(answer.get("Notes") or ""),
            is_applicable=applicable,
            reason=None if applicable else _reason(answer.get("Reason")),
            risk=str(answer.get("Risk") or "UNANSWERED"),
        )

    def choice(self, choice_id: str) -> CurrentChoice:
        return self.choices.get(choice_id, CurrentChoice())


@dataclass(frozen=True, slots=True)
class ChoiceDiff:
    """One choice: the WA Tool's state (before) and what the push sends (after)."""

    choice_id: str  # as the live lens names it
    title: str
    review_choice_id: str  # "" when the review does not know the choice
    status_before: ChoiceStatus
    status_after: ChoiceStatus
    reason_before: WaReason | None
    reason_after: WaReason | None
    notes_before: str
    notes_after: str

    @property
    def status_changed(self) -> bool:
        return (
            self.status_before is not self.status_after or self.reason_before != self.reason_after
        )

    @property
    def notes_changed(self) -> bool:
        return self.notes_before != self.notes_after

    @property
    def changed(self) -> bool:
        return self.status_changed or self.notes_changed


@dataclass(frozen=True, slots=True)
class AnswerDiff:
    question_id: str
    question_title: str
    choices: tuple[ChoiceDiff, ...]
    notes_before: str
    notes_after: str
    applicable_before: bool
    applicable_after: bool
    reason_before: WaReason | None
    reason_after: WaReason | None
    notes_kept: str = ""  # text a person typed in the WA Tool, outside wa-review's block
    notes_ours_dropped: bool = False  # that text leaves no room for wa-review's
    none_ids: frozenset[str] = frozenset()  # the lens's "None of these" choice(s)
    applicability_decided: bool = True  # False: the review never changed it; the push keeps it

    @property
    def notes_changed(self) -> bool:
        return self.notes_before != self.notes_after

    @property
    def applicability_changed(self) -> bool:
        return (self.applicable_before, self.reason_before) != (
            self.applicable_after,
            self.reason_after,
        )

    @property
    def changed_choices(self) -> tuple[ChoiceDiff, ...]:
        return tuple(c for c in self.choices if c.changed)

    @property
    def changed(self) -> bool:
        return bool(self.changed_choices) or self.notes_changed or self.applicability_changed


def build_diff(current: CurrentAnswer, payload: AnswerPayload, match: QuestionMatch) -> AnswerDiff:
    """The answer the push would leave, keeping WA Tool notes the review does not replace."""
    reviewed = {c.choice_id: c for c in payload.choices}
    mapped = {m.live.choice_id: m for m in match.choices}
    none_ids = match.none_ids
    selected_none = any(
        m.live.choice_id in none_ids
        and reviewed[m.review_choice_id].status is ChoiceStatus.SELECTED
        for m in match.choices
    )
    diffs = []
    for live in match.live_choices:
        before = current.choice(live.choice_id)
        mapping = mapped.get(live.choice_id)
        if mapping is None:
            # A choice the review does not know: leave it, unless it would break "None of these".
            clash = before.status is ChoiceStatus.SELECTED and (
                selected_none or (live.choice_id in none_ids and payload.selected_choice_ids)
            )
            after = ChoiceStatus.UNSELECTED if clash else before.status
            if after is before.status:
                continue
            diffs.append(
                ChoiceDiff(
                    live.choice_id,
                    live.title,
                    "",
                    before.status,
                    after,
                    before.reason,
                    None,
                    before.notes,
                    before.notes,
                )
            )
            continue
        review = reviewed[mapping.review_choice_id]
        reason_after = None
        if review.status is ChoiceStatus.NOT_APPLICABLE:
            reason_after = review.reason or (
                before.reason if before.status is ChoiceStatus.NOT_APPLICABLE else None
            )
        diffs.append(
            ChoiceDiff(
                choice_id=live.choice_id,
                title=live.title,
                review_choice_id=review.choice_id,
                status_before=before.status,
                status_after=review.status,
                reason_before=before.reason,
                reason_after=reason_after,
                notes_before=before.notes,
                notes_after=merge_notes(
                    before.notes, review.notes, CHOICE_NOTES_MAX, CHOICE_BLOCK
                ).text,
            )
        )
    applicable_after, reason_after = current.is_applicable, current.reason
    if payload.applicability_decided:  # only a decision made in wa-review changes it
        applicable_after, reason_after = payload.is_applicable, None
        if not payload.is_applicable:
            reason_after = payload.reason or (None if current.is_applicable else current.reason)
    notes = merge_notes(current.notes, payload.notes, QUESTION_NOTES_MAX, QUESTION_BLOCK)
    return AnswerDiff(
        question_id=match.question_id,
        question_title=match.title,
        choices=tuple(diffs),
        notes_before=current.notes,
        notes_after=notes.text,
        applicable_before=current.is_applicable,
        applicable_after=applicable_after,
        reason_before=current.reason,
        reason_after=reason_after,
        notes_kept=notes.kept,
        notes_ours_dropped=notes.ours_dropped,
        none_ids=none_ids,
        applicability_decided=payload.applicability_decided,
    )


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _PREVIEW else line[: _PREVIEW - 1] + "…"


def _state(status: ChoiceStatus, reason: WaReason | None) -> str:
    return f"{status.value} ({reason.value})" if reason else status.value


def render_diff(diff: AnswerDiff) -> list[str]:
    """Plain lines for the CLI and the TUI: `~` marks what changes, `=` what stays."""
    lines = [f"Question {diff.question_id}: {diff.question_title}"]
    before = "applies" if diff.applicable_before else f"does not apply ({diff.reason_before})"
    if diff.applicability_changed:
        after = "applies" if diff.applicable_after else f"does not apply ({diff.reason_after})"
        lines.append(f"  ~ question: {before} -> {after}")
    elif not diff.applicability_decided:
        lines.append(f"  = question: {before} (kept: not changed in wa-review)")
    else:
        lines.append(f"  = question: {before} (unchanged)")
    for choice in diff.choices:
        mark = "~" if choice.changed else "="
        before = _state(choice.status_before, choice.reason_before)
        after = _state(choice.status_after, choice.reason_after)
        state = f"{before} -> {after}" if choice.status_changed else f"{after} (unchanged)"
        lines.append(f"  {mark} {choice.choice_id}  {choice.title}: {state}")
        if choice.notes_changed:
            lines.append(f"      notes - {_preview(choice.notes_before) or '(none)'}")
            lines.append(f"      notes + {_preview(choice.notes_after) or '(none)'}")
    if diff.notes_changed:
        lines.append(
            f"  ~ question notes: {len(diff.notes_before)} -> {len(diff.notes_after)} characters"
        )
        lines.append(f"      - {_preview(diff.notes_before) or '(none)'}")
        lines.append(f"      + {_preview(diff.notes_after) or '(none)'}")
    else:
        lines.append(f"  = question notes: unchanged ({len(diff.notes_after)} characters)")
    if diff.notes_ours_dropped:
        lines.append("  ! the notes typed in the WA Tool leave no room for wa-review's summary")
    if diff.notes_kept:
        lines.append(
            f"  = kept: {len(diff.notes_kept)} characters typed in the WA Tool outside "
            "wa-review's block"
        )
    return lines
