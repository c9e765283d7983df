"""WA Tool emulator: lens reviews, answers (read and update) and the lens review report PDF."""

from __future__ import annotations

import time
from typing import Any

from wa_review.watool.emulator_lens import Lens, LensQuestion, question_risk
from wa_review.watool.emulator_store import (
    CHOICE_STATUSES,
    REASONS,
    AnswerState,
    ChoiceState,
    Params,
    WaToolState,
    check_enum,
    check_length,
    invalid,
    page,
    require,
)

RISKS = ("UNANSWERED", "HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE")


def risk_of(question: LensQuestion, answer: AnswerState | None) -> str:
    if answer is None:
        return "UNANSWERED"
    return question_risk(question, answer.statuses(), is_applicable=answer.is_applicable)


def _question(lens: Lens, question_id: str) -> LensQuestion:
    question = lens.question(question_id)
    if question is None:
        raise invalid("QuestionId", f"No question with ID {question_id} was found.")
    return question


def _choices(question: LensQuestion) -> list[dict[str, Any]]:
    return [
        {"ChoiceId": c.choice_id, "Title": c.title, "Description": c.description or c.title}
        for c in question.choices
    ]


def selected_ids(question: LensQuestion, answer: AnswerState | None) -> list[str]:
    if answer is None:
        return []
    return [
        c.choice_id
        for c in question.choices
        if answer.choices.get(c.choice_id, ChoiceState()).status == "SELECTED"
    ]


def _choice_answers(
    question: LensQuestion, answer: AnswerState | None, *, notes: bool
) -> list[dict[str, Any]]:
    if answer is None:
        return []
    rows = []
    for choice in question.choices:
        state = answer.choices.get(choice.choice_id)
        if state is None:
            continue
        row: dict[str, Any] = {"ChoiceId": choice.choice_id, "Status": state.status}
        if state.status == "NOT_APPLICABLE":
            row["Reason"] = state.reason or "NONE"
        if notes:
            row["Notes"] = state.notes
        rows.append(row)
    return rows


def _summary(question: LensQuestion, answer: AnswerState | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "QuestionId": question.question_id,
        "PillarId": question.pillar_id,
        "QuestionTitle": question.title,
        "Choices": _choices(question),
        "SelectedChoices": selected_ids(question, answer),
        "ChoiceAnswerSummaries": _choice_answers(question, answer, notes=False),
        "IsApplicable": answer.is_applicable if answer else True,
        "Risk": risk_of(question, answer),
        "QuestionType": "NON_PRIORITIZED",
    }
    if answer is not None and answer.reason:
        out["Reason"] = answer.reason
    return out


def _answer(lens: Lens, question: LensQuestion, answer: AnswerState | None) -> dict[str, Any]:
    out = _summary(question, answer)
    del out["ChoiceAnswerSummaries"], out["QuestionType"]
    out["QuestionDescription"] = question.description or question.title
    out["ChoiceAnswers"] = _choice_answers(question, answer, notes=True)
    out["Notes"] = answer.notes if answer else ""
    out["HelpfulResourceUrl"] = f"https://wa.aws.amazon.com/{lens.alias}/{question.question_id}"
    if out["Risk"] != "UNANSWERED":
        out["ImprovementPlanUrl"] = f"{out['HelpfulResourceUrl']}/improvement"
    return out


def _risk_counts(
    lens: Lens, answers: dict[tuple[str, str], AnswerState], pillar: str | None
) -> dict[str, int]:
    counts = dict.fromkeys(RISKS, 0)
    for question in lens.questions:
        if pillar is None or question.pillar_id == pillar:
            counts[risk_of(question, answers.get((lens.alias, question.question_id)))] += 1
    return counts


def get_lens_review(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.workload(params)
    lens = state.lens_at(w, state.lens_alias(params), params)
    answers = state.answers_at(w, params)
    pillars = [
        {
            "PillarId": pillar,
            "PillarName": lens.pillar_names.get(pillar, pillar),
            "RiskCounts": _risk_counts(lens, answers, pillar),
        }
        for pillar in lens.pillar_ids
    ]
    review = {
        "LensAlias": lens.alias,
        "LensArn": lens.arn(state.region),
        "LensVersion": lens.version,
        "LensName": lens.name,
        "LensStatus": lens.status,
        "PillarReviewSummaries": pillars,
        "UpdatedAt": w.updated_at,
        "RiskCounts": _risk_counts(lens, answers, None),
    }
    out: dict[str, Any] = {"WorkloadId": w.workload_id, "LensReview": review}
    if params.get("MilestoneNumber") is not None:
        out["MilestoneNumber"] = params["MilestoneNumber"]
    return out


def list_answers(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.workload(params)
    lens = state.lens_at(w, state.lens_alias(params), params)
    answers = state.answers_at(w, params)
    pillar = params.get("PillarId")
    summaries = [
        _summary(q, answers.get((lens.alias, q.question_id)))
        for q in lens.questions
        if pillar is None or q.pillar_id == pillar
    ]
    chunk, token = page(summaries, params)
    out: dict[str, Any] = {
        "WorkloadId": w.workload_id,
        "LensAlias": lens.alias,
        "LensArn": lens.arn(state.region),
        "AnswerSummaries": chunk,
    }
    return {**out, **({"NextToken": token} if token else {})}


def get_answer(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.workload(params)
    lens = state.lens_at(w, state.lens_alias(params), params)
    question = _question(lens, str(require(params, "QuestionId")))
    answer = state.answers_at(w, params).get((lens.alias, question.question_id))
    return {
        "WorkloadId": w.workload_id,
        "LensAlias": lens.alias,
        "LensArn": lens.arn(state.region),
        "Answer": _answer(lens, question, answer),
    }


def _validate_update(question: LensQuestion, params: Params) -> None:
    check_length("Notes", params.get("Notes"), 0, 2084)
    check_enum("Reason", params.get("Reason"), REASONS)
    if "IsApplicable" in params and not isinstance(params["IsApplicable"], bool):
        raise invalid("IsApplicable", "must be a boolean")
    known = {c.choice_id for c in question.choices}
    for choice_id in params.get("SelectedChoices") or []:
        if choice_id not in known:
            raise invalid("SelectedChoices", f"No choice with ID {choice_id} in this question")
    for choice_id, update in (params.get("ChoiceUpdates") or {}).items():
        name = f"ChoiceUpdates.{choice_id}"
        if choice_id not in known:
            raise invalid(name, f"No choice with ID {choice_id} in this question")
        if not isinstance(update, dict):
            raise invalid(name, "must be an object")
        check_enum(f"{name}.Status", require(update, "Status"), CHOICE_STATUSES)
        check_enum(f"{name}.Reason", update.get("Reason"), REASONS)
        check_length(f"{name}.Notes", update.get("Notes"), 0, 250)
        choice = question.choice(choice_id)
        if update["Status"] == "NOT_APPLICABLE" and choice and choice.is_none_of_these:
            raise invalid(name, "The None of these choice cannot be marked not applicable")


def update_answer(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.writable(params, "UpdateAnswer")
    lens = state.lens(w, state.lens_alias(params))
    question = _question(lens, str(require(params, "QuestionId")))
    _validate_update(question, params)
    answer = w.answers.setdefault((lens.alias, question.question_id), AnswerState())
    if params.get("SelectedChoices") is not None:
        # SelectedChoices replaces the selection; choices marked not applicable stay so.
        chosen = set(params["SelectedChoices"])
        for choice in question.choices:
            current = answer.choices.setdefault(choice.choice_id, ChoiceState())
            if choice.choice_id in chosen:
                current.status, current.reason = "SELECTED", None
            elif current.status == "SELECTED":
                current.status = "UNSELECTED"
    for choice_id, update in (params.get("ChoiceUpdates") or {}).items():
        # ChoiceUpdates merges: only the listed choices change; omitted Notes are kept.
        current = answer.choices.setdefault(choice_id, ChoiceState())
        current.status = update["Status"]
        current.reason = (
            (update.get("Reason") or "NONE") if current.status == "NOT_APPLICABLE" else None
        )
        if "Notes" in update:
            current.notes = update["Notes"]
    if "Notes" in params:
        answer.notes = params["Notes"]
    if "IsApplicable" in params:
        answer.is_applicable = params["IsApplicable"]
    if params.get("Reason") is not None:
        answer.reason = params["Reason"]
    w.updated_at = time.time()
    return {
        "WorkloadId": w.workload_id,
        "LensAlias": lens.alias,
        "LensArn": lens.arn(state.region),
        "Answer": _answer(lens, question, answer),
    }
