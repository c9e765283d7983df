"""The check registry: each check declares its metadata next to its code.

A check knows nothing of the questionnaire: which choice its evidence supports is said by the
YAML alone (questionnaires/), so the same check can serve another question.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wa_review.checks.support.helpers import Emitter
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig

# What runs a check: the registry's callable, and the function a check module writes (it is
# handed an Emitter that already carries the check's id and the account).
CheckFn = Callable[[AccountInventory, CheckConfig], Iterable[Evidence]]
EmittingCheckFn = Callable[[AccountInventory, CheckConfig, Emitter], Iterable[Evidence]]


@dataclass(frozen=True, slots=True)
class CheckMeta:
    id: str
    title: str
    severity: Severity
    service: str
    rationale: str
    remediation: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    meta: CheckMeta
    run: CheckFn


_REGISTRY: dict[str, RegisteredCheck] = {}


def check(
    id: str,
    *,
    title: str,
    severity: Severity,
    service: str,
    rationale: str,
    remediation: str,
    references: tuple[str, ...] = (),
) -> Callable[[EmittingCheckFn], CheckFn]:
    """Register a check function under a stable id (written here only).

    The decorated name becomes `run(inventory, config)`, which hands the function its emitter.
    """
    meta = CheckMeta(id, title, severity, service, rationale, remediation, references)

    def register(fn: EmittingCheckFn) -> CheckFn:
        known = _REGISTRY.get(id)
        if known is not None and getattr(known.run, "__wrapped__", None) is not fn:
            raise ValueError(f"check id {id!r} is registered twice")

        @functools.wraps(fn)
        def run(inv: AccountInventory, cfg: CheckConfig) -> Iterable[Evidence]:
            return fn(inv, cfg, Emitter(id, inv.account))

        _REGISTRY[id] = RegisteredCheck(meta, run)
        return run

    return register


def _load_check_modules() -> None:
    import wa_review.checks as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:  # every module is a check module; support/ holds what they share
            importlib.import_module(f"wa_review.checks.{info.name}")


def all_checks() -> list[RegisteredCheck]:
    """Every registered check, ordered by id."""
    _load_check_modules()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_check(check_id: str) -> RegisteredCheck | None:
    _load_check_modules()
    return _REGISTRY.get(check_id)


def check_ids() -> frozenset[str]:
    _load_check_modules()
    return frozenset(_REGISTRY)
