"""Workload scope (stacks, tags) and multi-account collection through assumed roles."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.aws.fixtures.common import execution_role, function
from tests.conftest import make_context
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.run import collect_inventory
from wa_review.errors import ScopeError
from wa_review.model.snapshots.lambda_ import LambdaSnapshot
from wa_review.model.snapshots.sqs import SqsSnapshot

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {"Orders": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "in-stack"}}},
}


def _queues(session: Any, **scope: Any) -> dict[str, bool]:
    collection = collect_inventory(make_context(session), collectors=(SqsCollector,), **scope)
    snap = collection.inventories[0].get("us-east-1", SqsSnapshot)
    assert snap is not None
    return {q.name: q.in_scope for q in snap.queues}


def test_stack_scope_judges_only_the_stack_resources(moto: Any) -> None:
    moto.client("cloudformation").create_stack(
        StackName="airline", TemplateBody=json.dumps(TEMPLATE)
    )
    moto.client("sqs").create_queue(QueueName="elsewhere")
    assert _queues(moto, stacks=("airline",)) == {"in-stack": True, "elsewhere": False}
    assert _queues(moto) == {"in-stack": True, "elsewhere": True}


def test_an_unknown_stack_is_a_clear_error(moto: Any) -> None:
    with pytest.raises(ScopeError, match="Stack 'nope' was not found in us-east-1"):
        _queues(moto, stacks=("nope",))


def test_tag_scope_uses_the_tagging_api(moto: Any) -> None:
    role = execution_role(moto, "r")
    function(moto, "tagged", role, Tags={"app": "airline"})
    function(moto, "untagged", role)
    ctx = make_context(moto)
    collection = collect_inventory(ctx, collectors=(LambdaCollector,), tags=(("app", "airline"),))
    snap = collection.inventories[0].get("us-east-1", LambdaSnapshot)
    assert snap is not None
    assert {f.name: f.in_scope for f in snap.functions} == {"tagged": True, "untagged": False}
    assert collection.calls.get("tagging:GetResources", 0) >= 1
    assert "lambda:ListTags" not in collection.calls  # no per-resource tag calls


def test_role_arns_collect_each_account(moto: Any) -> None:
    ctx = make_context(
        moto,
        role_arns=("arn:aws:iam::111111111111:role/audit", "arn:aws:iam::222222222222:role/audit"),
    )
    accounts = [a.account for a in ctx.accounts()]
    assert accounts == ["111111111111", "222222222222"]
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    assert [i.account for i in collection.inventories] == accounts


def test_quota_option_overrides_one_family() -> None:
    from click.testing import CliRunner

    from wa_review.cli import cli

    bad = CliRunner().invoke(cli, ["collect", "--quota", "lambda:GetPolicy"])
    assert bad.exit_code == 2 and "expected SERVICE:OPERATION=RATE[/BURST]" in bad.output
    from wa_review.commands.aws_options import parse_quotas

    limits = parse_quotas(None, None, ("lambda:GetPolicy=30/60",))  # type: ignore[arg-type]
    assert limits is not None
    assert limits.quotas["lambda:GetPolicy"].rate == 30
    assert limits.quotas["lambda:*"].rate == 15  # the other families keep AWS's published rates
