"""Hardening fixtures: the sample account on a moto server, and botocore without its waits."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wa_review.aws.context import AwsContext
from wa_review.aws.run import Collection, collect_inventory
from wa_review.demo.server import DemoAccount, demo_session, running_demo_account
from wa_review.model.evidence import Evidence
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import run_checks

EvidenceKey = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def demo_account() -> Iterator[DemoAccount]:
    """The sample airline on a moto server on 127.0.0.1, built once per module.

    moto keeps its accounts in process-wide state: it is emptied first (another module may
    have built the airline already), and the `moto` and `moto_url` fixtures, which empty it
    too, must not be used in a module that uses this one.
    """
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    with running_demo_account() as account:
        yield account


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retry waits (exponential backoff, the adaptive rate limiter) cost nothing here.

    The retries themselves, their quota and the number of attempts are left as they are.
    """
    from botocore.retries import adaptive, standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.0)
    monkeypatch.setattr(
        adaptive.ClientRateLimiter, "on_sending_request", lambda self, request, **kw: None
    )


def cli_env(**overrides: str) -> dict[str, str]:
    """The environment of a `wa-review` subprocess: this checkout's code, fake credentials, and
    none of the machine's AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="demo",
        AWS_SECRET_ACCESS_KEY="demo-secret",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=str(Path(__file__).parents[2]),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def demo_context(
    account: DemoAccount, *, endpoint_url: str | None = None, **options: Any
) -> AwsContext:
    """A read-only context for the sample account, optionally reaching it through a proxy."""
    chosen = dataclasses.replace(
        account.options(), endpoint_url=endpoint_url or account.url, **options
    )
    return AwsContext(chosen, session_factory=demo_session)


def collect_evidence(account: DemoAccount, ctx: AwsContext) -> tuple[Collection, list[Evidence]]:
    collection = collect_inventory(ctx)
    config = CheckConfig(org_id=account.names.get("org_id"))
    return collection, run_checks(collection, config)


def keys(evidence: list[Evidence]) -> set[EvidenceKey]:
    return {(e.check_id, e.resource_arn, e.region, e.status.value) for e in evidence}
