"""The shipped YAML and the check registry agree (the sqlite-utils docs-consistency idea)."""

from __future__ import annotations

from tests.unit.questionnaire.conftest import sec2_checks, sec2_data
from wa_review.checks import all_checks
from wa_review.questionnaires import load_builtin


def _yaml_choice_of() -> dict[str, str]:
    return {c: choice["id"] for choice in sec2_data()["choices"] for c in choice.get("checks", [])}


def test_every_registered_check_is_used_under_the_choice_it_declares() -> None:
    listed = _yaml_choice_of()
    for registered in all_checks():
        meta = registered.meta
        assert meta.id in listed, f"{meta.id} is registered but no questionnaire lists it"
        assert listed[meta.id] == meta.choice_id, f"{meta.id}: YAML and metadata disagree"


def test_every_check_in_the_yaml_is_registered() -> None:
    registered = {c.meta.id for c in all_checks()}
    assert sorted(sec2_checks() - registered) == []


def test_builtin_questionnaires_load_against_the_real_registry() -> None:
    assert [q.question_id for q in load_builtin()] == ["sec_q2"]
