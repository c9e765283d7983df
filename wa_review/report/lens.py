"""Our questionnaires as a WA Tool custom lens (schemaVersion 2021-11-01), within its limits.

Limits follow docs/questionnaire.md: where the format spec and the API model disagree we keep
the smaller one, so ImportLens accepts the file whichever of the two it enforces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from wa_review import __version__
from wa_review.errors import WaReviewError
from wa_review.model.questionnaire import Questionnaire, Risk, lens_text_problem
from wa_review.report.markdown import md_to_plain
from wa_review.review.payload import clip

LENS_SCHEMA_VERSION = "2021-11-01"
MAX_LENS_CHARS = 500_000
_RISK = {Risk.HIGH: "HIGH_RISK", Risk.MEDIUM: "MEDIUM_RISK", Risk.NONE: "NO_RISK"}
_ID = re.compile(r"^[A-Za-z0-9_]+$")


def _content(text: str, url: str | None = None, *, limit: int = 1024) -> dict[str, str]:
    item = {"displayText": clip(md_to_plain(text), limit, marker="...")}
    if url:
        item["url"] = url
    return item


def _question(q: Questionnaire) -> dict[str, Any]:
    choices: list[dict[str, Any]] = []
    for choice in q.choices:
        entry: dict[str, Any] = {"id": choice.id, "title": choice.title}
        if choice.is_none_of_these:
            entry["helpfulResource"] = {
                "displayText": "Choose this when none of the practices above is in place today."
            }
        else:
            assert choice.guidance is not None  # the loader requires it for every practice
            links = choice.guidance.links
            good = f"{choice.description}\n\nWhat good looks like:\n{choice.guidance.good}"
            entry["helpfulResource"] = _content(good, links[0].url)
            entry["improvementPlan"] = _content(choice.improvement_plan, links[0].url)
            if len(links) > 1:
                entry["additionalResources"] = [
                    {
                        "type": "HELPFUL_RESOURCE",
                        "content": [_content(link.title, link.url) for link in links[1:]],
                    }
                ]
        choices.append(entry)
    return {
        "id": q.question_id,
        "title": q.title,
        "description": q.description,
        "helpfulResource": {"displayText": q.helpful_resource.title, "url": q.helpful_resource.url},
        "choices": choices,
        "riskRules": [
            {"condition": " ".join(r.condition.split()), "risk": _RISK[r.risk]}
            for r in q.risk_rules
        ],
    }


def to_custom_lens(questionnaires: Sequence[Questionnaire]) -> dict[str, Any]:
    """One lens holding the given questions, pillars in first-seen order."""
    if not questionnaires:
        raise WaReviewError("No questionnaire to export as a lens")
    first = questionnaires[0]
    pillars: dict[str, dict[str, Any]] = {}
    for q in questionnaires:
        pillar = pillars.setdefault(
            q.pillar_id, {"id": q.pillar_id, "name": q.pillar_name, "questions": []}
        )
        pillar["questions"].append(_question(q))
    doc = {
        "schemaVersion": LENS_SCHEMA_VERSION,
        "name": first.lens_name,
        "description": (
            f"Questions written for wa-review {__version__}, mirroring AWS Serverless Lens "
            "question ids, with our own wording, guidance and estimated risk rules."
        ),
        "pillars": list(pillars.values()),
    }
    problems = lens_problems(doc)
    if problems:
        raise WaReviewError(
            "The lens would be refused by the WA Tool: " + "; ".join(problems[:5]),
            hint="Fix the questionnaire text and run 'wa-review validate'.",
        )
    return doc


def lens_json(questionnaires: Sequence[Questionnaire]) -> str:
    """The custom lens as the JSON text ImportLens takes."""
    return json.dumps(to_custom_lens(questionnaires), indent=2, ensure_ascii=False) + "\n"


def _text(problems: list[str], where: str, value: Any, limit: int, *, restricted: bool) -> None:
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: must be non-empty text")
        return
    if len(value) > limit:
        problems.append(f"{where}: {len(value)} characters, limit {limit}")
    if restricted and (problem := lens_text_problem(value)):
        problems.append(f"{where}: {problem}")


def _id(problems: list[str], where: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, str) or not _ID.match(value) or not low <= len(value) <= high:
        problems.append(f"{where}: id must be {low}-{high} letters, digits or '_'")


def _link(problems: list[str], where: str, item: Any, limit: int) -> None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object")
        return
    _text(problems, f"{where}.displayText", item.get("displayText"), limit, restricted=False)
    url = item.get("url")
    if url is not None and (not str(url).startswith(("https://", "http://")) or len(url) > 1024):
        problems.append(f"{where}.url: must be an http(s) URL of at most 1024 characters")


def _check_choice(problems: list[str], where: str, choice: dict[str, Any]) -> None:
    _id(problems, f"{where}.id", choice.get("id"), 3, 64)
    _text(problems, f"{where}.title", choice.get("title"), 128, restricted=True)
    if "helpfulResource" in choice:
        _link(problems, f"{where}.helpfulResource", choice["helpfulResource"], 1024)
    if "improvementPlan" in choice:
        _link(problems, f"{where}.improvementPlan", choice["improvementPlan"], 1024)
    elif not str(choice.get("id", "")).endswith("_no"):
        problems.append(f"{where}.improvementPlan: required for every choice but 'None of these'")
    for k, extra in enumerate(choice.get("additionalResources", [])):
        if extra.get("type") not in ("HELPFUL_RESOURCE", "IMPROVEMENT_PLAN"):
            problems.append(f"{where}.additionalResources[{k}].type: not a known type")
        content = extra.get("content", [])
        if not 1 <= len(content) <= 5:
            problems.append(f"{where}.additionalResources[{k}].content: 1 to 5 items")
        for m, item in enumerate(content):
            _link(problems, f"{where}.additionalResources[{k}].content[{m}]", item, 1024)


def _check_question(problems: list[str], where: str, q: dict[str, Any]) -> None:
    _id(problems, f"{where}.id", q.get("id"), 3, 128)
    _text(problems, f"{where}.title", q.get("title"), 128, restricted=True)
    _text(problems, f"{where}.description", q.get("description"), 1024, restricted=True)
    if "helpfulResource" in q:
        _link(problems, f"{where}.helpfulResource", q["helpfulResource"], 64)
    choices = q.get("choices", [])
    if not 1 <= len(choices) <= 15:
        problems.append(f"{where}.choices: 1 to 15 choices")
    ids = [c.get("id") for c in choices]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}.choices: duplicate choice ids")
    for j, choice in enumerate(choices):
        _check_choice(problems, f"{where}.choices[{j}]", choice)
    rules = q.get("riskRules", [])
    risks = [r.get("risk") for r in rules]
    if len(rules) > 3 or len(set(risks)) != len(risks):
        problems.append(f"{where}.riskRules: at most one rule per risk level")
    if not any(r.get("condition") == "default" for r in rules):
        problems.append(f"{where}.riskRules: a 'default' rule is required")
    if not set(risks) <= set(_RISK.values()):
        problems.append(f"{where}.riskRules: risk must be HIGH_RISK, MEDIUM_RISK or NO_RISK")


def lens_problems(doc: dict[str, Any]) -> list[str]:
    """Every way `doc` breaks the documented (and observed) custom-lens rules; empty when fine."""
    problems: list[str] = []
    if doc.get("schemaVersion") != LENS_SCHEMA_VERSION:
        problems.append(f"schemaVersion: must be {LENS_SCHEMA_VERSION}")
    _text(problems, "name", doc.get("name"), 128, restricted=True)
    _text(problems, "description", doc.get("description"), 1024, restricted=True)
    pillars = doc.get("pillars", [])
    if not 1 <= len(pillars) <= 10:
        problems.append("pillars: 1 to 10 pillars")
    question_ids: list[Any] = []
    for i, pillar in enumerate(pillars):
        _id(problems, f"pillars[{i}].id", pillar.get("id"), 3, 64)
        _text(problems, f"pillars[{i}].name", pillar.get("name"), 128, restricted=True)
        questions = pillar.get("questions", [])
        if not 1 <= len(questions) <= 20:
            problems.append(f"pillars[{i}].questions: 1 to 20 questions")
        for j, question in enumerate(questions):
            question_ids.append(question.get("id"))
            _check_question(problems, f"pillars[{i}].questions[{j}]", question)
    if len(set(question_ids)) != len(question_ids):
        problems.append("pillars: question ids must be unique in the lens")
    size = len(json.dumps(doc, ensure_ascii=False))
    if size > MAX_LENS_CHARS:
        problems.append(f"lens: {size} characters, limit {MAX_LENS_CHARS}")
    return problems
