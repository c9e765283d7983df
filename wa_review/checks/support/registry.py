"""The check registry: each check declares its metadata next to its code."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig

CheckFn = Callable[[AccountInventory, CheckConfig], Iterable[Evidence]]


@dataclass(frozen=True, slots=True)
class CheckMeta:
    id: str
    title: str
    severity: Severity
    choice_id: str
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
    choice_id: str,
    service: str,
    rationale: str,
    remediation: str,
    references: tuple[str, ...] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id."""
    meta = CheckMeta(id, title, severity, choice_id, service, rationale, remediation, references)

    def register(fn: CheckFn) -> CheckFn:
        if id in _REGISTRY and _REGISTRY[id].run is not fn:
            raise ValueError(f"check id {id!r} is registered twice")
        _REGISTRY[id] = RegisteredCheck(meta, fn)
        return fn

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
