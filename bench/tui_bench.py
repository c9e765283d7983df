"""The TUI at scale, headless (Textual's run_test): start to first screen, and a practice screen
with N evidence rows: load, filter and scroll, with the longest stall of the event loop.

Run: python -m bench.tui_bench [--rows 5000]
"Without blocking" is measured, not assumed: a ticker task wakes every 10 ms, and the longest
gap between its wake-ups while the rows load and filter is how long the UI could not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report_bench import synthetic_evidence

CHOICE = "sec_sec_q2_a1"  # the practice the rows belong to
SIZE = (120, 40)
PAGES = 20


class StallMeter:
    """The longest time the event loop went without running a 10 ms ticker."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.01)
            last = now

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.longest


async def _until(predicate: Any, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"not reached within {timeout}s")
        await asyncio.sleep(0.002)


async def _measure(evidence_path: Path, rows: int) -> dict[str, Any]:
    from wa_review.model.evidence import Status
    from wa_review.tui.app import make_app
    from wa_review.tui.widgets.evidence_rows import EvidenceFilter
    from wa_review.tui.widgets.evidence_table import FIRST_BATCH, EvidenceTable

    started = time.perf_counter()
    app = make_app(evidence_path=evidence_path)
    result: dict[str, Any] = {"rows": rows}
    meter = StallMeter()
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(app.first_screen_ready.wait(), 60)
        result["start_to_first_screen_s"] = round(time.perf_counter() - started, 3)

        meter.start()
        shown = time.perf_counter()
        app.show_practice(CHOICE)
        await _until(lambda: bool(app.screen.query(EvidenceTable)))
        table = app.screen.query_one(EvidenceTable)
        await _until(lambda: table.row_count >= min(FIRST_BATCH, rows))
        result["practice_first_rows_s"] = round(time.perf_counter() - shown, 3)
        await asyncio.wait_for(table.filtered.wait(), 60)
        result["practice_all_rows_s"] = round(time.perf_counter() - shown, 3)
        result["practice_longest_stall_ms"] = round(meter.stop() * 1000, 1)

        meter.start()
        filtered = time.perf_counter()
        table.apply_filter(EvidenceFilter(status=Status.FAIL))
        await asyncio.wait_for(table.filtered.wait(), 60)
        result["filter_s"] = round(time.perf_counter() - filtered, 3)
        result["filter_rows"] = table.row_count
        result["filter_longest_stall_ms"] = round(meter.stop() * 1000, 1)

        table.apply_filter(EvidenceFilter())
        await asyncio.wait_for(table.filtered.wait(), 60)
        table.focus()
        meter.start()
        scrolled = time.perf_counter()
        for _ in range(PAGES):
            await pilot.press("pagedown")
        # Pilot waits for the app to be idle after each key: this is key-to-settled time.
        result["page_down_ms"] = round((time.perf_counter() - scrolled) / PAGES * 1000, 1)
        ended = time.perf_counter()
        table.move_cursor(row=table.row_count - 1)  # a jump to the last row
        await _until(lambda: table.scroll_y >= table.max_scroll_y)
        result["jump_to_last_row_ms"] = round((time.perf_counter() - ended) * 1000, 1)
        result["scroll_longest_stall_ms"] = round(meter.stop() * 1000, 1)
        app.exit()
    return result


def bench_tui(rows: int) -> dict[str, Any]:
    """TUI timings, or why they could not be taken (the TUI is an optional part)."""
    try:
        import textual  # noqa: F401
    except ImportError:
        return {"skipped": "textual is not installed"}
    evidence = synthetic_evidence(rows, choice_id=CHOICE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evidence.json"
        evidence.save(path)
        return asyncio.run(_measure(path, rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(bench_tui(args.rows), indent=1) + "\n")


if __name__ == "__main__":
    main()
