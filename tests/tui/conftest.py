"""TUI test fixtures: a fixture evidence file in a temp folder, steady cursors, explicit waits."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from wa_review.tui.app import ReviewApp
from wa_review.tui.widgets.evidence_table import EvidenceTable

FIXTURE = Path(__file__).parent / "fixtures" / "evidence.json"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots depend on timing: keep it on."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def review_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of the fixture evidence; it is also the working directory
    (reports and live sessions default to paths relative to it)."""
    shutil.copy(FIXTURE, tmp_path / "evidence.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment where boto3 finds no credentials at all (and asks no metadata service)."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


async def wait_for(predicate: Callable[[], Any], timeout: float = 15.0) -> None:
    """Wait for an explicit condition (never a bare pause: on 2 busy cores it is a guess)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {predicate}")
        await asyncio.sleep(0.01)


async def click_shown(pilot: Any, selector: str) -> None:
    """Click a widget once it is laid out: a click on a dialog still being arranged lands on
    whatever is at its old (zero) place, which a busy machine makes likely."""
    app = pilot.app
    await wait_for(
        lambda: bool(app.screen.query(selector)) and app.screen.query_one(selector).region.area > 0
    )
    await pilot.click(selector)


async def first_screen(app: ReviewApp) -> None:
    await asyncio.wait_for(app.first_screen_ready.wait(), 15)


async def evidence_loaded(app: ReviewApp) -> EvidenceTable:
    """The practice screen's table once every row of its filter is in."""
    await wait_for(lambda: bool(app.screen.query(EvidenceTable)))
    table = app.screen.query_one(EvidenceTable)
    await asyncio.wait_for(table.filtered.wait(), 15)
    return table


def write_evidence(path: Path, rows: int) -> Path:
    """The fixture evidence with `rows` lambda results for practice 1 (for the 5,000-row test)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    template = data["evidence"][1]
    statuses = ("pass", "fail", "warn", "unknown")
    data["evidence"] = [
        {
            **template,
            "status": statuses[i % 4],
            "resource_arn": f"arn:aws:lambda:us-east-1:123456789012:function:fn-{i:05d}",
            "summary": f"fn-{i:05d}: result {i}",
        }
        for i in range(rows)
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def release() -> Iterator[list[Callable[[], None]]]:
    """Callbacks run at teardown (to let fake background work finish)."""
    done: list[Callable[[], None]] = []
    yield done
    for callback in done:
        callback()
