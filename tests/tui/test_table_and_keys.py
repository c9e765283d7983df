"""The evidence table and the keys: sort shows itself, one key clears the filters, an empty
table says which filters are on, Enter and m work where the README says, help lists each key once."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from tests.tui.conftest import evidence_loaded, first_screen, wait_for
from wa_review.model.evidence import Status
from wa_review.tui.app import make_app
from wa_review.tui.screens.dialogs import HelpDialog
from wa_review.tui.screens.overview import OverviewScreen
from wa_review.tui.screens.practice import PracticeScreen
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.widgets.evidence_rows import SortKey

A1 = "sec_sec_q2_a1"


async def test_sort_filters_and_their_words(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        table = await evidence_loaded(app)
        assert table.columns[table.ordered_columns[0].key].label.plain == "Status ▲"
        await pilot.press("o")
        await wait_for(lambda: table.spec.sort is SortKey.RESOURCE and table.filtered.is_set())
        labels = [c.label.plain for c in table.ordered_columns]
        assert labels[:2] == ["Status", "Resource ▲"]
        await pilot.press("o", "o", "o", "o", "o", "o")  # round the columns back to status
        await wait_for(lambda: table.spec.sort is SortKey.STATUS and table.filtered.is_set())

        app.screen.query_one("#status-filter", Select).value = Status.PASS
        await wait_for(lambda: table.spec.status is Status.PASS and table.filtered.is_set())
        app.screen.query_one("#search", Input).value = "nothing-has-this-name"
        await wait_for(lambda: table.spec.search != "" and table.filtered.is_set())
        assert table.row_count == 0
        body = app.screen.query_one("#detail-body", Static)
        await wait_for(lambda: "No evidence matches" in str(body.render()))
        detail = str(body.render())
        assert "status pass" in detail and "nothing-has-this-name" in detail
        table.focus()
        await pilot.press("c")  # every filter off at once
        await wait_for(
            lambda: table.spec.status is None and not table.spec.search and table.row_count == 6
        )


async def test_enter_on_the_summary_and_m_on_a_practice(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await evidence_loaded(app)
        await pilot.press("m")
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(lambda: app.screen.query_one("#decisions").has_focus)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpDialog))
        keys = [key for key, _text in app.screen.keys]
        assert keys[:2] == ["enter", "↑ ↓"]
        assert len(keys) == len(set(keys))
        assert dict(app.screen.keys)["q"].startswith("Quit")


def test_columns_fill_the_table_and_never_cut_region_or_service_when_wide() -> None:
    from wa_review.tui.widgets.evidence_rows import COLUMNS, PADDING, column_widths

    for available in (118, 150, 198):
        widths = column_widths(available)
        assert sum(widths.values()) + PADDING * len(COLUMNS) == available
        assert widths["region"] >= len("ap-southeast-2") and widths["service"] >= 14
    narrow = column_widths(60)  # too narrow for all: Summary keeps a readable width
    assert narrow["summary"] >= 24 and narrow["status"] == 8
