"""A check id says where the check lives: `<area>.<name>` is in checks/<area>.py or
checks/<area>_<topic>.py, and checks/ holds check modules only (what they share is in support/)."""

from __future__ import annotations

import pkgutil

import wa_review.checks
from wa_review.checks import all_checks


def test_every_check_lives_in_a_module_named_for_its_id() -> None:
    misplaced = []
    for item in all_checks():
        area = item.meta.id.split(".", 1)[0]
        module = item.run.__module__.removeprefix("wa_review.checks.")
        if module != area and not module.startswith(f"{area}_"):
            misplaced.append(f"{item.meta.id} in {module}")
    assert misplaced == []


def test_every_module_in_checks_registers_a_check() -> None:
    registering = {item.run.__module__ for item in all_checks()}
    modules = {
        f"wa_review.checks.{info.name}"
        for info in pkgutil.iter_modules(wa_review.checks.__path__)
        if not info.ispkg
    }
    assert modules - registering == set(), "support modules belong in wa_review/checks/support/"
