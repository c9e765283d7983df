"""Load questionnaire YAML strictly; every error names the file and the path inside it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wa_review.errors import InputFileError
from wa_review.model.questionnaire import Choice, Questionnaire, SuggestRule
from wa_review.questionnaires.conditions import ConditionError, parse_condition
from wa_review.questionnaires.yaml_io import YamlProblem, parse_yaml, read_bounded

MAX_QUESTIONNAIRE_BYTES = 1024 * 1024
# The shipped questionnaires live at the top of the repository (questionnaires/, data a reviewer
# reads and extends); `builtin` is a link to that folder, and the wheel carries the files at the
# same place inside the package, so a checkout and an installed copy find them the same way.
BUILTIN_DIR = Path(__file__).parent / "builtin"


class _Problem(Exception):
    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}" if where else what)


def registry_checks() -> frozenset[str]:
    """Registered check ids (imported late: checks are heavy)."""
    from wa_review.checks import check_ids

    return check_ids()


def format_loc(loc: Iterable[int | str]) -> str:
    """('choices', 2, 'checks', 1) -> 'choices[2].checks[1]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe_error(error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (path in the file, what is wrong), in words for people."""
    loc = list(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return format_loc(loc[:-1]), f"unknown key '{loc[-1]}'"
    if kind == "missing":
        return format_loc(loc[:-1]), f"missing required key '{loc[-1]}'"
    message = error["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind in {"literal_error", "enum"}:
        shown = repr(error["input"])
        message += f" (got {shown[:60]})"
    return format_loc(loc), message


def _check_semantics(model: Questionnaire, known: Collection[str] | None) -> None:
    for where, what in semantic_problems(model, known):
        raise _Problem(where, what)


def semantic_problems(
    model: Questionnaire, known: Collection[str] | None
) -> Iterator[tuple[str, str]]:
    """Every cross-check problem as (path in the file, what is wrong), in file order."""
    first_seen: dict[str, int] = {}
    for i, choice in enumerate(model.choices):
        if choice.id in first_seen:
            yield (
                f"choices[{i}].id",
                f"duplicate choice id '{choice.id}' (first at choices[{first_seen[choice.id]}])",
            )
        first_seen[choice.id] = i
    owner: dict[str, str] = {}
    for i, choice in enumerate(model.choices):
        yield from _check_choice_shape(i, choice)
        for j, check in enumerate(choice.checks):
            where = f"choices[{i}].checks[{j}]"
            if check in owner:
                yield (where, f"check '{check}' is already used by '{owner[check]}'")
            owner[check] = choice.id
            if known is not None and check not in known:
                yield (where, f"unknown check '{check}'")
    yield from _check_risk_rules(model)


def _check_choice_shape(i: int, choice: Choice) -> Iterator[tuple[str, str]]:
    where, rule = f"choices[{i}]", choice.suggestion.rule
    if choice.is_none_of_these:
        if rule is not SuggestRule.NONE_OF_THESE:
            yield (f"{where}.suggestion.rule", "a '_no' choice must use 'none_of_these'")
        if choice.checks or choice.level is not None:
            yield (where, "'None of these' takes no checks and no level")
        return
    if rule is SuggestRule.NONE_OF_THESE:
        yield (f"{where}.suggestion.rule", "'none_of_these' is only for the '_no' choice")
    if rule is SuggestRule.EVIDENCE and not choice.checks:
        yield (f"{where}.checks", "rule 'evidence' needs at least one check")
    if rule is SuggestRule.MANUAL and choice.checks:
        yield (f"{where}.checks", "rule 'manual' takes no checks")
    for key in ("level", "guidance"):
        if getattr(choice, key) is None:
            yield (where, f"missing required key '{key}' (every practice has one)")
    if not choice.improvement_plan.strip():
        yield (where, "missing required key 'improvement_plan' (every practice has one)")


def _check_risk_rules(model: Questionnaire) -> Iterator[tuple[str, str]]:
    if sum(1 for c in model.choices if c.is_none_of_these) > 1:
        yield ("choices", "only one 'None of these' choice ('_no') is allowed")
    seen_risks: set[str] = set()
    last = len(model.risk_rules) - 1
    for i, rule in enumerate(model.risk_rules):
        where = f"risk_rules[{i}]"
        if rule.risk in seen_risks:
            yield (f"{where}.risk", f"risk {rule.risk.value} has a rule already")
        seen_risks.add(rule.risk)
        if rule.condition.strip() == "default":
            if i != last:
                yield (f"{where}.condition", "'default' must be the last rule")
            continue
        if i == last:
            yield (f"{where}.condition", "the last rule must be 'default'")
        try:
            parse_condition(rule.condition, choice_ids=model.choice_ids)
        except ConditionError as err:
            yield (f"{where}.condition", f"bad condition: {err}")


def load_questionnaire(
    path: Path,
    *,
    known_check_ids: Collection[str] | None = None,
) -> Questionnaire:
    """Load and validate one questionnaire file.

    The file alone says which checks' evidence supports each choice.

    Args:
        known_check_ids: check ids that exist. Defaults to the check registry.
    """
    path = Path(path)
    if known_check_ids is None:
        known_check_ids = registry_checks()
    name = path.name
    hint = f"Fix {path} and run 'wa-review validate {path}'."
    try:
        raw = parse_yaml(read_bounded(path, max_bytes=MAX_QUESTIONNAIRE_BYTES))
    except OSError as err:
        raise InputFileError(f"{name}: cannot read: {err.strerror}", hint=hint) from err
    except YamlProblem as err:
        raise InputFileError(f"{name}: {err}", hint=hint) from err
    if not isinstance(raw, dict):
        got = type(raw).__name__ if raw is not None else "an empty file"
        raise InputFileError(f"{name}: expected a mapping at the top level, got {got}", hint=hint)
    try:
        model = Questionnaire.model_validate(raw)
    except ValidationError as err:
        where, what = describe_error(err.errors()[0])
        message = f"{name}: {where}: {what}" if where else f"{name}: {what}"
        raise InputFileError(message, hint=hint) from err
    try:
        _check_semantics(model, known_check_ids)
    except _Problem as err:
        raise InputFileError(f"{name}: {err}", hint=hint) from err
    return model


def load_directory(
    folder: Path,
    *,
    known_check_ids: Collection[str] | None = None,
    complete: bool = False,
) -> list[Questionnaire]:
    """Every `*.yaml` under `folder`; (lens, question) pairs must be unique.

    With `complete`, every known check must belong to one of these questionnaires (true of the
    shipped set: a registered check that no question uses is a mistake).
    """
    if known_check_ids is None:
        known_check_ids = registry_checks()
    found: dict[tuple[str, str], Path] = {}
    loaded: list[Questionnaire] = []
    for path in sorted(Path(folder).rglob("*.yaml")):
        model = load_questionnaire(path, known_check_ids=known_check_ids)
        key = (model.lens_alias, model.question_id)
        if key in found:
            raise InputFileError(
                f"{path.name}: question_id: '{model.question_id}' of lens '{model.lens_alias}' "
                f"is also defined in {found[key]}"
            )
        found[key] = path
        loaded.append(model)
    used = {check for q in loaded for c in q.choices for check in c.checks}
    unused = sorted(set(known_check_ids) - used) if complete else []
    if unused:
        raise InputFileError(
            f"{Path(folder).name}: check '{unused[0]}' is registered but no questionnaire uses it",
            hint="List it under the checks of the choice its evidence supports.",
        )
    return loaded
