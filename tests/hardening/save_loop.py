"""A reviewer who never stops deciding: run as a child process that the test kills with SIGKILL.

    python -m tests.hardening.save_loop REVIEW.yaml

Each step makes one decision, records the step in the question notes, saves the session and
then prints `ACK <step>`: a decision the child acknowledged is one the reviewer saw confirmed.
Started again on the same file, it carries on from the step it finds there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wa_review.questionnaires import sec2
from wa_review.review.outcome import new_session
from wa_review.review.session import Decision, ReviewSession, Workload, decide, with_question_notes
from wa_review.review.store import load_session, save_session

DECISIONS = (Decision.SELECTED, Decision.UNSELECTED, Decision.NOT_APPLICABLE, None)


def practices() -> list[str]:
    return [c.id for c in sec2().choices if not c.is_none_of_these]


def step_of(session: ReviewSession) -> int:
    """The last step saved in `session` (-1 for a new one)."""
    notes = session.notes
    return int(notes.removeprefix("step ")) if notes.startswith("step ") else -1


def decision_at(step: int, ids: list[str]) -> tuple[str, Decision | None]:
    return ids[step % len(ids)], DECISIONS[(step // len(ids)) % len(DECISIONS)]


def expected_after(step: int, ids: list[str]) -> dict[str, Decision | None]:
    """Every practice's decision once steps 0..step have been applied."""
    found: dict[str, Decision | None] = dict.fromkeys(ids)
    for n in range(step + 1):
        choice, decision = decision_at(n, ids)
        found[choice] = decision
    return found


def main(path: Path) -> None:
    ids = practices()
    session = (
        load_session(path) if path.exists() else new_session(sec2(), Workload(name="kill-test"))
    )
    step = step_of(session)
    while True:
        step += 1
        choice, decision = decision_at(step, ids)
        session = decide(session, choice, decision, by=f"reviewer-{step}")
        session = with_question_notes(session, f"step {step}")
        save_session(session, path)
        sys.stdout.write(f"ACK {step}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
