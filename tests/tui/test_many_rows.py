"""5,000 evidence rows: filtering runs off the UI thread and rows arrive in batches."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from tests.tui.conftest import evidence_loaded, first_screen, write_evidence
from wa_review.model.evidence import Status
from wa_review.tui.app import make_app
from wa_review.tui.widgets import evidence_table
from wa_review.tui.widgets.evidence_rows import EvidenceFilter
from wa_review.tui.widgets.evidence_table import FIRST_BATCH

ROWS = 5000


async def test_filtering_5000_rows_runs_in_a_thread_and_fills_the_table_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    select = evidence_table.select_rows

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return select(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(evidence_table, "select_rows", spy)
    app = make_app(evidence_path=write_evidence(tmp_path / "many.json", ROWS))
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice("sec_sec_q2_a1")
        table = await evidence_loaded(app)
        assert table.row_count == ROWS

        started = time.monotonic()
        table.apply_filter(EvidenceFilter(status=Status.FAIL))
        partial: list[int] = []
        while not table.filtered.is_set():  # watch the rows arrive
            if 0 < table.row_count < ROWS // 4:
                partial.append(table.row_count)
            await asyncio.sleep(0.005)
        assert table.row_count == ROWS // 4
        assert FIRST_BATCH in partial  # the first batch showed before the rest was added
        assert time.monotonic() - started < 20

        await pilot.press("slash", *"fn-00421")  # search by name (the bar sets every filter)
        await asyncio.wait_for(table.filtered.wait(), 15)
        assert [table.get_row_at(i)[1].text.plain for i in range(table.row_count)] == ["fn-00421"]
    assert threads and threading.main_thread().name not in threads
