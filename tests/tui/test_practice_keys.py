"""The practice screen's evidence controls, the key help and the export formats."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Input, Select

from tests.tui.conftest import click_shown, evidence_loaded, first_screen, wait_for
from wa_review.model.evidence import Status
from wa_review.tui.app import make_app
from wa_review.tui.screens.dialogs import ConfirmDialog, ErrorDialog, HelpDialog
from wa_review.tui.screens.summary import SummaryScreen
from wa_review.tui.widgets.evidence_rows import SortKey


async def test_filter_by_status_and_service_sort_and_search(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a1")
        table = await evidence_loaded(app)
        assert table.row_count == 6

        app.screen.query_one("#status-filter", Select).value = Status.PASS
        await wait_for(lambda: table.spec.status is Status.PASS and table.filtered.is_set())
        assert table.row_count == 2

        app.screen.query_one("#status-filter", Select).clear()
        app.screen.query_one("#service-filter", Select).value = "sqs"
        await wait_for(lambda: table.spec.service == "sqs" and table.filtered.is_set())
        assert [table.get_row_at(0)[0].text.plain] == ["n/a"]

        app.screen.query_one("#service-filter", Select).clear()
        await wait_for(lambda: table.spec.service is None and table.filtered.is_set())
        await pilot.press("o")  # sort by the next column: resource
        await wait_for(lambda: table.spec.sort is SortKey.RESOURCE and table.filtered.is_set())
        names = [table.get_row_at(i)[1].text.plain for i in range(table.row_count)]
        assert names == sorted(names, key=str.lower)

        await pilot.press("slash", *"script")
        await wait_for(lambda: table.spec.search == "script" and table.filtered.is_set())
        assert table.row_count == 1

        await pilot.press("escape")  # out of the search box, back to the table
        await wait_for(lambda: table.has_focus)
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpDialog))
        keys = dict(app.screen.keys)
        assert keys["a"] == "Accept the suggestion"
        assert keys["?"] == "Help"


async def test_choosing_a_format_changes_the_export_file_name(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_summary()
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(lambda: app.screen.query("#format SelectCurrent #label"))
        path = app.screen.query_one("#export-path", Input)
        assert path.value == "reports/serverless-123456789012-sec2.md"
        app.screen.query_one("#format", Select).value = "lens"
        await wait_for(lambda: path.value.endswith(".lens.json"))
        assert path.value == "reports/serverless-123456789012-sec2.lens.json"

        path.value = ""
        app.screen.query_one("#do-export").focus()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ErrorDialog))
        assert "needs a file name" in app.screen.message


def test_review_command_options_and_lazy_textual() -> None:
    from wa_review.commands.review import review

    result = CliRunner().invoke(review, ["--help"])
    assert result.exit_code == 0
    for option in ("--profile", "--region", "--stack", "--tag", "--evidence", "--session"):
        assert option in result.output
    probe = "import sys, wa_review.commands.review; print('textual' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False"


async def test_export_asks_before_replacing_a_file(review_dir: Path) -> None:
    target = review_dir / "mine.md"
    target.write_text("my own notes\n", encoding="utf-8")
    app = make_app(evidence_path=review_dir / "evidence.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_summary("export")
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(lambda: app.screen.query("#format SelectCurrent #label"))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#do-export").focus()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.lines == [f"{target} already exists: it will be replaced."]
        await click_shown(pilot, "#no")
        await wait_for(lambda: isinstance(app.screen, SummaryScreen))
        await app.workers.wait_for_complete()
        assert target.read_text(encoding="utf-8") == "my own notes\n"

        app.screen.query_one("#do-export").focus()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        await click_shown(pilot, "#yes")
        await wait_for(lambda: target.read_text(encoding="utf-8").startswith("# SEC2 review:"))


async def test_the_push_form_asks_before_its_pdf_replaces_a_file(review_dir: Path) -> None:
    pdf = review_dir / "mine.pdf"
    pdf.write_bytes(b"%PDF my own")
    clients: list[str] = []

    def wa_tool(region: str) -> object:
        clients.append(region)
        return object()

    app = make_app(evidence_path=review_dir / "evidence.json", watool_factory=wa_tool)
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_summary("push")
        await wait_for(lambda: app.screen.query("#do-push"))
        app.screen.query_one("#do-push").focus()
        await pilot.press("enter")
        await wait_for(lambda: app.screen.query("#do-plan"))
        app.screen.query_one("#pdf", Input).value = str(pdf)
        await click_shown(pilot, "#do-plan")
        await wait_for(lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.lines == [f"{pdf} already exists: it will be replaced."]
        await click_shown(pilot, "#no")
        await wait_for(lambda: app.screen.query("#do-plan"))
        await app.workers.wait_for_complete()
        assert clients == []  # no plan, so the WA Tool was not even asked
    assert pdf.read_bytes() == b"%PDF my own"
