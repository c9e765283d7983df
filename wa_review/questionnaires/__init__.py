"""Questionnaires: WA questions as YAML data (questionnaires/ at the top, shipped in the wheel), loaded strictly."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from wa_review.errors import InputFileError
from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires.loader import (
    BUILTIN_DIR,
    MAX_QUESTIONNAIRE_BYTES,
    load_directory,
    load_questionnaire,
)

__all__ = [
    "BUILTIN_DIR",
    "MAX_QUESTIONNAIRE_BYTES",
    "builtin_paths",
    "find_questionnaire",
    "load_builtin",
    "load_directory",
    "load_questionnaire",
    "sec2",
]


def builtin_paths() -> list[Path]:
    return sorted(BUILTIN_DIR.rglob("*.yaml"))


def load_builtin(
    *,
    known_check_ids: Collection[str] | None = None,
) -> list[Questionnaire]:
    """Every questionnaire shipped with wa-review, cross-checked with the check registry."""
    return load_directory(BUILTIN_DIR, known_check_ids=known_check_ids, complete=True)


def find_questionnaire(
    lens_alias: str,
    question_id: str,
    *,
    known_check_ids: Collection[str] | None = None,
) -> Questionnaire:
    """The built-in questionnaire for one WA question (a review session names it)."""
    for model in load_builtin(known_check_ids=known_check_ids):
        if model.lens_alias == lens_alias and model.question_id == question_id:
            return model
    raise InputFileError(
        f"No questionnaire for question '{question_id}' of lens '{lens_alias}'",
        hint="Run 'wa-review validate' to list the questionnaires this version ships.",
    )


def sec2(
    *,
    known_check_ids: Collection[str] | None = None,
) -> Questionnaire:
    """Serverless Lens SEC2: how do you manage your serverless application's security boundaries?"""
    return find_questionnaire("serverless", "sec_q2", known_check_ids=known_check_ids)
