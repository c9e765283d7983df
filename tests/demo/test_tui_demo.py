"""`wa-review demo` in the terminal: the TUI opens on the sample account and collects it."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import wait_for
from wa_review.demo.server import demo_session, running_demo_account
from wa_review.model.evidence import Status
from wa_review.tui.app import make_app
from wa_review.tui.screens.collection import CollectionScreen
from wa_review.tui.screens.overview import OverviewScreen


async def test_the_tui_collects_the_demo_account_and_opens_the_review(tmp_path: Path) -> None:
    with running_demo_account() as account:
        app = make_app(
            aws_options=account.options(),
            session_factory=demo_session,
            session_path=tmp_path / "review.yaml",
            start_collection=True,
        )
        async with app.run_test(size=(120, 40)):
            await wait_for(lambda: isinstance(app.screen, CollectionScreen), timeout=30)
            await wait_for(
                lambda: app.review is not None and app.review.evidence_file is not None, timeout=120
            )
            await wait_for(lambda: isinstance(app.screen, OverviewScreen), timeout=30)
            evidence = app.require_review().evidence_file
            assert evidence is not None
            assert {e.status for e in evidence.evidence} >= {Status.PASS, Status.FAIL}
            await app.workers.wait_for_complete()
    assert (tmp_path / "review.yaml").exists()
