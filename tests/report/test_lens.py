"""The SEC2 questionnaire as a WA Tool custom lens, checked against the documented rules."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from wa_review.errors import WaReviewError
from wa_review.model.questionnaire import Questionnaire, lens_text_problem
from wa_review.questionnaires.conditions import parse_condition
from wa_review.report.lens import MAX_LENS_CHARS, lens_json, lens_problems, to_custom_lens


@pytest.fixture
def lens(questionnaire: Questionnaire) -> dict[str, Any]:
    return to_custom_lens([questionnaire])


def _strings(doc: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(doc, dict):
        return [item for k, v in doc.items() for item in _strings(v, f"{path}.{k}")]
    if isinstance(doc, list):
        return [item for i, v in enumerate(doc) for item in _strings(v, f"{path}[{i}]")]
    return [(path, doc)] if isinstance(doc, str) else []


def test_shape_and_rules(lens: dict[str, Any], questionnaire: Questionnaire) -> None:
    assert lens["schemaVersion"] == "2021-11-01"
    assert lens_problems(lens) == []
    [pillar] = lens["pillars"]
    [question] = pillar["questions"]
    assert (pillar["id"], question["id"]) == ("security", "sec_q2")
    assert [c["id"] for c in question["choices"]] == list(questionnaire.choice_ids)
    none = question["choices"][-1]
    assert none["id"].endswith("_no") and "improvementPlan" not in none
    assert all("improvementPlan" in c for c in question["choices"][:-1])
    assert [r["risk"] for r in question["riskRules"]] == ["NO_RISK", "MEDIUM_RISK", "HIGH_RISK"]
    assert question["riskRules"][-1]["condition"] == "default"
    for rule in question["riskRules"][:-1]:
        parse_condition(rule["condition"], choice_ids=questionnaire.choice_ids)


def test_restricted_text_uses_only_accepted_characters(lens: dict[str, Any]) -> None:
    restricted = [
        (path, text)
        for path, text in _strings(lens)
        if path.endswith((".title", ".name", ".description")) or path in (".name", ".description")
    ]
    assert len(restricted) >= 8
    assert [(p, lens_text_problem(t)) for p, t in restricted if lens_text_problem(t)] == []


def test_every_url_is_http(lens: dict[str, Any]) -> None:
    urls = [text for path, text in _strings(lens) if path.endswith(".url")]
    assert urls and all(u.startswith("https://") for u in urls)


def test_json_text_is_within_the_size_limit(questionnaire: Questionnaire) -> None:
    text = lens_json([questionnaire])
    assert json.loads(text) == to_custom_lens([questionnaire])
    assert len(text) < MAX_LENS_CHARS


def _q(lens: dict[str, Any]) -> dict[str, Any]:
    return lens["pillars"][0]["questions"][0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(name="Lens; v1"), "name: characters the WA Tool refuses"),
        (lambda d: _q(d).update(title="x" * 129), "questions[0].title: 129 characters, limit 128"),
        (
            lambda d: _q(d).update(description="d" * 1025),
            "description: 1025 characters, limit 1024",
        ),
        (lambda d: _q(d)["choices"][0].update(title='Say "hi"'), "choices[0].title: characters"),
        (lambda d: _q(d)["choices"][0].pop("improvementPlan"), "improvementPlan: required"),
        (
            lambda d: _q(d)["choices"][0]["helpfulResource"].update(url="ftp://x"),
            "url: must be an http(s) URL",
        ),
        (
            lambda d: _q(d)["choices"].extend(copy.deepcopy(_q(d)["choices"][:1]) * 11),
            "1 to 15 choices",
        ),
        (
            lambda d: _q(d)["choices"].append(copy.deepcopy(_q(d)["choices"][0])),
            "duplicate choice ids",
        ),
        (lambda d: _q(d)["riskRules"].pop(), "a 'default' rule is required"),
        (lambda d: _q(d)["riskRules"][0].update(risk="LOW_RISK"), "risk must be HIGH_RISK"),
        (lambda d: _q(d).update(id="q"), "questions[0].id: id must be 3-128"),
        (
            lambda d: d["pillars"].append(copy.deepcopy(d["pillars"][0])),
            "question ids must be unique",
        ),
        (lambda d: d.update(schemaVersion="2020-01-01"), "schemaVersion: must be 2021-11-01"),
        (
            lambda d: _q(d).update(helpfulResource={"displayText": "x" * 65}),
            "displayText: 65 characters, limit 64",
        ),
        (lambda d: d.update(padding="x" * MAX_LENS_CHARS), "lens: "),
    ],
)
def test_problems_are_found(lens: dict[str, Any], change: Any, problem: str) -> None:
    change(lens)
    assert any(problem in p for p in lens_problems(lens)), lens_problems(lens)


def test_export_refuses_a_lens_the_wa_tool_would_refuse(questionnaire: Questionnaire) -> None:
    broken = questionnaire.model_copy(update={"title": "Bad; title"})
    with pytest.raises(WaReviewError, match="would be refused by the WA Tool"):
        to_custom_lens([broken])
