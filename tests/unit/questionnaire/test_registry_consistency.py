"""The shipped YAML and the check registry agree (the sqlite-utils docs-consistency idea)."""

from __future__ import annotations

from pathlib import Path

import wa_review.checks
from tests.unit.questionnaire.conftest import sec2_checks, sec2_data
from wa_review.checks import all_checks
from wa_review.questionnaires import load_builtin


def _yaml_choice_of() -> dict[str, str]:
    return {c: choice["id"] for choice in sec2_data()["choices"] for c in choice.get("checks", [])}


def test_every_registered_check_is_used_by_a_choice() -> None:
    listed = _yaml_choice_of()
    for registered in all_checks():
        assert registered.meta.id in listed, f"{registered.meta.id}: no questionnaire lists it"


def test_no_check_module_names_a_choice() -> None:
    """The YAML alone maps checks to choices: a check knows nothing of SEC2."""
    checks_dir = Path(wa_review.checks.__file__).parent
    naming = [p.name for p in checks_dir.rglob("*.py") if "sec_sec_q2" in p.read_text()]
    assert naming == []


def test_every_check_in_the_yaml_is_registered() -> None:
    registered = {c.meta.id for c in all_checks()}
    assert sorted(sec2_checks() - registered) == []


def test_builtin_questionnaires_load_against_the_real_registry() -> None:
    assert [q.question_id for q in load_builtin()] == ["sec_q2"]


def test_the_fixtures_fixed_checks_are_all_shipped() -> None:
    """Goldens and snapshots use a fixed set of checks (tests/fixed_checks.py); renaming or
    removing one of them must show up here, not as a puzzling golden diff."""
    from tests.fixed_checks import FIXED_CHECK_IDS

    assert sorted(FIXED_CHECK_IDS - sec2_checks()) == []
