"""`wa-review assess EVIDENCE -o review.yaml`: suggestions from evidence, without the TUI."""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.assessment import assess as assess_evidence
from wa_review.commands.params import (
    DESCRIPTION,
    REVIEW_OWNER,
    WORKLOAD_NAME,
    from_usage_error,
)
from wa_review.errors import InputFileError, UsageError
from wa_review.model.evidence_file import EvidenceFile, load_evidence_file
from wa_review.model.questionnaire import Questionnaire
from wa_review.outputs import prepare_output
from wa_review.questionnaires import find_questionnaire
from wa_review.review.bundle import evidence_ref
from wa_review.review.outcome import (
    default_workload,
    new_session,
    outcomes,
    refresh_suggestions,
    risk_view,
)
from wa_review.review.session import Environment, ReviewSession, Workload
from wa_review.review.store import load_session, save_session


def _workload(
    current: Workload | None, evidence: EvidenceFile, changes: dict[str, object]
) -> Workload:
    base = (current or default_workload(evidence)).model_dump()
    # Regions and accounts come from the evidence unless the reviewer set them already.
    base["regions"] = base["regions"] or list(evidence.regions)
    base["accounts"] = base["accounts"] or list(evidence.accounts)
    base.update({k: v for k, v in changes.items() if v is not None})
    return Workload.model_validate(base)


def _questionnaire(question: str) -> Questionnaire:
    lens_alias, slash, question_id = question.partition("/")
    if not (lens_alias and slash and question_id):
        raise UsageError(
            f"{question!r} is not LENS/QUESTION", hint="For example serverless/sec_q2."
        )
    return find_questionnaire(lens_alias, question_id)


@click.command()
@click.argument("evidence", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review session file (YAML); decisions already in it are kept.",
)
@click.option(
    "--question",
    default="serverless/sec_q2",
    show_default=True,
    callback=from_usage_error(_questionnaire),
    help="LENS/QUESTION to assess.",
)
@click.option(
    "--workload-name",
    type=WORKLOAD_NAME,
    help=f"Workload name ({WORKLOAD_NAME.low}-{WORKLOAD_NAME.high} characters).",
)
@click.option(
    "--description",
    type=DESCRIPTION,
    help=f"Workload description (at most {DESCRIPTION.high} characters).",
)
@click.option("--environment", type=click.Choice([e.value for e in Environment]))
@click.option(
    "--review-owner", type=REVIEW_OWNER, help="Who owns the review (the WA Tool requires one)."
)
def assess(
    evidence: Path,
    output: Path,
    question: str,
    workload_name: str | None,
    description: str | None,
    environment: str | None,
    review_owner: str | None,
) -> None:
    """Suggest an answer for each choice from EVIDENCE and save them in the review session."""
    # The session is updated in place (decisions kept), but never in a folder made silently.
    prepare_output(output, force=True)
    lens_alias, _, question_id = question.partition("/")
    questionnaire = find_questionnaire(lens_alias, question_id)
    evidence_file = load_evidence_file(evidence)
    changes: dict[str, object] = {
        "name": workload_name,
        "description": description,
        "environment": environment,
        "review_owner": review_owner,
    }
    session: ReviewSession
    if output.exists():
        session = load_session(output)
        if (session.lens_alias, session.question_id) != (lens_alias, question_id):
            raise InputFileError(
                f"{output}: reviews {session.lens_alias}/{session.question_id}, not {question}",
                hint="Use another output file for another question.",
            )
        session = session.model_copy(
            update={"workload": _workload(session.workload, evidence_file, changes)}
        )
    else:
        session = new_session(questionnaire, _workload(None, evidence_file, changes))
    found = assess_evidence(questionnaire, evidence_file.evidence)
    ref = evidence_ref(evidence, output, evidence_file)
    session = refresh_suggestions(session, questionnaire, found, ref)
    save_session(session, output)

    items = outcomes(session, questionnaire, found)
    kept = sum(1 for i in items if i.from_reviewer)
    for item in items:
        first = item.suggestion.reasons[0] if item.suggestion.reasons else ""
        click.echo(f"{item.choice.id:<16} {item.suggestion.state.value:<15} {first}")
    view = risk_view(session, questionnaire, items)
    click.echo(f"Risk (our estimate): {view.estimate.value}")
    click.echo(f"Saved {output} ({kept} reviewer decision(s) kept)")
