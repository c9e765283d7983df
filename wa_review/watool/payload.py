"""The answer we send to the WA Tool for one question: the interchange between review and push."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wa_review.model.choice import ChoiceState

# Limits from the WA Tool API (botocore does not enforce them; the service does).
CHOICE_NOTES_MAX = 250
QUESTION_NOTES_MAX = 2084


# Notes quote AWS text (resource names, summaries). The WA Tool shows them and exports them in
# reports, so terminal controls (ESC, CSI), other C0/C1 controls and the bidi overrides that
# reorder what a reader sees are dropped; newlines stay, tabs become spaces.
_UNSAFE_IN_NOTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable_notes(value: object) -> object:
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNSAFE_IN_NOTES.sub("", text)


ChoiceStatus = ChoiceState  # the WA Tool's name for a choice's state


class WaReason(StrEnum):
    """Reasons the WA Tool accepts for a choice or question that does not apply."""

    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    BUSINESS_PRIORITIES = "BUSINESS_PRIORITIES"
    ARCHITECTURE_CONSTRAINTS = "ARCHITECTURE_CONSTRAINTS"
    OTHER = "OTHER"
    NONE = "NONE"


class ChoiceAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    choice_id: str = Field(min_length=1, max_length=64)
    title: str
    status: ChoiceStatus
    reason: WaReason | None = None
    notes: str = Field(default="", max_length=CHOICE_NOTES_MAX)

    _printable = field_validator("notes", mode="before")(printable_notes)


class AnswerPayload(BaseModel):
    """Everything `push` needs for one question; built from a review session."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lens_alias: str = "serverless"
    pillar_id: str = "security"
    question_id: str = "sec_q2"
    question_title: str
    choices: list[ChoiceAnswer]
    notes: str = Field(default="", max_length=QUESTION_NOTES_MAX)
    is_applicable: bool = True
    reason: WaReason | None = None

    _printable = field_validator("notes", mode="before")(printable_notes)

    @model_validator(mode="after")
    def _none_of_these_is_exclusive(self) -> AnswerPayload:
        selected = [c.choice_id for c in self.choices if c.status is ChoiceStatus.SELECTED]
        none_ids = [c for c in selected if c.endswith("_no")]
        if none_ids and len(selected) > 1:
            raise ValueError(
                f"'{none_ids[0]}' (None of these) cannot be selected together with {selected}"
            )
        return self

    @property
    def selected_choice_ids(self) -> list[str]:
        return [c.choice_id for c in self.choices if c.status is ChoiceStatus.SELECTED]

    def to_interchange(self) -> dict[str, object]:
        """The WA Tool interchange: the UpdateAnswer shapes, keyed as the API names them."""
        updates: dict[str, dict[str, str]] = {}
        for choice in self.choices:
            update = {"Status": choice.status.value, "Notes": choice.notes}
            if choice.reason is not None:
                update["Reason"] = choice.reason.value
            updates[choice.choice_id] = update
        data: dict[str, object] = {
            "LensAlias": self.lens_alias,
            "PillarId": self.pillar_id,
            "QuestionId": self.question_id,
            "QuestionTitle": self.question_title,
            "Choices": [{"ChoiceId": c.choice_id, "Title": c.title} for c in self.choices],
            "SelectedChoices": self.selected_choice_ids,
            "ChoiceUpdates": updates,
            "Notes": self.notes,
            "IsApplicable": self.is_applicable,
        }
        if self.reason is not None:
            data["Reason"] = self.reason.value
        return data

    @classmethod
    def from_interchange(cls, data: dict[str, object]) -> AnswerPayload:
        """Inverse of `to_interchange`; pydantic errors name the bad field."""
        raw_choices = data.get("Choices") or []
        titles = {
            str(c["ChoiceId"]): str(c.get("Title", ""))
            for c in (raw_choices if isinstance(raw_choices, list) else [])
            if isinstance(c, dict) and "ChoiceId" in c
        }
        updates = data.get("ChoiceUpdates") or {}
        if not isinstance(updates, dict):
            raise ValueError("ChoiceUpdates must be an object keyed by choice id")
        choices = [
            ChoiceAnswer(
                choice_id=choice_id,
                title=titles.get(choice_id, ""),
                status=ChoiceStatus(update.get("Status", "UNSELECTED")),
                reason=WaReason(update["Reason"]) if update.get("Reason") else None,
                notes=str(update.get("Notes", "")),
            )
            for choice_id, update in updates.items()
        ]
        reason = data.get("Reason")
        return cls(
            lens_alias=str(data.get("LensAlias", "serverless")),
            pillar_id=str(data.get("PillarId", "security")),
            question_id=str(data.get("QuestionId", "sec_q2")),
            question_title=str(data.get("QuestionTitle", "")),
            choices=choices,
            notes=str(data.get("Notes", "")),
            is_applicable=bool(data.get("IsApplicable", True)),
            reason=WaReason(str(reason)) if reason else None,
        )


QUESTION_NOTES_MARKER = "\n[… cut by wa-review]"
CHOICE_NOTES_MARKER = " […]"


def fit_notes(text: str, limit: int, *, marker: str = QUESTION_NOTES_MARKER) -> str:
    """`text` if it fits in `limit` characters, else cut cleanly (line, then word) plus `marker`."""
    if len(text) <= limit:
        return text
    room = max(limit - len(marker), 0)
    cut = text[:room]
    for separator in ("\n", " "):
        at = cut.rfind(separator)
        if at >= room * 0.8:  # a clean break near the end, not one that throws half away
            cut = cut[:at]
            break
    return (cut.rstrip() + marker)[:limit]
