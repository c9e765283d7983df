"""The terminal-UI demo's app: the sample account on moto, the push on the WA Tool emulator,
both on 127.0.0.1 (one factory for `wa-review demo` and its tests)."""

from __future__ import annotations

from pathlib import Path

from wa_review.demo.server import DemoAccount, demo_session
from wa_review.demo.watool import DemoWaTool
from wa_review.model.inventory import CheckConfig
from wa_review.tui.app import ReviewApp, make_app


def make_demo_app(
    account: DemoAccount,
    watool: DemoWaTool,
    session_path: Path,
    *,
    keymap: dict[str, str] | None = None,
) -> ReviewApp:
    return make_app(
        aws_options=account.options(),
        session_factory=demo_session,
        session_path=session_path,
        start_collection=True,
        check_config=CheckConfig(org_id=account.names.get("org_id")),
        keymap=keymap,
        # The push goes to the emulator, never to AWS, whatever the environment holds.
        watool_factory=watool.client,
    )
