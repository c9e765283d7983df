"""A full review on the fixture evidence: accept, override, not applicable, notes, export, resume."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Select

from tests.tui.conftest import click_shown, evidence_loaded, first_screen, wait_for
from wa_review.review.session import Decision
from wa_review.review.store import load_session
from wa_review.tui.app import ReviewApp, make_app
from wa_review.tui.screens.dialogs import ConfirmDialog, ReasonDialog
from wa_review.tui.screens.overview import OverviewScreen
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.state import default_session_path
from wa_review.watool.payload import WaReason

A1, A4, A2, A3 = "sec_sec_q2_a1", "sec_sec_q2_a4", "sec_sec_q2_a2", "sec_sec_q2_a3"


def decision(app: ReviewApp, choice_id: str) -> Decision | None:
    return app.require_review().session.choice(choice_id).decision


async def on_practice(app: ReviewApp, choice_id: str) -> None:
    await wait_for(
        lambda: isinstance(app.screen, PracticeScreen) and app.screen.choice_id == choice_id
    )
    await evidence_loaded(app)


async def test_a_full_review_is_saved_as_it_goes_and_resumes_after_a_restart(
    review_dir: Path,
) -> None:
    evidence = review_dir / "evidence.json"
    app = make_app(evidence_path=evidence)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("enter")  # the first practice
        await on_practice(app, A1)

        await pilot.press("a")  # accept: the evidence says "do not select"
        await wait_for(lambda: decision(app, A1) is Decision.UNSELECTED)

        await pilot.press("right_square_bracket")
        await on_practice(app, A4)
        await pilot.press("u")  # override "select" with "unselect"
        await wait_for(lambda: decision(app, A4) is Decision.UNSELECTED)

        await pilot.press("right_square_bracket")
        await on_practice(app, A2)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, ReasonDialog))
        app.screen.query_one(Select).value = WaReason.ARCHITECTURE_CONSTRAINTS
        await click_shown(pilot, "#apply")
        await wait_for(lambda: decision(app, A2) is Decision.NOT_APPLICABLE)
        assert app.require_review().session.choice(A2).reason is WaReason.ARCHITECTURE_CONSTRAINTS

        await pilot.press("right_square_bracket")
        await on_practice(app, A3)
        await pilot.press("e")
        await pilot.press(*"Split the [bold]monolith[/]")
        await pilot.press("escape")  # back to the overview: the notes are saved on the way
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await wait_for(
            lambda: app.require_review().session.choice(A3).notes == "Split the [bold]monolith[/]"
        )

        await pilot.press("x")  # export, from anywhere
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        report = review_dir / "out" / "review.md"
        app.screen.query_one("#export-path", Input).value = str(report)
        assert app.screen.query_one("#do-export", Button).has_focus
        await pilot.press("enter")  # the folder out/ does not exist: asked first
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert f"The folder {report.parent} does not exist" in "\n".join(app.screen.lines)
        await click_shown(pilot, "#yes")
        await wait_for(report.exists)
        assert "Evaluate and define resource policies" in report.read_text(encoding="utf-8")
        await app.workers.wait_for_complete()

    session_path = default_session_path(evidence)
    saved = load_session(session_path)
    assert saved.position == A3
    assert saved.choice(A4).decision is Decision.UNSELECTED

    again = make_app(session_path=session_path)
    async with again.run_test(size=(120, 40)):
        await on_practice(again, A3)  # resumed where the reviewer left off
        review = again.require_review()
        assert review.evidence_file is not None and len(review.evidence_file.evidence) == 15
        assert decision(again, A1) is Decision.UNSELECTED
        assert decision(again, A2) is Decision.NOT_APPLICABLE
        assert review.session.choice(A3).notes == "Split the [bold]monolith[/]"


async def test_question_notes_have_a_live_counter_and_refuse_more_than_the_limit(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await on_practice(app, A1)
        await pilot.press("e")
        editor = app.screen.query_one("#choice-notes")
        counter = editor.query_one(".counter")
        await pilot.press(*"abc")
        await wait_for(lambda: "3 / 250" in str(counter.render()))
        editor.query_one("TextArea").text = "x" * 251  # type: ignore[attr-defined]
        await wait_for(lambda: "1 over the WA Tool limit" in str(counter.render()))
        editor.commit()  # type: ignore[attr-defined]
        assert app.require_review().session.choice(A1).notes != "x" * 251


async def test_none_of_these_cannot_be_not_applicable(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice("sec_sec_q2_no")
        await on_practice(app, "sec_sec_q2_no")
        await pilot.press("n")
        assert not isinstance(app.screen, ReasonDialog)
        assert decision(app, "sec_sec_q2_no") is None
