"""The start screen without credentials, and errors shown in a dialog with their hint."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.tui.conftest import first_screen, wait_for
from wa_review.tui.app import make_app
from wa_review.tui.screens.dialogs import ErrorDialog
from wa_review.tui.screens.start import StartScreen
from wa_review.tui.state import open_review


async def test_without_credentials_the_start_screen_points_at_the_demo(
    no_credentials: None, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        await first_screen(app)
        assert isinstance(app.screen, StartScreen)
        identity = str(app.screen.query_one("#identity", Static).render())
        assert "No AWS credentials were found." in identity
        assert "wa-review demo" in identity


async def test_a_damaged_evidence_file_shows_the_error_and_its_hint(tmp_path: Path) -> None:
    damaged = tmp_path / "evidence.json"
    damaged.write_text('{"schema_version": 1, "evidence": [', encoding="utf-8")
    app = make_app(evidence_path=damaged)
    async with app.run_test(size=(80, 24)):
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "not valid JSON" in dialog.message
        assert "collect' again" in dialog.hint
        await wait_for(lambda: dialog.query("#error-hint"))
        hint = str(dialog.query_one("#error-hint", Static).render())
        assert hint.startswith("Hint: The file may be truncated")
        dialog.dismiss(None)
        await wait_for(lambda: isinstance(app.screen, StartScreen))


async def test_opening_a_session_from_the_palette_command(review_dir: Path) -> None:
    open_review(evidence_path=review_dir / "evidence.json")  # saves evidence.review.yaml
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: app.current_mode == "start")
        await pilot.press("ctrl+p", *"open session")
        await wait_for(
            lambda: (
                app.screen.query("CommandList")
                and app.screen.query_one("CommandList").option_count == 1
            )
        )  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(lambda: app.screen.query("#path"))
        await pilot.press(*"evidence.review.yaml", "enter")
        await wait_for(lambda: app.review is not None and app.current_mode == "review")
        assert app.require_review().evidence_file is not None
