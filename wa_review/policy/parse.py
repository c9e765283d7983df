"""Normalise a decoded policy into statements, recording what makes one unreadable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wa_review.policy.load import MAX_STATEMENTS, PolicyParseError

STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource"}
    | {"NotResource", "Condition"}
)
PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")


@dataclass(frozen=True, slots=True)
class Listing:
    """An Action/NotAction or Resource/NotResource element."""

    negated: bool
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrincipalBlock:
    """A Principal/NotPrincipal element as (kind, value) pairs; kind "*" is the bare wildcard."""

    negated: bool
    entries: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RawClause:
    """One `operator: {key: values}` entry of a Condition block."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement with every element in one shape; `problems` lists what made it unreadable."""

    index: int
    label: str
    effect: str | None
    principal: PrincipalBlock | None
    actions: Listing | None
    resources: Listing | None
    clauses: tuple[RawClause, ...]
    problems: tuple[str, ...]
    raw: dict[str, Any]


def statements_of(doc: object) -> tuple[list[Statement], list[str]]:
    """The statements of a decoded policy, plus problems with the document as a whole."""
    if not isinstance(doc, dict):
        return [], [f"the document is a JSON {_json_type(doc)}, not a policy object"]
    if "Statement" not in doc:
        return [], ["the document has no Statement element"]
    raw = doc["Statement"]
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        return [], [f"Statement is a JSON {_json_type(raw)}, not an object or a list"]
    if len(items) > MAX_STATEMENTS:
        raise PolicyParseError(
            f"The policy has {len(items)} statements; no AWS resource policy holds more than "
            f"{MAX_STATEMENTS}."
        )
    return [_statement(i, item) for i, item in enumerate(items)], []


def _statement(index: int, item: object) -> Statement:
    label = f"#{index + 1}"
    if not isinstance(item, dict):
        problem = f"statement {label} is a JSON {_json_type(item)}, not an object"
        return Statement(index, label, None, None, None, None, (), (problem,), {})
    problems: list[str] = []
    sid = item.get("Sid")
    if isinstance(sid, str) and sid.strip():
        label = sid
    unknown_keys = sorted(str(k) for k in item if k not in STATEMENT_KEYS)
    if unknown_keys:
        problems.append(f"unknown element(s) {', '.join(unknown_keys)}")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        problems.append(f"Effect is {effect!r}, not 'Allow' or 'Deny'")
        effect = None
    principal = _principal(item, problems)
    actions = _listing(item, "Action", "NotAction", problems, required=True)
    resources = _listing(item, "Resource", "NotResource", problems, required=False)
    clauses = _clauses(item.get("Condition"), problems) if "Condition" in item else ()
    return Statement(
        index, label, effect, principal, actions, resources, clauses, tuple(problems), item
    )


def _listing(
    item: dict[str, Any], name: str, negated_name: str, problems: list[str], *, required: bool
) -> Listing | None:
    if name in item and negated_name in item:
        problems.append(f"both {name} and {negated_name} are present")
        return None
    key = name if name in item else negated_name
    if key not in item:
        if required:
            problems.append(f"neither {name} nor {negated_name} is present")
        return None
    values = _strings(item[key])
    if values is None:
        problems.append(f"{key} must be a string or a non-empty list of strings")
        return None
    return Listing(key == negated_name, values)


def _principal(item: dict[str, Any], problems: list[str]) -> PrincipalBlock | None:
    if "Principal" in item and "NotPrincipal" in item:
        problems.append("both Principal and NotPrincipal are present")
        return None
    key = "Principal" if "Principal" in item else "NotPrincipal"
    if key not in item:
        problems.append("no Principal or NotPrincipal (a resource policy must name one)")
        return None
    raw = item[key]
    if raw == "*":
        return PrincipalBlock(key == "NotPrincipal", (("*", "*"),))
    if isinstance(raw, str):
        # Only "*" is valid bare, but a bare ARN or account id is clear enough to read.
        return PrincipalBlock(key == "NotPrincipal", (("AWS", raw),))
    if not isinstance(raw, dict) or not raw:
        problems.append(f'{key} must be "*" or a non-empty object')
        return None
    entries: list[tuple[str, str]] = []
    for kind, value in raw.items():
        canonical = next((k for k in PRINCIPAL_KINDS if k.lower() == str(kind).lower()), kind)
        values = _strings(value)
        if values is None:
            entries.append(("?", f"{kind}: {value!r}"[:200]))
            continue
        entries.extend((str(canonical), v) for v in values)
    return PrincipalBlock(key == "NotPrincipal", tuple(entries))


def _clauses(block: object, problems: list[str]) -> tuple[RawClause, ...]:
    if not isinstance(block, dict):
        problems.append("Condition must be an object of operators")
        return ()
    clauses: list[RawClause] = []
    for operator, keys in block.items():
        if not isinstance(keys, dict) or not keys:
            problems.append(f"Condition operator {operator} must map keys to values")
            continue
        for key, raw_values in keys.items():
            values = _scalars(raw_values)
            if values is None:
                problems.append(
                    f"Condition {operator} {key} must have a value or a non-empty list of values"
                )
                continue
            clauses.append(RawClause(str(operator), str(key), values))
    return tuple(clauses)


def _strings(value: object) -> tuple[str, ...] | None:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        return None
    return tuple(str(v) for v in items)


def _scalars(value: object) -> tuple[str, ...] | None:
    """Condition values: IAM reads JSON booleans and numbers as their text."""
    items = value if isinstance(value, list) else [value]
    if not items:
        return None
    out: list[str] = []
    for v in items:
        if isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, str | int | float):
            out.append(str(v))
        else:
            return None
    return tuple(out)


def _json_type(value: object) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        return "array"
    if value is None:
        return "null"
    return "object" if isinstance(value, Mapping) else type(value).__name__
