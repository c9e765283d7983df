"""Lens data for the WA Tool emulator: the Serverless Lens security questions, made configurable.

The ids and titles are AWS's as its Serverless Lens page for SEC 2 (wa.aws.amazon.com) and
ListAnswers dumps of the official lens show them, typographic apostrophes included, so the push's
title match is tested against what AWS returns. The practice levels (Required/Good/Best, from
AWS's Serverless Lens checklists) drive the emulator's risk rule. The real service does not
publish its rule, so the emulator's is a documented stand-in, not a claim about AWS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

SERVERLESS = "serverless"
WELLARCHITECTED = "wellarchitected"
CURRENT = "CURRENT"
SEC2_ID = "sec_q2"
SEC2_TITLE = "How do you manage your Serverless application’s security boundaries?"


class Level(StrEnum):
    """How much a practice weighs in the emulator's risk rule."""

    REQUIRED = "REQUIRED"
    GOOD = "GOOD"
    BEST = "BEST"
    NONE_OF_THESE = "NONE_OF_THESE"


@dataclass(frozen=True, slots=True)
class LensChoice:
    choice_id: str
    title: str
    level: Level
    description: str = ""

    @property
    def is_none_of_these(self) -> bool:
        return self.level is Level.NONE_OF_THESE


@dataclass(frozen=True, slots=True)
class LensQuestion:
    question_id: str
    pillar_id: str
    title: str
    choices: tuple[LensChoice, ...]
    description: str = ""

    def choice(self, choice_id: str) -> LensChoice | None:
        return next((c for c in self.choices if c.choice_id == choice_id), None)


@dataclass(frozen=True, slots=True)
class Lens:
    alias: str
    name: str
    version: str
    questions: tuple[LensQuestion, ...]
    status: str = "CURRENT"
    pillar_names: Mapping[str, str] = field(default_factory=dict)

    def arn(self, region: str = "us-east-1") -> str:
        """An AWS lens's ARN as AWS's API reference writes it (no account)."""
        return f"arn:aws:wellarchitected:{region}::lens/{self.alias}"

    @property
    def pillar_ids(self) -> list[str]:
        return list(dict.fromkeys(q.pillar_id for q in self.questions))

    def question(self, question_id: str) -> LensQuestion | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def _choices(
    prefix: str,
    rows: Iterable[tuple[str, str, Level]],
    descriptions: Mapping[str, str] | None = None,
) -> tuple[LensChoice, ...]:
    descriptions = descriptions or {}
    built = [
        LensChoice(f"{prefix}_{suffix}", title, level, descriptions.get(suffix, ""))
        for suffix, title, level in rows
    ]
    built.append(LensChoice(f"{prefix}_no", "None of these", Level.NONE_OF_THESE))
    return tuple(built)


R, G, B = Level.REQUIRED, Level.GOOD, Level.BEST

SEC1 = LensQuestion(
    "sec_q1",
    "security",
    "How do you control access to your Serverless API?",
    _choices(
        "sec_sec_q1",
        [
            ("a3", "Use appropriate endpoint type and mechanisms to secure access to your API", R),
            ("a1", "Use authentication and authorization mechanisms", G),
            ("a2", "Scope access based on identity’s metadata", B),
        ],
    ),
)
SEC2 = LensQuestion(
    SEC2_ID,
    "security",
    SEC2_TITLE,
    _choices(
        "sec_sec_q2",
        [
            ("a1", "Evaluate and define resource policies", R),
            ("a4", "Use temporary credentials between resources and components", R),
            ("a2", "Control network traffic at all layers", G),
            ("a3", "Design smaller, single purpose functions", B),
        ],
        {
            "a1": "Resource policies can restrict inbound access to managed services.",
            "a4": "Credentials and permissions policies should not be shared between resources.",
            "a2": "Apply controls for controlling both ingress and egress traffic.",
            "a3": "Smaller, single purpose functions keep permissions least privileged.",
        },
    ),
    "Defining and securing your Serverless application’s boundaries ensures isolation for, "
    "within, and between components.",
)
SEC3 = LensQuestion(
    "sec_q3",
    "security",
    "How do you implement application Security in your workload?",
    _choices(
        "sec_sec_q3",
        [
            ("a1", "Review security awareness documents frequently", R),
            ("a4", "Store secrets that are used in your code securely", R),
            (
                "a2",
                "Implement runtime protection to help prevent against malicious code execution",
                G,
            ),
            ("a3", "Automatically review workload’s code dependencies/libraries", B),
            ("a5", "Validate inbound events", B),
        ],
    ),
)


def filler_question(number: int, *, pillar_id: str = "security") -> LensQuestion:
    """A made-up question that only exists to make ListAnswers page."""
    question_id = f"sec_fill_{number:03d}"
    return LensQuestion(
        question_id,
        pillar_id,
        f"Emulated filler question {number}",
        _choices(question_id, [("a1", f"Emulated practice {number}", R)]),
    )


def serverless_lens(
    *,
    sec2_id: str = SEC2_ID,
    sec2_title: str = SEC2_TITLE,
    choice_ids: Mapping[str, str] | None = None,
    choice_titles: Mapping[str, str] | None = None,
    filler_questions: int = 0,
    version: str = "2020-02-04",
    status: str = "CURRENT",
) -> Lens:
    """The Serverless Lens as the emulator serves it.

    Args:
        sec2_id: the id SEC2 has in this lens version (drift: another id).
        sec2_title: its title (drift: reworded).
        choice_ids: default SEC2 choice id -> the id this lens version uses.
        choice_titles: default SEC2 choice id -> the title this lens version uses.
        filler_questions: extra security questions placed between sec_q1 and SEC2, so that
            50 or more of them push SEC2 onto the second ListAnswers page.
        version: the LensVersion GetLensReview reports.
        status: the LensStatus GetLensReview reports (CURRENT, NOT_CURRENT, ...).
    """
    choice_ids = choice_ids or {}
    choice_titles = choice_titles or {}
    sec2_choices = tuple(
        replace(
            c,
            choice_id=choice_ids.get(c.choice_id, c.choice_id),
            title=choice_titles.get(c.choice_id, c.title),
        )
        for c in SEC2.choices
    )
    sec2 = replace(SEC2, question_id=sec2_id, title=sec2_title, choices=sec2_choices)
    fillers = tuple(filler_question(n) for n in range(1, filler_questions + 1))
    return Lens(
        alias=SERVERLESS,
        name="Serverless Lens",
        version=version,
        questions=(SEC1, *fillers, sec2, SEC3),
        status=status,
        pillar_names={"security": "Security"},
    )


def wellarchitected_lens() -> Lens:
    """A one-question stand-in for the Framework lens, which every workload carries."""
    question = LensQuestion(
        "securely-operate",
        "security",
        "How do you securely operate your workload?",
        (
            LensChoice(
                "sec_securely_operate_multi_accounts", "Separate workloads using accounts", R
            ),
            LensChoice("sec_securely_operate_no", "None of these", Level.NONE_OF_THESE),
        ),
    )
    return Lens(
        alias=WELLARCHITECTED,
        name="AWS Well-Architected Framework",
        version="2024-06-27",
        questions=(question,),
        pillar_names={"security": "Security"},
    )


def upgraded_lens(lens: Lens) -> Lens:
    """The version UpgradeLensReview moves a review to when a test names none: the same
    questions, CURRENT, one day newer (lens versions are dates; anything else gets a suffix)."""
    try:
        version = (date.fromisoformat(lens.version) + timedelta(days=1)).isoformat()
    except ValueError:
        version = f"{lens.version}-upgraded"
    return replace(lens, version=version, status=CURRENT)


def default_lenses() -> dict[str, Lens]:
    return {lens.alias: lens for lens in (wellarchitected_lens(), serverless_lens())}


def question_risk(
    question: LensQuestion, statuses: Mapping[str, str], *, is_applicable: bool = True
) -> str:
    """The emulator's risk rule for one answer.

    NOT_APPLICABLE for a question that does not apply; UNANSWERED when no choice is selected or
    marked not applicable; HIGH when "None of these" is selected or a Required practice is
    neither selected nor not applicable; MEDIUM when a Good/Best one is missing; else NONE.
    """
    if not is_applicable:
        return "NOT_APPLICABLE"
    if not any(s in ("SELECTED", "NOT_APPLICABLE") for s in statuses.values()):
        return "UNANSWERED"

    def met(choice: LensChoice) -> bool:
        return statuses.get(choice.choice_id) in ("SELECTED", "NOT_APPLICABLE")

    if any(
        c.is_none_of_these and statuses.get(c.choice_id) == "SELECTED" for c in question.choices
    ):
        return "HIGH"
    if any(c.level is Level.REQUIRED and not met(c) for c in question.choices):
        return "HIGH"
    if any(c.level in (Level.GOOD, Level.BEST) and not met(c) for c in question.choices):
        return "MEDIUM"
    return "NONE"
