"""Every problem in a questionnaire file, each with its line: what `wa-review validate` prints.

The loader stops at the first problem (callers want a model or an error); a person fixing a file
wants all of them at once, pointed at lines, with a suggestion for a misspelt key.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires.loader import (
    MAX_QUESTIONNAIRE_BYTES,
    describe_error,
    registry_checks,
    semantic_problems,
)
from wa_review.questionnaires.yaml_io import YamlProblem, parse_yaml, read_bounded


@dataclass(frozen=True)
class Diagnostic:
    """One problem: the file, the 1-based line and column when known, and what is wrong."""

    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def _split(loc: str) -> list[str | int]:
    """'choices[2].checks[1]' -> ['choices', 2, 'checks', 1] (the reverse of format_loc)."""
    parts: list[str | int] = []
    for piece in loc.replace("[", ".[").split("."):
        if piece.startswith("[") and piece.endswith("]") and piece[1:-1].isdigit():
            parts.append(int(piece[1:-1]))
        elif piece:
            parts.append(piece)
    return parts


def _node_at(root: Node | None, loc: Sequence[str | int]) -> Node | None:
    """The deepest YAML node along `loc` (a key that is absent stops at its parent)."""
    node = root
    for part in loc:
        if isinstance(node, MappingNode):
            found = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node.value[part]
        else:
            found = None
        if found is None:
            break
        node = found
    return node


def _key_node(root: Node | None, loc: Sequence[str | int]) -> Node | None:
    """The key node itself for an unknown key, so the line is the key's, not its value's."""
    parent = _node_at(root, loc[:-1])
    if isinstance(parent, MappingNode):
        return next((k for k, _ in parent.value if k.value == loc[-1]), parent)
    return parent


def _model_class(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside `X`, `X | None`, `list[X]`, `Annotated[X, ...]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _model_class(arg)
        if found is not None:
            return found
    return None


def _fields_at(loc: Sequence[str | int]) -> list[str]:
    """The allowed key names of the model that owns the mapping at `loc`."""
    model: type[BaseModel] = Questionnaire
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_class(field.annotation) if field is not None else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _suggest(key: object, allowed: Collection[str]) -> str:
    close = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _at(path: Path, node: Node | None, message: str) -> Diagnostic:
    if node is None:
        return Diagnostic(path, None, None, message)
    mark = node.start_mark
    return Diagnostic(path, mark.line + 1, mark.column + 1, message)


def _yaml_problem(path: Path, err: YamlProblem) -> Diagnostic:
    cause = err.__cause__
    if isinstance(cause, yaml.MarkedYAMLError):
        mark = cause.problem_mark or cause.context_mark
        if mark is not None:
            text = str(cause.problem or cause.context)
            return Diagnostic(path, mark.line + 1, mark.column + 1, text)
    return Diagnostic(path, None, None, str(err))


def diagnose_file(
    path: Path,
    *,
    known_check_ids: Collection[str] | None = None,
) -> tuple[Questionnaire | None, list[Diagnostic]]:
    """Load one file; return the model (None when invalid) and every problem found, in order.

    Structure errors come first (all of them); cross-checks (check ids, choices, risk rules)
    run only on a file whose structure is valid, and report all they find.
    """
    if known_check_ids is None:
        known_check_ids = registry_checks()
    try:
        text = read_bounded(path, max_bytes=MAX_QUESTIONNAIRE_BYTES)
    except OSError as err:
        return None, [Diagnostic(path, None, None, f"cannot read: {err.strerror}")]
    except YamlProblem as err:
        return None, [Diagnostic(path, None, None, str(err))]
    try:
        raw = parse_yaml(text)
    except YamlProblem as err:
        return None, [_yaml_problem(path, err)]
    # parse_yaml accepted it (no aliases, no duplicate keys), so composing is safe and gives lines.
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(raw, dict):
        got = type(raw).__name__ if raw is not None else "an empty file"
        return None, [_at(path, root, f"expected a mapping at the top level, got {got}")]
    try:
        model = Questionnaire.model_validate(raw)
    except ValidationError as err:
        found: list[Diagnostic] = []
        for error in err.errors():
            loc = list(error["loc"])
            where, what = describe_error(error)
            if error["type"] == "extra_forbidden":
                what += _suggest(loc[-1], _fields_at(loc[:-1]))
                node = _key_node(root, loc)
            else:
                node = _node_at(root, loc)
            found.append(_at(path, node, f"{where}: {what}" if where else what))
        return None, found
    problems = [
        _at(path, _node_at(root, _split(where)), f"{where}: {what}")
        for where, what in semantic_problems(model, known_check_ids)
    ]
    return (None if problems else model), problems
