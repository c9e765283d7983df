"""A reviewer typing notes past the WA Tool's limit in the real app: run as a child process
that the test kills with SIGKILL.

    python -m tests.hardening.notes_loop EVIDENCE.json

It opens the review of EVIDENCE headless (Textual's Pilot, the app's own keys and timers),
pastes 300 characters into the first practice's notes (the WA Tool takes 250), then types 8
more at a time. Once the session file holds everything typed so far, it prints `ACK <length>`:
notes the child acknowledged are notes the reviewer saw saved.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.widgets import TextArea

from tests.tui.conftest import evidence_loaded, first_screen, wait_for
from wa_review.errors import WaReviewError
from wa_review.review.store import load_session
from wa_review.tui.app import make_app
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.state import default_session_path

CHOICE = "sec_sec_q2_a1"
PASTED = "w" * 300


def typed_after(steps: int) -> str:
    """The notes once `steps` chunks have been typed after the paste."""
    return PASTED + "".join(f"{step:07d} " for step in range(steps))


def saved_notes(path: Path) -> str | None:
    try:
        return load_session(path).choice(CHOICE).notes
    except WaReviewError:  # not written yet
        return None


async def main(evidence: Path) -> None:
    session = default_session_path(evidence)
    app = make_app(evidence_path=evidence)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(CHOICE)
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        await evidence_loaded(app)
        await pilot.press("e")
        area = app.screen.query_one("#choice-notes TextArea", TextArea)
        area.focus()
        area.text = PASTED
        area.move_cursor(area.document.end)
        step = 0
        while True:
            await pilot.press(*f"{step:07d} ")
            step += 1
            typed = area.text
            assert typed == typed_after(step), typed
            await wait_for(lambda typed=typed: saved_notes(session) == typed, timeout=60)
            sys.stdout.write(f"ACK {len(typed)}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
