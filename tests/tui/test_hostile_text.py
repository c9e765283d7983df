"""Names, tags and policy text from AWS render literally and never break the layout."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.tui.conftest import evidence_loaded, first_screen, wait_for
from wa_review.tui.app import make_app
from wa_review.tui.widgets.detail_pane import DetailPane

HOSTILE = ("[bold]x[/]", "[/]", "\\x1b[31mred", "<script>alert(1)</script>")


async def test_hostile_names_render_literally_in_the_table_and_the_detail_pane(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a1")
        table = await evidence_loaded(app)

        names = [table.get_row_at(i)[1].text for i in range(table.row_count)]
        plain = [name.plain for name in names]
        for hostile in HOSTILE:
            assert hostile in plain
        assert all(not name.spans and name.style == "" for name in names)  # no markup applied
        assert all(table.rows[key].height == 1 for key in table.rows)  # one line per row

        await pilot.press("down")  # the unknown row: its error message carries an OSC sequence
        detail = app.screen.query_one(DetailPane).query_one("#detail-body", Static)
        await wait_for(lambda: "\\x1b]0;pwned\\x07" in str(detail.render()))

        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen
        for hostile in ("[bold]x[/]", "\\x1b[31mred"):
            assert hostile in screen.replace("&#160;", " ")


async def test_the_policy_statement_is_pretty_printed_with_its_markup_intact(
    review_dir: Path,
) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)):
        await first_screen(app)
        app.show_practice("sec_sec_q2_a1")
        await evidence_loaded(app)
        detail = app.screen.query_one("#detail-body", Static)
        await wait_for(lambda: '"Sid": "[bold]open[/]"' in str(detail.render()))
        text = str(detail.render())
        assert "Principal '*' with no condition" in text
        assert "Remediation" in text
