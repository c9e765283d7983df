"""Least privilege, proven: every call a collection makes is allowed by the printed policy and is
a read, and every path that collects (the demo's included) goes through the read-only guard."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name
from click.testing import CliRunner

import wa_review
from tests.hardening.conftest import demo_context
from wa_review import collect_flow
from wa_review.aws.guard import is_read_operation
from wa_review.aws.iam_policy import collection_actions, iam_action_for, least_privilege_policy
from wa_review.aws.run import collect_inventory
from wa_review.commands.iam_policy import iam_policy
from wa_review.demo import headless
from wa_review.demo.server import DemoAccount, demo_session
from wa_review.errors import ReadOnlyViolation
from wa_review.watool.push import WATOOL_IAM_ACTIONS

STACK_TEMPLATE = json.dumps(
    {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "lp-q"}}}}
)


def _allowed(policy: dict[str, Any]) -> set[str]:
    return {action for statement in policy["Statement"] for action in statement["Action"]}


@pytest.fixture(scope="module")
def recorded_calls(demo_account: DemoAccount) -> dict[str, int]:
    """Every operation two collections of the sample account called: the whole account, and a
    scope given by a stack and a tag (which adds CloudFormation and tagging reads)."""
    session = demo_session()
    cloudformation = session.client("cloudformation", endpoint_url=demo_account.url)
    cloudformation.create_stack(StackName="lp-stack", TemplateBody=STACK_TEMPLATE)
    calls: dict[str, int] = {}
    for scope in ({}, {"stacks": ("lp-stack",), "tags": (("team", "booking"),)}):
        ctx = demo_context(demo_account)
        collect_inventory(ctx, **scope)  # type: ignore[arg-type]
        for key, count in ctx.recorder.calls.items():
            calls[key] = calls.get(key, 0) + count
    return calls


def test_every_call_made_is_allowed_by_the_printed_policy_and_is_a_read(
    recorded_calls: dict[str, int],
) -> None:
    printed = json.loads(CliRunner().invoke(iam_policy, []).output)
    assert printed == least_privilege_policy()
    allowed = _allowed(printed)
    missing = {}
    for key in recorded_calls:
        prefix, _, operation = key.partition(":")
        assert is_read_operation(prefix, operation), f"{key} is not a read"
        action = iam_action_for(prefix, operation)
        if action not in allowed:
            missing[key] = action
    assert missing == {}, "calls the policy does not allow"
    # The collection really exercised the scope resolution and the API families.
    for prefix in ("cloudformation:", "tagging:", "apigateway:", "s3-control:", "sts:"):
        assert any(key.startswith(prefix) for key in recorded_calls), prefix


def test_the_printed_policy_holds_reads_only() -> None:
    for action in _allowed(least_privilege_policy()):
        prefix, _, name = action.partition(":")
        # API Gateway authorises management calls by HTTP verb: only GET is ever granted.
        assert is_read_operation(prefix, name) or action == "apigateway:GET", action
        assert "*" not in action, action


def test_push_adds_exactly_the_wa_tool_actions() -> None:
    printed = json.loads(CliRunner().invoke(iam_policy, ["--push"]).output)
    read_only = _allowed(least_privilege_policy())
    assert _allowed(printed) == read_only | set(WATOOL_IAM_ACTIONS)
    push_statement = printed["Statement"][-1]
    assert set(push_statement["Action"]) == set(WATOOL_IAM_ACTIONS)


def test_the_demo_collects_through_the_read_only_guard(
    demo_account: DemoAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = demo_account.context()
    assert ctx.read_only
    with pytest.raises(ReadOnlyViolation, match="sqs:CreateQueue"):
        ctx.client(ctx.accounts()[0], "sqs", "us-east-1").create_queue(QueueName="nope")
    assert "nope" not in str(
        demo_session().client("sqs", endpoint_url=demo_account.url).list_queues()
    )

    seen: list[Any] = []
    real = collect_flow.collect_inventory

    def spy(context: Any, **kwargs: Any) -> Any:
        seen.append(context)
        return real(context, **kwargs)

    # The demo collects through the same flow as `wa-review collect`.
    monkeypatch.setattr(collect_flow, "collect_inventory", spy)
    headless.collect_demo(demo_account)
    assert [c.read_only for c in seen] == [True]


def test_no_module_turns_the_guard_off() -> None:
    """Collection paths build their AwsContext with the default read_only=True; the keyword
    is for tests of the guard itself, never for code in the package."""
    offenders = []
    for path in Path(wa_review.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "read_only":
                offenders.append(f"{path.name}:{node.value.lineno}")
    assert offenders == []


def _calls_in_source() -> tuple[set[tuple[str, str]], set[str]]:
    """(service, snake_operation) of every literal api.call/paginate/listing under wa_review/aws,
    and the services of calls whose operation is a variable (generic helpers)."""
    found: set[tuple[str, str]] = set()
    generic: set[str] = set()
    for path in (Path(wa_review.__file__).parent / "aws").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("call", "paginate", "listing")
                and len(node.args) >= 2
            ):
                continue
            service, operation = (
                a.value if isinstance(a, ast.Constant) else constants.get(getattr(a, "id", ""))
                for a in node.args[:2]
            )
            if isinstance(service, str) and isinstance(operation, str):
                found.add((service, operation))
            elif isinstance(service, str):
                generic.add(service)
    return found, generic


def test_every_call_written_in_the_collectors_is_declared() -> None:
    """The static half: calls the sample account does not reach (error paths, fallbacks for
    endpoints that lack an API) are declared too."""
    calls, generic = _calls_in_source()
    # The two generic helpers pass the operation in; the recorded-calls test covers them.
    assert generic == {"ec2", "wafv2"}
    assert len(calls) > 40
    models = botocore.session.get_session()
    declared = set(collection_actions())
    undeclared = []
    for service, snake in sorted(calls):
        model = models.get_service_model(service)
        operation = {xform_name(name): name for name in model.operation_names}[snake]
        assert is_read_operation(model.endpoint_prefix, operation), (service, operation)
        if iam_action_for(model.endpoint_prefix, operation) not in declared:
            undeclared.append(f"{service}.{snake}")
    assert undeclared == []
