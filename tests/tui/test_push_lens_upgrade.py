"""The TUI's push offers to upgrade a NOT_CURRENT lens review before the write confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.conftest import click_shown, first_screen, wait_for
from tests.tui.test_collect_and_push import open_push_form
from tests.watool.conftest import NEW_LENS, OLD_LENS, create_workload, emulator_client
from wa_review.review.session import Decision
from wa_review.tui.app import ReviewApp, make_app
from wa_review.tui.screens.dialogs import ConfirmDialog
from wa_review.watool.emulator import WaToolEmulator

UPGRADE_TITLE = "Upgrade the lens review first?"


@pytest.fixture(scope="module")
def wa_tool() -> Iterator[WaToolEmulator]:
    with WaToolEmulator() as emulator:
        yield emulator


def dialog_titled(app: ReviewApp, prefix: str) -> bool:
    screen = app.screen
    return isinstance(screen, ConfirmDialog) and screen.title_text.startswith(prefix)


def body(app: ReviewApp) -> str:
    return str(app.screen.query_one("#confirm-body").render())


@pytest.mark.parametrize("upgrade", [True, False])
async def test_push_offers_the_lens_upgrade_before_the_write(
    review_dir: Path, wa_tool: WaToolEmulator, upgrade: bool
) -> None:
    wa_tool.reset()
    wa_tool.set_lens(OLD_LENS, latest=NEW_LENS)
    create_workload(emulator_client(wa_tool, attempts=2), "orders")
    app = make_app(
        evidence_path=review_dir / "evidence.json",
        watool_factory=lambda region: emulator_client(wa_tool, region, attempts=2),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.decide("sec_sec_q2_a2", Decision.SELECTED)
        form = await open_push_form(app, pilot)
        form.query_one("#workload", Input).value = "orders"
        await click_shown(pilot, "#do-plan")

        await wait_for(lambda: dialog_titled(app, UPGRADE_TITLE) and app.screen.query("#yes"))
        assert "is NOT_CURRENT (version 2019-11-01)" in body(app)
        assert str(app.screen.query_one("#yes").label) == "Upgrade lens first"
        assert wa_tool.writes()[1:] == []  # only our CreateWorkload so far
        await click_shown(pilot, "#yes" if upgrade else "#no")

        await wait_for(lambda: dialog_titled(app, "Write all this") and app.screen.query("#yes"))
        text = body(app)
        assert wa_tool.writes()[1:] == []  # the upgrade too waits for yes to the whole plan
        if upgrade:
            assert "Lens upgrade (UpgradeLensReview): version 2019-11-01 -> current" in text
            assert "UpdateWorkload, UpgradeLensReview, UpdateAnswer" in text
        else:
            assert "NOT_CURRENT (version 2019-11-01): the answer goes to that version" in text
        await click_shown(pilot, "#yes")
        # The push itself: several calls to the emulator, slow on a loaded machine.
        await wait_for(lambda: app.require_review().session.watool is not None, timeout=45)
        record = app.require_review().session.watool
        await app.workers.wait_for_complete()

    assert record is not None
    assert record.lens_version == ("2020-02-04" if upgrade else "2019-11-01")
    writes = [r.operation for r in wa_tool.writes()]
    # The evidence covers accounts and Regions the workload did not name: UpdateWorkload adds them.
    assert writes == ["CreateWorkload", "UpdateWorkload"] + ["UpgradeLensReview"] * upgrade + [
        "UpdateAnswer",
        "CreateMilestone",
    ]
