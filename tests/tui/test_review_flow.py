"""A full review on the fixture evidence: accept, override, not applicable, notes, export, resume."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.widgets import Button, Input, Select, TextArea
from textual.widgets._footer import FooterKey

from tests.tui.conftest import FIXTURE, click_shown, evidence_loaded, first_screen, wait_for
from wa_review.aws.context import AwsOptions
from wa_review.cli import cli as cli_main
from wa_review.errors import CredentialsError
from wa_review.model.evidence_file import load_evidence_file
from wa_review.review.session import SESSION_NOTES_MAX, Decision, annotate
from wa_review.review.store import load_session
from wa_review.tui.app import ReviewApp, make_app
from wa_review.tui.screens import collection
from wa_review.tui.screens.decision_dialogs import JustifyDialog
from wa_review.tui.screens.dialogs import ConfirmDialog, ErrorDialog, HelpDialog, ReasonDialog
from wa_review.tui.screens.overview import OverviewScreen
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.state import default_session_path
from wa_review.watool.payload import WaReason

A1, A4, A2, A3 = "sec_sec_q2_a1", "sec_sec_q2_a4", "sec_sec_q2_a2", "sec_sec_q2_a3"
NONE = "sec_sec_q2_no"


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
        await pilot.press("u")  # override "select" with "unselect": the TUI asks why
        await wait_for(lambda: isinstance(app.screen, JustifyDialog))
        await pilot.press(*"roles are shared", "enter")
        await wait_for(lambda: decision(app, A4) is Decision.UNSELECTED)
        assert app.require_review().session.choice(A4).justification == "roles are shared"

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
        await pilot.press("escape")  # out of the editor, still on the practice
        await wait_for(lambda: not isinstance(app.focused, TextArea))
        assert isinstance(app.screen, PracticeScreen)
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


async def notes_editor(app: ReviewApp, pilot: Any, which: str) -> TextArea:
    """Open the notes tab of the practice on screen; the TextArea of `which` editor, focused."""
    await pilot.press("e")
    area = app.screen.query_one(f"#{which} TextArea", TextArea)
    area.focus()
    await wait_for(lambda: area.has_focus)
    return area


def counter(app: ReviewApp, which: str) -> str:
    return str(app.screen.query_one(f"#{which} .counter").render())


async def test_choice_notes_over_the_limit_are_kept_and_the_counter_says_so(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await on_practice(app, A1)
        area = await notes_editor(app, pilot, "choice-notes")
        await pilot.press(*"abc")
        await wait_for(lambda: "3 / 250" in counter(app, "choice-notes"))
        area.text = "w" * 300  # a paste
        area.move_cursor(area.document.end)
        await pilot.press(*"x" * 16)  # 316 characters: 66 over the WA Tool's 250
        await wait_for(lambda: "66 over the WA Tool limit; kept" in counter(app, "choice-notes"))
        await pilot.press("escape")  # saved on the way out of the editor
        await wait_for(lambda: app.require_review().session.choice(A1).notes == area.text)
        await app.workers.wait_for_complete()
    saved = load_session(default_session_path(review_dir / "evidence.json"))
    assert saved.choice(A1).notes == "w" * 300 + "x" * 16


async def test_question_notes_over_the_limit_survive_ctrl_q_at_once(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A4)
        await on_practice(app, A4)
        area = await notes_editor(app, pilot, "question-notes")
        area.text = "q" * 2095
        area.move_cursor(area.document.end)
        await pilot.press(*"abcde")  # 2,100: quit before typing settles
        await pilot.press("ctrl+q")
        await wait_for(lambda: app._exit)
    assert load_session(default_session_path(review_dir / "evidence.json")).notes == (
        "q" * 2095 + "abcde"
    )


async def test_notes_too_long_to_keep_ask_before_leaving_or_quitting(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A2)
        await on_practice(app, A2)
        area = await notes_editor(app, pilot, "question-notes")
        area.text = "z" * (SESSION_NOTES_MAX + 1)
        await wait_for(lambda: "a session keeps; not saved" in counter(app, "question-notes"))
        await pilot.press("escape")  # out of the editor: the text stays where it is
        await wait_for(lambda: not area.has_focus)
        await pilot.press("escape")  # leaving the practice would lose it: asked first
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert "Notes on the whole question" in "\n".join(app.screen.lines)
        await click_shown(pilot, "#no")
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        assert area.text == "z" * (SESSION_NOTES_MAX + 1)

        await pilot.press("ctrl+q")  # so would quitting
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.title_text == "Quit without these notes?"
        await click_shown(pilot, "#no")
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        assert not app._exit

        await pilot.press("x")  # and so would going to the export
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.title_text == "Leave without these notes?"
        await click_shown(pilot, "#no")
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))

        area.text = "short again"
        await pilot.press("escape")  # the focus is outside the editor: back, nothing to ask
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        assert app.require_review().session.notes == "short again"


async def test_escape_leaves_the_editor_first_and_the_footer_shows_what_works_there(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await on_practice(app, A1)

        def footer() -> set[str]:
            return {key.description for key in app.screen.query(FooterKey)}

        await wait_for(lambda: "Accept" in footer())
        await notes_editor(app, pilot, "choice-notes")
        await wait_for(lambda: "Accept" not in footer())
        assert footer() == {"Done", "palette"}  # a, s, ], ? would type text here
        await pilot.press(*"as]?")
        await wait_for(lambda: app.screen.query_one("#choice-notes TextArea", TextArea).text)
        assert decision(app, A1) is None  # typed, not decided

        await pilot.press("escape")
        await wait_for(lambda: "Accept" in footer())
        assert isinstance(app.screen, PracticeScreen) and "Done" not in footer()
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        assert app.require_review().session.choice(A1).notes == "as]?"


async def select_none_of_these(app: ReviewApp, pilot: Any) -> None:
    """Press s on "None of these": against the evidence it asks why first (an override), then
    the question about what it clears."""
    await pilot.press("s")
    await wait_for(lambda: isinstance(app.screen, JustifyDialog | ConfirmDialog))
    if isinstance(app.screen, JustifyDialog):
        await pilot.press(*"nothing applies", "enter")
    await wait_for(lambda: isinstance(app.screen, ConfirmDialog))


async def test_none_of_these_asks_before_clearing_a_practice_selected_by_hand(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A4)
        await on_practice(app, A4)
        await pilot.press("s")  # selected by hand, on this screen
        await wait_for(lambda: decision(app, A4) is Decision.SELECTED)

        app.show_practice(NONE)  # another screen
        await on_practice(app, NONE)
        await select_none_of_these(app, pilot)
        said = "\n".join(app.screen.lines)
        assert "Use temporary credentials between resources and components" in said
        assert "becomes Unselected" in said
        await click_shown(pilot, "#no")
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        assert (decision(app, A4), decision(app, NONE)) == (Decision.SELECTED, None)

        await select_none_of_these(app, pilot)
        await click_shown(pilot, "#yes")
        await wait_for(lambda: decision(app, NONE) is Decision.SELECTED)
        assert decision(app, A4) is Decision.UNSELECTED

        app.show_practice(A2)  # nothing of the reviewer's to clear: no question
        await on_practice(app, A2)
        await pilot.press("u")
        await wait_for(lambda: decision(app, A2) is Decision.UNSELECTED)
        assert isinstance(app.screen, PracticeScreen)


async def test_none_of_these_cannot_be_not_applicable(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice("sec_sec_q2_no")
        await on_practice(app, "sec_sec_q2_no")
        await pilot.press("n")
        assert not isinstance(app.screen, ReasonDialog)
        assert decision(app, "sec_sec_q2_no") is None


async def test_a_failed_collection_leaves_no_session_file(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def collect(*_args: Any, **_kwargs: Any) -> None:
        raise CredentialsError("No AWS credentials were found.", hint="Try 'wa-review demo'.")

    monkeypatch.setattr(collection, "collect_evidence", collect)
    app = make_app(start_collection=True)
    async with app.run_test(size=(80, 24)):
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        await app.workers.wait_for_complete()
        assert app.session_file() is None
    assert sorted(p.name for p in review_dir.iterdir()) == ["evidence.json"]


async def test_the_app_says_where_the_session_is_on_open_in_the_help_and_on_quit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    here.mkdir()
    shutil.copy(FIXTURE, elsewhere / "evidence.json")
    monkeypatch.chdir(here)
    session = (elsewhere / "evidence.review.yaml").resolve()
    app = make_app(evidence_path=Path("../elsewhere/evidence.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        await wait_for(lambda: any(str(session) in n.message for n in app._notifications))
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpDialog))
        assert str(session) in app.screen.session
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, HelpDialog))
        await pilot.press("ctrl+q")
        await wait_for(lambda: app._exit)
    assert app.session_file() == Path("../elsewhere/evidence.review.yaml")
    assert not list(here.iterdir())  # nothing written where the reviewer stands


def test_quitting_wa_review_review_says_where_the_session_is(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[ReviewApp] = []

    def run_headless(self: ReviewApp) -> None:  # App.run needs a terminal; Pilot drives it
        async def drive() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                await first_screen(self)
                await pilot.press("ctrl+q")

        asyncio.run(drive())
        ran.append(self)

    monkeypatch.setattr(ReviewApp, "run", run_headless)
    result = CliRunner().invoke(cli_main, ["review", "--evidence", "evidence.json"])
    assert result.exit_code == 0, result.output
    assert ran
    assert "Review session: evidence.review.yaml (resume: wa-review review --session" in (
        result.output
    )


async def test_a_collected_session_records_the_accounts_and_regions_it_covers(
    review_dir: Path, moto: Any
) -> None:
    app = make_app(
        start_collection=True,
        session_path=review_dir / "live.review.yaml",
        aws_options=AwsOptions(regions=("us-east-1",), max_attempts=2),
        session_factory=lambda **_: moto,
    )
    async with app.run_test(size=(120, 40)):
        await wait_for(
            lambda: app.review is not None and app.review.evidence_file is not None, timeout=60
        )
        await app.workers.wait_for_complete()
    saved = load_session(review_dir / "live.review.yaml")
    evidence = load_evidence_file(review_dir / "live.evidence.json")
    assert evidence.accounts and evidence.regions == ("us-east-1",)
    assert saved.workload.accounts == list(evidence.accounts)
    assert saved.workload.regions == ["us-east-1"]
    assert saved.workload.name == f"serverless-{evidence.accounts[0]}"


async def test_the_tui_push_refuses_notes_over_the_limit_before_reaching_the_wa_tool(
    review_dir: Path,
) -> None:
    def no_wa_tool(_region: str) -> object:
        return object()  # any call on it would fail with another error than the one expected

    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=no_wa_tool)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        session = app.require_review().session
        app.update_session(annotate(session, A3, "n" * 250 + " and the tail"))
        app.show_summary("push")
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(lambda: app.screen.query("#do-push"))
        app.screen.query_one("#do-push").focus()
        await pilot.press("enter")  # the push form
        await wait_for(lambda: app.screen.query("#do-plan"))
        await click_shown(pilot, "#do-plan")
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        assert "Design smaller, single purpose functions (sec_sec_q2_a3)" in app.screen.message
        assert "would cut: ' and the tail'" in app.screen.message
        assert app.require_review().session.choice(A3).notes.endswith(" and the tail")
