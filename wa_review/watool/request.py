"""The UpdateAnswer request, checked against the limits botocore leaves to the service."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from wa_review.errors import WaToolError
from wa_review.watool.diff import AnswerDiff
from wa_review.watool.payload import CHOICE_NOTES_MAX, QUESTION_NOTES_MAX, ChoiceStatus, WaReason

_STATUSES = {s.value for s in ChoiceStatus}
_REASONS = {r.value for r in WaReason}


def build_update_request(workload_id: str, lens_alias: str, diff: AnswerDiff) -> dict[str, Any]:
    """UpdateAnswer keyword arguments: ChoiceUpdates for every choice, never SelectedChoices.

    Sending each choice's status keeps choices merged (SelectedChoices would replace the whole
    selection) and makes the request the same every time for the same review.
    """
    updates: dict[str, dict[str, str]] = {}
    for choice in diff.choices:
        update = {"Status": choice.status_after.value, "Notes": choice.notes_after}
        if choice.status_after is ChoiceStatus.NOT_APPLICABLE and choice.reason_after:
            update["Reason"] = choice.reason_after.value
        updates[choice.choice_id] = update
    request: dict[str, Any] = {
        "WorkloadId": workload_id,
        "LensAlias": lens_alias,
        "QuestionId": diff.question_id,
        "ChoiceUpdates": updates,
        "Notes": diff.notes_after,
    }
    if diff.applicability_changed:  # otherwise whatever the WA Tool holds stays as it is
        request["IsApplicable"] = diff.applicable_after
        if not diff.applicable_after and diff.reason_after:
            request["Reason"] = diff.reason_after.value
    return request


def validate_update_request(
    request: Mapping[str, Any], none_ids: Collection[str] | None = None
) -> None:
    """Enums, lengths and "None of these" exclusivity, checked before anything is sent.

    `none_ids`: the lens's "None of these" choices (from their titles); without them, the
    `_no` id suffix stands in."""
    problems: list[str] = []

    def is_none(choice_id: str) -> bool:
        return choice_id in none_ids if none_ids is not None else choice_id.endswith("_no")

    updates = request.get("ChoiceUpdates") or {}
    for choice_id, update in updates.items():
        where = f"choice {choice_id}"
        if not 1 <= len(choice_id) <= 64:
            problems.append(f"{where}: the id must be 1-64 characters")
        status = update.get("Status")
        if status not in _STATUSES:
            problems.append(f"{where}: status {status!r} is not one of {sorted(_STATUSES)}")
        if "Reason" in update and update["Reason"] not in _REASONS:
            problems.append(
                f"{where}: reason {update['Reason']!r} is not one of {sorted(_REASONS)}"
            )
        if len(update.get("Notes", "")) > CHOICE_NOTES_MAX:
            problems.append(f"{where}: notes exceed {CHOICE_NOTES_MAX} characters")
        if status == ChoiceStatus.NOT_APPLICABLE and is_none(choice_id):
            problems.append(f"{where}: 'None of these' cannot be marked not applicable")
    selected = [cid for cid, u in updates.items() if u.get("Status") == ChoiceStatus.SELECTED]
    if any(is_none(cid) for cid in selected) and len(selected) > 1:
        problems.append(f"'None of these' cannot be selected together with {selected}")
    if len(request.get("Notes", "")) > QUESTION_NOTES_MAX:
        problems.append(f"question notes exceed {QUESTION_NOTES_MAX} characters")
    if "Reason" in request and request["Reason"] not in _REASONS:
        problems.append(f"question reason {request['Reason']!r} is not one of {sorted(_REASONS)}")
    if not isinstance(request.get("IsApplicable", True), bool):
        problems.append("IsApplicable must be true or false")
    if problems:
        raise WaToolError(
            f"Refusing to send an invalid answer for {request.get('QuestionId')}: "
            + "; ".join(problems)
            + ".",
            hint="Fix the review (wa-review validate) and push again.",
        )


def describe_written(request: Mapping[str, Any], changed: Collection[str]) -> str:
    """What an UpdateAnswer request wrote: each choice with the status it now has, and the
    question (for messages when a later step of the push fails)."""
    parts = []
    for choice_id, update in request["ChoiceUpdates"].items():
        reason = f" ({update['Reason']})" if "Reason" in update else ""
        same = "" if choice_id in changed else ", unchanged"
        parts.append(f"{choice_id} {update['Status']}{reason}{same}")
    applicable = (
        "applicable"
        if request.get("IsApplicable", True)
        else f"not applicable ({request.get('Reason', 'NONE')})"
    )
    return f"{request['QuestionId']} {applicable}, choices {'; '.join(parts)}, and its notes"
