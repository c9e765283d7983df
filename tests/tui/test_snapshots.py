"""Each screen at 80x24 and 120x40. Fixed column widths and explicit waits keep them stable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.fixed_checks import fixed_questionnaire
from tests.tui.conftest import SIZES, evidence_loaded, first_screen, wait_for
from tests.tui.test_collect_and_push import scripted_collector
from wa_review.aws.context import AwsOptions
from wa_review.tui.app import ReviewApp, make_app
from wa_review.tui.screens import collection
from wa_review.tui.screens.collection import CollectionScreen
from wa_review.tui.screens.dialogs import ReasonDialog
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.widgets.progress_table import ProgressTable

Snap = Any  # pytest-textual-snapshot's snap_compare fixture


def opened(review_dir: Path) -> ReviewApp:
    # A fixed set of checks: adding a check to the shipped YAML changes no snapshot.
    return make_app(evidence_path=review_dir / "evidence.json", questionnaire=fixed_questionnaire())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_without_credentials(snap_compare: Snap, no_credentials: None, size: Any) -> None:
    app = make_app()

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_collection(
    snap_compare: Snap, review_dir: Path, monkeypatch: pytest.MonkeyPatch, size: Any
) -> None:
    monkeypatch.setattr(collection, "collect_evidence", scripted_collector())
    app = make_app(
        start_collection=True,
        session_path=review_dir / "live.review.yaml",
        aws_options=AwsOptions(regions=("us-east-1",)),
        questionnaire=fixed_questionnaire(),
    )

    async def ready(pilot: Pilot[None]) -> None:
        await wait_for(lambda: app.screen.query(ProgressTable) and app.review is not None)
        screen = app.screen
        assert isinstance(screen, CollectionScreen)
        table = screen.query_one(ProgressTable)
        await wait_for(lambda: table.row_count == 3 and screen.errors == 1)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_overview(snap_compare: Snap, review_dir: Path, size: Any) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_practice_with_hostile_names(snap_compare: Snap, review_dir: Path, size: Any) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a1")
        await evidence_loaded(app)
        detail = app.screen.query_one("#detail-body", Static)
        await wait_for(lambda: str(detail.render()).startswith("FAIL"))

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_practice_guidance(snap_compare: Snap, review_dir: Path, size: Any) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a4")
        await evidence_loaded(app)
        await pilot.press("g")
        await wait_for(lambda: app.screen.query_one("#guidance-text").is_mounted)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary(snap_compare: Snap, review_dir: Path, size: Any) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.show_summary()
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(lambda: app.screen.query("#open-items"))
        await wait_for(lambda: "Undecided" in str(app.screen.query_one("#open-items").render()))

    assert snap_compare(app, terminal_size=size, run_before=ready)


def test_not_applicable_reason_dialog(snap_compare: Snap, review_dir: Path) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a2")
        await evidence_loaded(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, ReasonDialog) and app.screen.query("#apply"))

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_overview_in_a_light_theme(snap_compare: Snap, review_dir: Path) -> None:
    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.theme = "textual-light"

    assert snap_compare(app, terminal_size=(120, 40), run_before=ready)


def test_push_form(snap_compare: Snap, review_dir: Path) -> None:
    """The workload form fits 80x24 without scrolling, prefilled from the session."""
    from wa_review.tui.screens.push_form import PushFormScreen

    app = opened(review_dir)

    async def ready(pilot: Pilot[None]) -> None:
        await first_screen(app)
        app.push_screen(PushFormScreen(app.require_review()))
        await wait_for(lambda: isinstance(app.screen, PushFormScreen))
        await wait_for(
            lambda: (
                bool(app.screen.query("#do-plan"))
                and app.screen.query_one("#do-plan").region.area > 0
            )
        )

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
