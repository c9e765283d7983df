"""Trusted accounts given to `wa-review review` reach the checks of a live collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.aws.fixtures import lambda_account
from tests.tui.conftest import wait_for
from wa_review.aws.context import AwsOptions
from wa_review.aws.ratelimit import RateLimits
from wa_review.commands.review import review
from wa_review.model.evidence import Status
from wa_review.model.inventory import CheckConfig
from wa_review.tui.app import make_app


async def _partner_status(review_dir: Path, moto: Any, config: CheckConfig | None) -> Status:
    app = make_app(
        start_collection=True,
        session_path=review_dir / "live.review.yaml",
        aws_options=AwsOptions(
            regions=("us-east-1",), max_attempts=2, rate_limits=RateLimits.off()
        ),
        session_factory=lambda **_: moto,
        check_config=config,
    )
    async with app.run_test(size=(120, 40)):
        await wait_for(
            lambda: app.review is not None and app.review.evidence_file is not None, timeout=60
        )
        await app.workers.wait_for_complete()
        evidence = app.require_review().evidence_file
    assert evidence is not None
    (found,) = [
        e.status
        for e in evidence.evidence
        if e.check_id == "lambda.function_policy_cross_account"
        and e.resource_arn.endswith(":partner-fn")
    ]
    return found


async def test_trusted_accounts_reach_the_checks(review_dir: Path, moto: Any) -> None:
    lambda_account.build(moto)
    assert await _partner_status(review_dir, moto, None) is Status.FAIL
    trusted = CheckConfig(trusted_accounts=frozenset({"999988887777"}))
    assert await _partner_status(review_dir, moto, trusted) is Status.PASS


def test_review_offers_the_check_options() -> None:
    help_text = CliRunner().invoke(review, ["--help"]).output
    assert "--trusted-account" in help_text and "--org-id" in help_text
