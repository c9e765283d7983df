"""After a push, the review session remembers what the WA Tool said (its risk, lens version)."""

from __future__ import annotations

from pathlib import Path

from wa_review.model.questionnaire import Risk
from wa_review.review.session import ReviewSession, WaToolRecord, now_utc
from wa_review.watool.push import PushOutcome, PushResult


def with_push_result(session: ReviewSession, result: PushResult) -> ReviewSession:
    """The session with the WA Tool's own view; unchanged when nothing was confirmed."""
    if result.outcome not in (PushOutcome.WRITTEN, PushOutcome.UNCHANGED):
        return session
    risk_text = (
        result.risk_after if result.outcome is PushOutcome.WRITTEN else result.plan.risk_before
    )
    risk = Risk(risk_text) if risk_text and risk_text in {r.value for r in Risk} else None
    record = WaToolRecord(
        workload_id=result.plan.workload_id,
        lens_version=result.plan.lens_version,
        risk=risk,
        pushed_at=now_utc(),
        milestone_number=result.milestone_number,
    )
    return session.model_copy(update={"watool": record})


def record_push_in_file(path: Path, result: PushResult) -> bool:
    """Save the WA Tool's answer into a session file; False when `path` is not a session."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    from wa_review.review.store import load_session, save_session

    save_session(with_push_result(load_session(path), result), path)
    return True
