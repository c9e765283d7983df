"""--access-analyzer end to end: every supported type reaches AWS with its type, and the flag
reaches the collection from `collect` and `review`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.aws.fixtures import resource_policy_account as account
from tests.aws.fixtures.apigateway_account import answer
from tests.aws.fixtures.check_no_public_access import (
    OPERATION,
    FakeCheckNoPublicAccess,
    collect,
    principal_star,
)
from tests.aws.fixtures.common import execution_role, function
from wa_review import collect_flow
from wa_review.aws.collectors.apigateway import ApiGatewayCollector
from wa_review.aws.collectors.dynamodb import DynamoDbCollector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.s3 import S3Collector
from wa_review.aws.collectors.sns import SnsCollector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.run import Collection
from wa_review.checks.accessanalyzer_cross_check import CHECK_ID, public_access_cross_check
from wa_review.commands import collect as collect_command
from wa_review.commands.review import review
from wa_review.model.evidence import Evidence
from wa_review.model.inventory import CheckConfig


def _by_arn(collection: Collection) -> dict[str, Evidence]:
    return {
        e.resource_arn: e
        for e in public_access_cross_check(collection.inventories[0], CheckConfig())
    }


# What GetRestApis really returns for a policy: JSON with its quotes and slashes escaped.
ESCAPED_POLICY = (
    '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",'
    '\\"Principal\\":\\"*\\",\\"Action\\":\\"execute-api:Invoke\\",'
    '\\"Resource\\":\\"arn:aws:execute-api:us-east-1:123456789012:abc123\\/*\\"}]}'
)


def _function_with_alias(session: Any) -> str:
    lam = session.client("lambda")
    arn = function(session, "public-fn", execution_role(session, "fn-role"))
    version = lam.publish_version(FunctionName="public-fn")["Version"]
    lam.create_alias(FunctionName="public-fn", Name="live", FunctionVersion=version)
    lam.add_permission(
        FunctionName="public-fn", StatementId="open", Action="lambda:InvokeFunction", Principal="*"
    )
    lam.add_permission(
        FunctionName="public-fn",
        Qualifier="live",
        StatementId="partner",
        Action="lambda:InvokeFunction",
        Principal=account.PARTNER,
    )
    return arn


def test_every_supported_type_is_sent_with_its_access_analyzer_type(moto: Any) -> None:
    fn = _function_with_alias(moto)
    topics = account.topics(moto)
    tables = account.tables(moto)
    buckets = account.buckets(moto)
    rest = {"item": [{"id": "abc123", "name": "escaped", "policy": ESCAPED_POLICY}]}
    fake = FakeCheckNoPublicAccess(principal_star)
    hooks: list[Callable[..., Any]] = [
        fake,
        account.stream_policy_hook(),
        answer("GetRestApis", rest),
        answer("GetStages", {"item": []}),
    ]
    collectors = (
        LambdaCollector,
        ApiGatewayCollector,
        SnsCollector,
        DynamoDbCollector,
        S3Collector,
    )
    collection = collect(moto, hooks, collectors=collectors)
    sent = {r["resourceType"] for r in fake.requests}
    assert sent == {
        "AWS::Lambda::Function",
        "AWS::ApiGateway::RestApi",
        "AWS::SNS::Topic",
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::Stream",
        "AWS::S3::Bucket",
    }
    # API Gateway's escaped text goes to AWS as the plain JSON policy it stands for.
    [api_request] = [r for r in fake.requests if r["resourceType"] == "AWS::ApiGateway::RestApi"]
    assert json.loads(api_request["policyDocument"])["Statement"][0]["Principal"] == "*"
    found = _by_arn(collection)
    types = {arn: e.details["resource_type"] for arn, e in found.items()}
    # The alias is asked about on its own (moto keeps one policy for both; AWS one per alias).
    assert types[fn] == types[f"{fn}:live"] == "AWS::Lambda::Function"
    assert types[f"arn:aws:apigateway:{account.REGION}::/restapis/abc123"] == (
        "AWS::ApiGateway::RestApi"
    )
    assert {a for a, t in types.items() if t == "AWS::SNS::Topic"} == set(topics.values())
    assert types[tables["public-table"]] == "AWS::DynamoDB::Table"
    assert "AWS::DynamoDB::Stream" in types.values()
    # Buckets without a policy are not sent; S3 goes once, from the home region.
    s3 = {a for a, t in types.items() if t == "AWS::S3::Bucket"}
    assert s3 == {buckets[n] for n in ("public-bucket", "shielded-bucket", "partner-bucket")}
    assert found[fn].summary == "function public-fn: IAM Access Analyzer agrees: public"
    assert found[f"{fn}:live"].summary.startswith("function public-fn (alias live): ")


def test_the_cli_flag_reaches_the_collection_and_the_evidence_file(
    moto: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account.queues(moto)
    seen: list[bool] = []
    real = collect_flow.collect_inventory

    def spy(ctx: Any, **kwargs: Any) -> Collection:
        seen.append(ctx.options.access_analyzer)
        ctx.before_send_hooks.append(FakeCheckNoPublicAccess(principal_star))
        return real(ctx, **{**kwargs, "collectors": (SqsCollector,)})

    # `collect` runs the core flow (wa_review.collect_flow), which calls collect_inventory.
    monkeypatch.setattr(collect_flow, "collect_inventory", spy)
    out = tmp_path / "evidence.json"
    args = ["--region", account.REGION, "-q", "-o", str(out)]
    done = CliRunner().invoke(collect_command.collect, [*args, "--access-analyzer"])
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text())
    assert data["stats"]["calls"][OPERATION] == 3
    rows = [e for e in data["evidence"] if e["check_id"] == CHECK_ID]
    assert {e["status"] for e in rows} == {"pass"} and len(rows) == 3
    assert CliRunner().invoke(collect_command.collect, [*args, "--force"]).exit_code == 0
    assert seen == [True, False]
    assert OPERATION not in json.loads(out.read_text())["stats"]["calls"]


def test_review_takes_the_flag_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import wa_review.tui.app as tui_app

    given: list[Any] = []

    class _App:
        def run(self) -> None:
            pass

        def session_file(self) -> None:  # nothing was reviewed, so no session was written
            return None

    def fake_make_app(**kwargs: Any) -> _App:
        given.append(kwargs["aws_options"])
        return _App()

    monkeypatch.setattr(tui_app, "make_app", fake_make_app)
    assert CliRunner().invoke(review, ["--access-analyzer"]).exit_code == 0
    assert given[0].access_analyzer is True
    help_text = CliRunner().invoke(review, ["--help"]).output
    assert "--access-analyzer" in help_text and "bills" in help_text
