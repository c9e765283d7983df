"""A WA question as data: choices, guidance, the checks behind each choice and the risk rules."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

QUESTIONNAIRE_SCHEMA_VERSION = 1

# ImportLens refuses anything else in lens, pillar, question and choice titles and descriptions
# (observed, not documented: see docs/questionnaire.md). Keeping our own text inside this set
# means the custom-lens export can never be refused for a character we wrote.
_LENS_TEXT = re.compile(r"^[A-Za-z0-9 \n\-_.,:/()@!&#+'?\u2019]*$")
_ID = re.compile(r"^[A-Za-z0-9_]+$")


def lens_text_problem(text: str) -> str | None:
    """Why `text` would be refused by ImportLens in a title or description, or None."""
    if _LENS_TEXT.match(text):
        return None
    bad = sorted({ch for ch in text if not _LENS_TEXT.match(ch)})
    shown = " ".join(repr(ch) for ch in bad[:8])
    return f"characters the WA Tool refuses in titles and descriptions: {shown}"


def _lens_text(text: str) -> str:
    problem = lens_text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _identifier(text: str) -> str:
    if not _ID.match(text):
        raise ValueError("use only letters, digits and '_'")
    return text


def _url(text: str) -> str:
    if not text.startswith(("https://", "http://")):
        raise ValueError("a link must start with https:// or http://")
    return text


LensText = Annotated[str, AfterValidator(_lens_text)]
Identifier = Annotated[str, AfterValidator(_identifier)]
Url = Annotated[str, Field(max_length=1024), AfterValidator(_url)]


class Level(StrEnum):
    """How the Serverless Lens ranks a practice (not an API field; from AWS's published checklists)."""

    REQUIRED = "required"
    GOOD = "good"
    BEST = "best"


class Risk(StrEnum):
    """The WA Tool's risk values for an answered (or unanswered) question."""

    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    NONE = "NONE"
    UNANSWERED = "UNANSWERED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class SuggestRule(StrEnum):
    """How evidence becomes a suggestion for one choice (see wa_review.assessment)."""

    EVIDENCE = "evidence"  # fail -> unselected, unknown -> reviewer, pass -> selected, else N/A
    NONE_OF_THESE = "none_of_these"  # follows the other choices' suggestions
    MANUAL = "manual"  # no automated evidence: always left to the reviewer


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Link(_Strict):
    title: str = Field(min_length=1, max_length=64)
    url: Url


class Guidance(_Strict):
    """Markdown we wrote ourselves; rendered in the TUI and the reports."""

    good: str = Field(min_length=1)
    verify: str = Field(min_length=1)
    mistakes: str = Field(min_length=1)
    links: list[Link] = Field(min_length=1, max_length=5)


class SuggestionConfig(_Strict):
    """The `suggestion:` block of a choice (the result of assessing is assessment.Suggestion)."""

    rule: SuggestRule = SuggestRule.EVIDENCE
    # Said when every check found nothing in scope (the evidence summaries follow it).
    not_applicable_reason: str = ""


class Choice(_Strict):
    id: Annotated[Identifier, Field(min_length=3, max_length=64)]
    title: Annotated[LensText, Field(min_length=1, max_length=128)]
    # AWS's own titles for this choice, current and older wordings: the push matches the live
    # lens by them when an id changes (our `title` may be our own wording). Never displayed.
    aws_titles: list[Annotated[str, Field(min_length=1, max_length=512)]] = Field(
        default_factory=list
    )
    description: Annotated[LensText, Field(max_length=1024)] = ""
    level: Level | None = None
    guidance: Guidance | None = None
    improvement_plan: str = Field(default="", max_length=1024)
    checks: list[str] = Field(default_factory=list)
    suggestion: SuggestionConfig = SuggestionConfig()

    @property
    def is_none_of_these(self) -> bool:
        titles = (self.title, *self.aws_titles)
        return self.id.endswith("_no") or any(
            " ".join(t.split()).casefold() == "none of these" for t in titles
        )


class RiskRule(_Strict):
    condition: str = Field(min_length=1, max_length=1000)
    risk: Literal[Risk.HIGH, Risk.MEDIUM, Risk.NONE]


class Questionnaire(_Strict):
    """One WA question: ids match the WA Tool's, text is in our own words."""

    schema_version: Literal[1]
    lens_alias: Annotated[str, Field(min_length=1, max_length=128)]
    lens_name: Annotated[LensText, Field(min_length=1, max_length=128)]
    pillar_id: Annotated[Identifier, Field(min_length=3, max_length=64)]
    pillar_name: Annotated[LensText, Field(min_length=1, max_length=128)]
    question_id: Annotated[Identifier, Field(min_length=3, max_length=128)]
    short_name: Annotated[Identifier, Field(min_length=1, max_length=32)]
    title: Annotated[LensText, Field(min_length=1, max_length=128)]
    # AWS's titles for the question (current and older wordings), for the push's title match.
    aws_titles: list[Annotated[str, Field(min_length=1, max_length=512)]] = Field(
        default_factory=list
    )
    description: Annotated[LensText, Field(min_length=1, max_length=1024)]
    helpful_resource: Link
    choices: list[Choice] = Field(min_length=2, max_length=15)
    risk_rules: list[RiskRule] = Field(min_length=1, max_length=3)
    # Where the risk rules come from; shown next to every risk we compute.
    risk_basis: str = Field(min_length=1)

    def choice(self, choice_id: str) -> Choice:
        for item in self.choices:
            if item.id == choice_id:
                return item
        raise KeyError(choice_id)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    @property
    def none_choice(self) -> Choice | None:
        return next((c for c in self.choices if c.is_none_of_these), None)

    @property
    def check_ids(self) -> frozenset[str]:
        return frozenset(check for c in self.choices for check in c.checks)
