"""`wa-review validate [PATH]`: check questionnaire YAML (the shipped set by default)."""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.model.questionnaire import Questionnaire
from wa_review.questionnaires import BUILTIN_DIR, load_builtin, load_directory, load_questionnaire
from wa_review.report.lens import to_custom_lens


def _line(model: Questionnaire, where: str) -> str:
    checks = len(model.check_ids)
    return (
        f"OK  {where}: {len(model.choices)} choices, {checks} checks, "
        f"{len(model.risk_rules)} risk rules"
    )


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def validate(path: Path | None) -> None:
    """Validate questionnaire YAML: structure, ids, check ids, risk rules and lens limits.

    PATH is a file or a folder of *.yaml; without it, the questionnaires wa-review ships.
    """
    if path is None:
        found = [(m, f"{m.lens_alias}/{m.question_id}") for m in load_builtin()]
        source = str(BUILTIN_DIR)
    elif path.is_dir():
        found = [(m, f"{m.lens_alias}/{m.question_id}") for m in load_directory(path)]
        source = str(path)
    else:
        found = [(load_questionnaire(path), path.name)]
        source = str(path)
    for model, where in found:
        to_custom_lens([model])  # raises if the WA Tool would refuse the text as a lens
        click.echo(_line(model, where))
    click.echo(f"{len(found)} questionnaire(s) valid in {source}")
