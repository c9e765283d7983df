"""`wa-review validate [PATH]`: check questionnaire YAML (the shipped set by default).

Every problem in every file is printed as `file:line:column: message`, not only the first one,
and the exit code is 2 when anything is wrong.
"""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.errors import UsageError, WaReviewError
from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires import BUILTIN_DIR, builtin_paths, load_builtin
from wa_review.questionnaires.diagnose import Diagnostic, diagnose_file
from wa_review.questionnaires.loader import registry_checks
from wa_review.report.lens import to_custom_lens


def _line(model: Questionnaire, where: str) -> str:
    checks = len(model.check_ids)
    return (
        f"OK  {where}: {len(model.choices)} choices, {checks} checks, "
        f"{len(model.risk_rules)} risk rules"
    )


def _check_file(
    path: Path, known: frozenset[str], seen: dict[tuple[str, str], Path]
) -> list[Diagnostic]:
    model, problems = diagnose_file(path, known_check_ids=known)
    if model is not None:
        key = (model.lens_alias, model.question_id)
        if key in seen:
            problems.append(
                Diagnostic(
                    path,
                    None,
                    None,
                    f"question_id: '{model.question_id}' of lens '{model.lens_alias}' "
                    f"is also defined in {seen[key]}",
                )
            )
        seen.setdefault(key, path)
        try:
            to_custom_lens([model])  # the WA Tool's limits on a lens
        except WaReviewError as err:
            problems.append(Diagnostic(path, None, None, f"as a WA Tool lens: {err}"))
    if model is not None and not problems:
        click.echo(_line(model, f"{model.lens_alias}/{model.question_id}"))
    return problems


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate(path: Path | None) -> None:
    """Validate questionnaire YAML: structure, ids, check ids, risk rules and lens limits.

    PATH is a file or a folder of *.yaml; without it, the questionnaires wa-review ships.
    Every problem is reported with its file and line; exit code 2 if there is any.
    """
    if path is None:
        files, source = builtin_paths(), BUILTIN_DIR
    elif path.is_dir():
        files, source = sorted(path.rglob("*.yaml")), path
    else:
        files, source = [path], path
    known = registry_checks()
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, str], Path] = {}
    for file in files:
        problems.extend(_check_file(file, known, seen))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        bad = len({p.path for p in problems})
        raise UsageError(
            f"{len(problems)} problem(s) in {bad} of {len(files)} questionnaire file(s)",
            hint=f"Fix {source} at the lines above, then run 'wa-review validate"
            + (f" {path}'." if path is not None else "'."),
        )
    if path is None:
        load_builtin()  # the shipped set must also use every registered check
    click.echo(f"{len(files)} questionnaire(s) valid in {source}")
