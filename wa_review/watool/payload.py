"""The answer we send to the WA Tool for one question: the interchange between review and push."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Limits from the WA Tool API (botocore does not enforce them; the service does).
CHOICE_NOTES_MAX = 250
QUESTION_NOTES_MAX = 2084


class ChoiceStatus(StrEnum):
    SELECTED = "SELECTED"
    UNSELECTED = "UNSELECTED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


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
