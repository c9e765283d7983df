"""The read-only guard, the client settings, and errors that must become UNKNOWN."""

from __future__ import annotations

from typing import Any

import pytest

from tests.aws.faults import deny
from tests.aws.fixtures import lambda_account
from tests.conftest import make_context
from wa_review import __version__
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.context import AccountSession
from wa_review.aws.guard import is_read_operation
from wa_review.aws.run import collect_inventory
from wa_review.checks.lambda_policies import function_policy_public
from wa_review.errors import ReadOnlyViolation
from wa_review.model.evidence import Status
from wa_review.model.inventory import CheckConfig


def test_a_mutating_call_is_refused_and_never_sent(moto: Any) -> None:
    ctx = make_context(moto)
    account = ctx.accounts()[0]
    sqs = ctx.client(account, "sqs", "us-east-1")
    with pytest.raises(ReadOnlyViolation, match="sqs:CreateQueue"):
        sqs.create_queue(QueueName="should-not-exist")
    assert "QueueUrls" not in moto.client("sqs").list_queues()


def test_reads_pass_the_guard() -> None:
    assert is_read_operation("lambda", "GetPolicy")
    assert is_read_operation("sts", "AssumeRole")
    assert not is_read_operation("lambda", "AddPermission")
    assert not is_read_operation("s3", "PutBucketPolicy")


def test_clients_carry_our_user_agent_and_adaptive_retries(moto: Any) -> None:
    ctx = make_context(moto)
    client = ctx.client(ctx.accounts()[0], "lambda", "us-east-1")
    assert f"wa-review/{__version__}" in client.meta.config.user_agent_extra
    assert client.meta.config.retries["mode"] == "adaptive"


def test_endpoint_url_option_is_used(moto: Any) -> None:
    ctx = make_context(moto, endpoint_url="http://127.0.0.1:4566")
    # No call is made: building the client must not need the endpoint to answer.
    client = ctx.client(
        AccountSession("123456789012", "arn:aws:iam::123456789012:user/x", moto), "sqs", "us-east-1"
    )
    assert client.meta.endpoint_url == "http://127.0.0.1:4566"


def _evidence(ctx: Any) -> dict[str, Status]:
    collection = collect_inventory(ctx, collectors=(LambdaCollector,))
    inv = collection.inventories[0]
    return {
        e.resource_arn.rsplit(":", 1)[-1] or "<region>": e.status
        for e in function_policy_public(inv, CheckConfig())
    }


def test_access_denied_for_the_whole_service_is_unknown(moto: Any) -> None:
    lambda_account.build(moto)
    ctx = make_context(moto)
    ctx.before_send_hooks.append(deny("ListFunctions"))
    found = _evidence(ctx)
    assert found == {"<region>": Status.UNKNOWN}
    assert ctx.recorder.errors[0].code == "AccessDeniedException"


def test_access_denied_for_one_function_is_unknown_for_exactly_it(moto: Any) -> None:
    lambda_account.build(moto)
    ctx = make_context(moto)
    ctx.before_send_hooks.append(deny("GetPolicy", when=lambda r: "/functions/public-fn/" in r.url))
    found = _evidence(ctx)
    assert found["public-fn"] is Status.UNKNOWN
    assert found["orders-api"] is Status.PASS
    assert found["partner-fn"] is Status.PASS  # cross-account is another check's business
    assert [e.resource for e in ctx.recorder.errors] == [
        "arn:aws:lambda:us-east-1:123456789012:function:public-fn"
    ]
