"""The demo's TUI push stays on this machine: with every connection but loopback refused, and
an environment that points boto3 at real AWS, the demo collects and pushes to the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input

from tests.tui.conftest import click_shown, wait_for
from tests.tui.test_collect_and_push import open_push_form
from tests.watool.socket_guard import loopback_only
from wa_review.demo.server import running_demo_account
from wa_review.demo.watool import running_demo_watool
from wa_review.tui.demo_app import make_demo_app
from wa_review.tui.screens.dialogs import ConfirmDialog
from wa_review.tui.screens.overview import OverviewScreen


async def test_the_demo_tui_push_never_leaves_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws_env: None
) -> None:
    # What a reviewer's shell may hold: none of it may be used by the demo.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://wellarchitected.us-east-1.amazonaws.com")
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", "https://example.com")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
    with (
        loopback_only(monkeypatch) as refused,
        running_demo_account() as account,
        running_demo_watool() as watool,
    ):
        app = make_demo_app(account, watool, tmp_path / "review.yaml")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                lambda: app.review is not None and app.review.evidence_file is not None,
                timeout=120,
            )
            await wait_for(lambda: isinstance(app.screen, OverviewScreen), timeout=30)
            form = await open_push_form(app, pilot)
            form.query_one("#review-owner", Input).value = "demo-reviewer@example.com"
            form.query_one("#description", Input).value = "The sample serverless airline"
            form.query_one("#create", Checkbox).value = True
            await click_shown(pilot, "#do-plan")
            # The spinner covers the form while the WA Tool is read.
            await wait_for(lambda: isinstance(app.screen, ConfirmDialog), timeout=60)
            assert form.query_one("Grid").loading
            await click_shown(pilot, "#yes")
            await wait_for(lambda: app.require_review().session.watool is not None, timeout=60)
            await wait_for(lambda: not form.query_one("Grid").loading)
            status = str(form.query_one("#push-status").render())
            await app.workers.wait_for_complete()
    assert refused == []
    assert "Risk reported by the WA Tool" in status
    record = app.require_review().session.watool
    assert record is not None and record.milestone_number == 1
