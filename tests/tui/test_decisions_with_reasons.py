"""Decisions with reasons in the TUI: overrides ask why, a finding accepted as an exception
changes the suggestion, the whole question can be not applicable, severity filters the table."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from tests.tui.conftest import click_shown, evidence_loaded, first_screen, wait_for
from wa_review.assessment import NEEDS_REVIEWER, ChoiceState
from wa_review.model.evidence import Severity, Status
from wa_review.review.session import Decision
from wa_review.review.store import load_session
from wa_review.tui.app import make_app
from wa_review.tui.screens.decision_dialogs import ExceptionDialog, JustifyDialog
from wa_review.tui.screens.dialogs import ReasonDialog
from wa_review.tui.screens.overview import OverviewScreen

A1, A4 = "sec_sec_q2_a1", "sec_sec_q2_a4"
REASON = "The public function only serves the status page"


async def test_selecting_against_failing_evidence_asks_why_and_keeps_it(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await evidence_loaded(app)
        assert app.require_review().assessment.get(A1).state is ChoiceState.UNSELECTED
        await pilot.press("s")
        await wait_for(lambda: isinstance(app.screen, JustifyDialog))
        await pilot.press("enter")  # no reason: the dialog stays and says what is missing
        error = app.screen.query_one("#justify-error", Static)
        assert "Say why" in str(error.render())
        assert app.require_review().session.choice(A1).decision is None
        app.screen.query_one("#justification", Input).value = REASON
        await pilot.press("enter")
        await wait_for(lambda: app.require_review().session.choice(A1).decision is not None)
        record = app.require_review().session.choice(A1)
        assert (record.decision, record.justification) == (Decision.SELECTED, REASON)
        assert app.require_review().outcome(A1).is_override
        decision = str(app.screen.query_one("#decision", Static).render())
        assert "override" in decision and REASON in decision
        await app.workers.wait_for_complete()
    saved = load_session(app.require_review().session_path)
    assert saved.choice(A1).justification == REASON


async def test_unselecting_what_the_evidence_supports_can_be_cancelled(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A4)
        await evidence_loaded(app)
        assert app.require_review().assessment.get(A4).state is ChoiceState.SELECTED
        await pilot.press("u")
        await wait_for(lambda: isinstance(app.screen, JustifyDialog))
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, JustifyDialog))
        assert app.require_review().session.choice(A4).decision is None
        await pilot.press("a")  # accepting the suggestion agrees with the evidence: no question
        await wait_for(lambda: app.require_review().session.choice(A4).decision is not None)
        assert app.require_review().session.choice(A4).decision is Decision.SELECTED


async def test_an_accepted_finding_changes_the_suggestion_and_can_be_withdrawn(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        table = await evidence_loaded(app)
        failing = table.evidence_at_cursor()
        assert failing is not None and failing.status is Status.FAIL  # worst first
        await pilot.press("A")
        await wait_for(lambda: isinstance(app.screen, ExceptionDialog))
        app.screen.query_one("#exception-reason", Input).value = "Fixed in the next release"
        app.screen.query_one("#owner", Input).value = "team-a"
        app.screen.query_one("#expires", Input).value = "next week"
        await click_shown(pilot, "#apply")
        error = app.screen.query_one("#exception-error", Static)
        assert "not a date" in str(error.render())
        expires = app.screen.query_one("#expires", Input)
        expires.value = "2099-12-31"
        expires.focus()
        await pilot.press("enter")  # Enter in any field submits too
        await wait_for(lambda: bool(app.require_review().session.exceptions))
        accepted = app.require_review().session.exceptions[0]
        assert (accepted.check_id, accepted.resource_arn) == (
            failing.check_id,
            failing.resource_arn,
        )
        assert accepted.owner == "team-a" and accepted.expires is not None
        suggestion = app.require_review().assessment.get(A1)
        # The unknown row is still there: a person decides, but nothing fails any more.
        assert suggestion.state is NEEDS_REVIEWER
        assert suggestion.accepted == (failing,)
        await wait_for(lambda: isinstance(app.screen.focused, type(table)))
        await pilot.press("A")  # again on the same finding: withdrawn, it counts again
        await wait_for(lambda: not app.require_review().session.exceptions)
        assert app.require_review().assessment.get(A1).state is ChoiceState.UNSELECTED


async def test_the_whole_question_can_be_not_applicable_from_the_overview(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, ReasonDialog))
        await click_shown(pilot, "#apply")
        await wait_for(lambda: not app.require_review().session.is_applicable)
        assert app.require_review().risk.shown.value == "NOT_APPLICABLE"
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("n")  # again: the question applies again
        await wait_for(lambda: app.require_review().session.is_applicable)


async def test_severity_filters_and_sorts_the_evidence(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        table = await evidence_loaded(app)
        assert table.row_count == 6
        app.screen.query_one("#severity-filter", Select).value = Severity.CRITICAL
        await wait_for(lambda: table.spec.severity is Severity.CRITICAL and table.filtered.is_set())
        severities = {table.get_row_at(i)[2].value for i in range(table.row_count)}
        assert severities == {"critical"} and table.row_count == 5  # the warn row is high
        app.screen.query_one("#severity-filter", Select).clear()
        await wait_for(lambda: table.spec.severity is None and table.filtered.is_set())
        await pilot.press("o", "o")  # status -> resource -> severity
        await wait_for(lambda: table.spec.sort.value == "severity" and table.filtered.is_set())
        assert table.get_row_at(0)[2].value == "critical"
