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
    # AWS's titles for the choice (current and older wordings), for matching by title.
    aws_titles: list[str] = Field(default_factory=list)

    _printable = field_validator("notes", mode="before")(printable_notes)

    @property
    def is_none_of_these(self) -> bool:
        titles = (self.title, *self.aws_titles)
        return self.choice_id.endswith("_no") or any(
            " ".join(t.split()).casefold() == "none of these" for t in titles
        )


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
    # False: the reviewer never changed whether the question applies; the push keeps the WA
    # Tool's own IsApplicable (a "not applicable" set in the console stays).
    applicability_decided: bool = True
    # The titles AWS gives the question (current and older wordings), for matching the live
    # lens when its ids change; question_title may be our own wording.
    aws_titles: list[str] = Field(default_factory=list)

    _printable = field_validator("notes", mode="before")(printable_notes)

    @model_validator(mode="after")
    def _none_of_these_is_exclusive(self) -> AnswerPayload:
        chosen = [c for c in self.choices if c.status is ChoiceStatus.SELECTED]
        none_ids = [c.choice_id for c in chosen if c.is_none_of_these]
        selected = [c.choice_id for c in chosen]
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
            **({"AwsQuestionTitles": list(self.aws_titles)} if self.aws_titles else {}),
            "Choices": [
                {"ChoiceId": c.choice_id, "Title": c.title}
                | ({"AwsTitles": list(c.aws_titles)} if c.aws_titles else {})
                for c in self.choices
            ],
            "SelectedChoices": self.selected_choice_ids,
            "ChoiceUpdates": updates,
            "Notes": self.notes,
            "IsApplicable": self.is_applicable,
            # False: the reviewer never changed IsApplicable, so a push keeps the WA Tool's.
            "ApplicabilityDecided": self.applicability_decided,
        }
        if self.reason is not None:
            data["Reason"] = self.reason.value
        return data

    @classmethod
    def from_interchange(cls, data: dict[str, object]) -> AnswerPayload:
        """Inverse of `to_interchange`; pydantic errors name the bad field. `AwsQuestionTitles`
        and per-choice `AwsTitles` (AWS's wordings) help the title match; without
        `ApplicabilityDecided`, a file that states IsApplicable decides it."""
        raw_choices = data.get("Choices") or []
        listed = [
            c
            for c in (raw_choices if isinstance(raw_choices, list) else [])
            if isinstance(c, dict) and "ChoiceId" in c
        ]
        titles = {str(c["ChoiceId"]): str(c.get("Title", "")) for c in listed}
        aws_titles = {str(c["ChoiceId"]): [str(t) for t in c.get("AwsTitles", [])] for c in listed}
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
                aws_titles=aws_titles.get(choice_id, []),
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
            applicability_decided=bool(data.get("ApplicabilityDecided", "IsApplicable" in data)),
            aws_titles=_strings(data.get("AwsQuestionTitles")),
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


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []
