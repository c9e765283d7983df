"""`wa-review diff OLD NEW`: what changed in the findings since the last review."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from wa_review.commands.fail_on import fail_on_option, report_gate, to_gate
from wa_review.diffing import diff_evidence
from wa_review.diffing.sources import builtin_practices, load_evidence_or_session, registry_severity
from wa_review.diffing.text import render_text
from wa_review.gates import NEW_WORD, matching_new

_GATE_WORDS = (NEW_WORD,)
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@fail_on_option(
    _GATE_WORDS,
    help="Exit with code 8 when the new collection has fail or warn findings the old one did "
    "not: 'new', optionally with 'severity>=LEVEL' (critical, high, medium, low, info).",
)
def diff(old: Path, new: Path, fmt: str, fail_on: tuple[str, ...]) -> int:
    """Compare the findings of two evidence files (or two review sessions' evidence files).

    OLD is the earlier collection (the last approved one), NEW the current one. Findings are
    matched by check, account, Region and resource. A finding whose resource no longer exists
    is listed as gone, not as resolved; one the new collection could not judge (Region not
    collected, stacks or tags changed, read error) is listed as not checked.
    """
    gate = to_gate(fail_on, _GATE_WORDS)
    if gate is not None:  # diff gates only ever look at what is new, with or without the word
        gate = replace(gate, new_only=True)
    _, before = load_evidence_or_session(old)
    _, after = load_evidence_or_session(new)
    result = diff_evidence(
        before, after, severity_of=registry_severity, practice_of=builtin_practices()
    )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result, before, after), nl=False)
    return report_gate(gate, matching_new(gate, result)) if gate else 0
