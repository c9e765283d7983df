"""Read what `push` sends from a JSON interchange file (sessions: push_flow.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wa_review.errors import InputFileError, WaToolError
from wa_review.watool.payload import (
    CHOICE_NOTES_MARKER,
    CHOICE_NOTES_MAX,
    QUESTION_NOTES_MAX,
    AnswerPayload,
    fit_notes,
)

SESSION_SUFFIXES = (".yaml", ".yml")


def load_payload(path: str | Path) -> AnswerPayload:
    """The answer to push, from `AnswerPayload.to_interchange()` JSON or a review session YAML.

    Unknown top-level keys (evidence, workload, schema_version, ...) are ignored. Notes longer
    than the WA Tool accepts are cut cleanly with a marker rather than refused.
    """
    path = Path(path)
    if path.suffix.lower() in SESSION_SUFFIXES:
        # Sessions are read above this layer (wa_review.push_flow, beside the review); the
        # WA Tool layer never imports it.
        raise WaToolError(
            f"{path} is a review session: read it with wa_review.push_flow.",
            hint="Run 'wa-review push' on it; it reads sessions and answer files.",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputFileError(f"Cannot read {path}: {err.strerror}.") from err
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{path} is not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}.",
            hint="Pass a JSON answer file (the AnswerPayload interchange) or a review session.",
        ) from err
    if not isinstance(data, dict):
        raise InputFileError(f"{path} must hold a JSON object with the answer's fields.")
    try:
        return AnswerPayload.from_interchange(_fit(data))
    except ValidationError as err:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in err.errors()
        )
        raise InputFileError(f"{path} is not a valid answer: {fields}.") from err
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputFileError(f"{path} is not a valid answer: {err}.") from err


def _fit(data: dict[str, Any]) -> dict[str, Any]:
    """Cut over-long notes (question and choice) to the WA Tool's limits."""
    fitted = dict(data)
    if isinstance(fitted.get("Notes"), str):
        fitted["Notes"] = fit_notes(fitted["Notes"], QUESTION_NOTES_MAX)
    updates = fitted.get("ChoiceUpdates")
    if isinstance(updates, dict):
        fitted["ChoiceUpdates"] = {
            choice_id: (
                {
                    **update,
                    "Notes": fit_notes(
                        update["Notes"], CHOICE_NOTES_MAX, marker=CHOICE_NOTES_MARKER
                    ),
                }
                if isinstance(update, dict) and isinstance(update.get("Notes"), str)
                else update
            )
            for choice_id, update in updates.items()
        }
    return fitted
