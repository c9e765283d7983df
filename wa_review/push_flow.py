"""A push seen from the review session: what it pushes, to which workload, and what it records.

One place for the CLI, the TUI and the demo: the workload to create comes from the session
(what `assess` stored) with the command line's values on top, and the WA Tool's answer is
written back into the session the same way whoever pushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wa_review.errors import UsageError
from wa_review.model.questionnaire import Risk
from wa_review.review.payload import payload_from_session_file
from wa_review.review.session import ReviewSession, WaToolRecord, Workload, now_utc
from wa_review.watool.payload import AnswerPayload
from wa_review.watool.plan import PushOutcome, PushResult
from wa_review.watool.source import SESSION_SUFFIXES, load_payload
from wa_review.watool.workload import WorkloadSpec


@dataclass(frozen=True, slots=True)
class PushInput:
    """What `push` was given: the answer, and the session it came from (None for JSON)."""

    path: Path
    payload: AnswerPayload
    session: ReviewSession | None


def load_push_input(path: Path) -> PushInput:
    """A review session (.yaml: its answer, built from its evidence) or a JSON answer file."""
    path = Path(path)
    if path.suffix.lower() not in SESSION_SUFFIXES:
        return PushInput(path, load_payload(path), None)
    from wa_review.review.store import load_session

    return PushInput(path, payload_from_session_file(path), load_session(path))


@dataclass(frozen=True, slots=True)
class WorkloadValues:
    """Workload values given on the command line or in the TUI form (None: not given)."""

    name: str | None = None
    environment: str | None = None
    review_owner: str | None = None
    description: str | None = None


def workload_values(session: ReviewSession | None, given: WorkloadValues) -> WorkloadValues:
    """The values to use: each given one, else the session's (what `assess` stored)."""
    stored = session.workload if session is not None else None
    return WorkloadValues(
        name=given.name or (stored.name if stored else None),
        environment=given.environment or (stored.environment.value if stored else None),
        review_owner=given.review_owner or (stored.review_owner if stored else None) or None,
        description=given.description or (stored.description if stored else None) or None,
    )


CLI_NAMES = {
    "name": "--workload-name",
    "environment": "--environment",
    "review_owner": "--review-owner",
    "description": "--description",
}
CLI_HINT = (
    "Pass them on the command line, or store them with 'wa-review assess --workload-name ... "
    "--environment ... --review-owner ... --description ...'."
)


def workload_spec(
    session: ReviewSession | None,
    given: WorkloadValues,
    *,
    region: str,
    names: dict[str, str] = CLI_NAMES,
    hint: str = CLI_HINT,
) -> WorkloadSpec:
    """The one way a workload to create is described: given values over the session's, the
    Regions and accounts the evidence covers (else the push's Region). Nothing is invented:
    a value neither given nor stored is a usage error naming the option."""
    values = workload_values(session, given)
    missing = [
        names[field]
        for field, value in (
            ("name", values.name),
            ("environment", values.environment),
            ("review_owner", values.review_owner),
            ("description", values.description),
        )
        if not value
    ]
    if missing:
        where = " (the review session has none)" if session is not None else ""
        raise UsageError(f"Creating the workload needs {', '.join(missing)}{where}.", hint=hint)
    assert values.name and values.environment and values.review_owner and values.description
    stored: Workload | None = session.workload if session is not None else None
    regions = tuple(stored.regions) if stored and stored.regions else (region,)
    accounts = tuple(stored.accounts) if stored else ()
    spec = WorkloadSpec(
        values.name,
        values.environment,
        values.review_owner,
        values.description,
        regions,
        accounts,
    )
    spec.validate()
    return spec


def coverage(session: ReviewSession | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (Regions, accounts) the review covers, for the workload update the plan offers."""
    if session is None:
        return (), ()
    return tuple(session.workload.regions), tuple(session.workload.accounts)


def pending_milestone(session: ReviewSession | None) -> str | None:
    """A milestone the last push could not create after writing: this push retries it."""
    record = session.watool if session is not None else None
    return record.pending_milestone if record is not None else None


def record_push(session: ReviewSession, result: PushResult) -> ReviewSession:
    """The session with what the WA Tool said (its risk, lens version, milestone); unchanged
    when nothing was pushed (a dry run, a "no")."""
    if result.outcome not in (PushOutcome.WRITTEN, PushOutcome.UNCHANGED):
        return session
    plan = result.plan
    risk_text = result.risk_after or plan.risk_before
    risk = Risk(risk_text) if risk_text in {r.value for r in Risk} else None
    previous = session.watool
    pending = result.pending_milestone
    if pending is None and result.milestone_number is None and previous is not None:
        pending = previous.pending_milestone  # not retried this time: still owed
    record = WaToolRecord(
        workload_id=plan.workload_id,
        lens_version=plan.lens_version,
        risk=risk,
        pushed_at=now_utc(),
        milestone_number=result.milestone_number
        or (previous.milestone_number if previous else None),
        pending_milestone=pending,
    )
    return session.model_copy(update={"watool": record})


def record_push_in_file(path: Path, result: PushResult) -> bool:
    """Save the WA Tool's answer into a session file; False when nothing was recorded (not a
    session, or nothing was pushed: a dry run writes nothing anywhere)."""
    if Path(path).suffix.lower() not in SESSION_SUFFIXES:
        return False
    if result.outcome not in (PushOutcome.WRITTEN, PushOutcome.UNCHANGED):
        return False
    from wa_review.review.store import load_session, save_session

    save_session(record_push(load_session(path), result), path)
    return True
