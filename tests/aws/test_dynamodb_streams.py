"""DynamoDB streams come from ListStreams, not one DescribeTable per table."""

from __future__ import annotations

import json
from typing import Any

from tests.aws.faults import deny
from tests.aws.fixtures.resource_policy_account import json_response, request_json
from tests.conftest import make_context
from wa_review.aws.collectors.dynamodb import DynamoDbCollector
from wa_review.aws.iam_policy import collection_actions, iam_action_for
from wa_review.aws.run import Collection, Progress, collect_inventory
from wa_review.model.snapshots.dynamodb import DynamoDbSnapshot

REGION = "us-east-1"
ACCOUNT = "123456789012"
KEY = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def _collect(session: Any, *hooks: Any, **scope: Any) -> tuple[Collection, DynamoDbSnapshot]:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    collection = collect_inventory(ctx, collectors=(DynamoDbCollector,), **scope)
    snap = collection.inventories[0].get(REGION, DynamoDbSnapshot)
    assert snap is not None
    return collection, snap


def _stream(table: str, label: str) -> dict[str, str]:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/{label}"
    return {"StreamArn": arn, "TableName": table, "StreamLabel": label}


def test_streams_of_every_table_come_from_one_listing(moto: Any) -> None:
    ddb = moto.client("dynamodb")
    for n in range(5):
        ddb.create_table(TableName=f"t{n}", StreamSpecification=STREAM, **KEY)
    ddb.create_table(TableName="plain", **KEY)
    latest = {
        f"t{n}": ddb.describe_table(TableName=f"t{n}")["Table"]["LatestStreamArn"] for n in range(5)
    }

    collection, snap = _collect(moto)
    assert {t.name: t.stream_arn for t in snap.tables} == {**latest, "plain": None}
    assert snap.streams_error is None
    assert collection.calls["streams.dynamodb:ListStreams"] == 1
    assert "dynamodb:DescribeTable" not in collection.calls  # was one per table
    assert collection.calls["dynamodb:GetResourcePolicy"] == 6 + 5  # each table, each stream
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made == set(DynamoDbCollector.iam_actions)
    assert "dynamodb:ListStreams" in collection_actions()
    assert "dynamodb:DescribeTable" not in collection_actions()


def test_pages_are_followed_and_the_latest_stream_of_a_table_is_kept(moto: Any) -> None:
    """Several streams of one table (a disabled stream stays readable for 24 hours before a new
    one replaces it) and the stream of a table that is gone: the latest of a listed table wins."""
    ddb = moto.client("dynamodb")
    for name in ("orders", "audit"):
        ddb.create_table(TableName=name, **KEY)
    pages = [
        [_stream("orders", "2026-11-01T10:00:00.000"), _stream("gone", "2026-11-02T00:00:00.000")],
        [_stream("orders", "2026-11-20T08:30:00.000"), _stream("audit", "2026-11-03T00:00:00.000")],
        [_stream("orders", "2026-11-05T00:00:00.000")],
    ]
    # Each page but the last ends with the ARN the next one starts after.
    after = {page[-1]["StreamArn"]: n + 1 for n, page in enumerate(pages[:-1])}
    asked: list[dict[str, Any]] = []

    def list_streams(request: Any, event_name: str = "", **_: Any) -> Any:
        if not event_name.endswith(".ListStreams"):
            return None
        params = request_json(request)
        asked.append(params)
        start = params.get("ExclusiveStartStreamArn")
        n = after[start] if start else 0
        body: dict[str, Any] = {"Streams": pages[n]}
        if n + 1 < len(pages):
            body["LastEvaluatedStreamArn"] = pages[n][-1]["StreamArn"]
        return json_response(body)

    collection, snap = _collect(moto, list_streams)
    streams = {t.name: t.stream_arn for t in snap.tables}
    assert streams == {
        "orders": _stream("orders", "2026-11-20T08:30:00.000")["StreamArn"],
        "audit": _stream("audit", "2026-11-03T00:00:00.000")["StreamArn"],
    }
    assert collection.calls["streams.dynamodb:ListStreams"] == 3
    assert [p.get("Limit") for p in asked] == [100, 100, 100]
    assert "TableName" not in json.dumps(asked)


def test_a_narrow_scope_asks_for_its_tables_streams_only(moto: Any) -> None:
    """Two in-scope tables among 250: two ListStreams by table beat three pages of all."""
    stream = {"StreamSpecification": {"StreamViewType": "NEW_IMAGE"}}
    template = {
        "Resources": {
            name.capitalize(): {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {"TableName": name, **KEY, **extra},
            }
            for name, extra in (("orders", stream), ("payments", {}))
        }
    }
    moto.client("cloudformation").create_stack(StackName="shop", TemplateBody=json.dumps(template))
    names = sorted([*(f"other-{n:03}" for n in range(248)), "orders", "payments"])
    asked: list[dict[str, Any]] = []

    def many_tables(request: Any, event_name: str = "", **_: Any) -> Any:
        if event_name.endswith(".ListTables"):
            return json_response({"TableNames": names})
        if event_name.endswith(".ListStreams"):
            asked.append(request_json(request))
        return None

    collection, snap = _collect(moto, many_tables, stacks=("shop",))
    assert [t.name for t in snap.tables if t.in_scope] == ["orders", "payments"]
    assert sorted(p["TableName"] for p in asked) == ["orders", "payments"]
    assert collection.calls["streams.dynamodb:ListStreams"] == 2
    streams = {t.name: t.stream_arn for t in snap.tables if t.in_scope}
    assert str(streams["orders"]).startswith(
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders/stream/"
    )
    assert streams["payments"] is None


def test_no_table_in_scope_needs_no_stream_listing(moto: Any) -> None:
    moto.client("dynamodb").create_table(TableName="orders", StreamSpecification=STREAM, **KEY)
    collection, snap = _collect(moto, tags=(("app", "nothing-here"),))
    assert [t.in_scope for t in snap.tables] == [False]
    assert "streams.dynamodb:ListStreams" not in collection.calls


def test_the_progress_row_of_dynamodb_counts_its_stream_calls_and_their_errors(
    moto: Any,
) -> None:
    ddb = moto.client("dynamodb")
    ddb.create_table(TableName="orders", StreamSpecification=STREAM, **KEY)

    reported: list[Progress] = []
    ctx = make_context(moto)
    ctx.before_send_hooks.append(deny("ListStreams"))
    collection = collect_inventory(
        ctx, collectors=(DynamoDbCollector,), on_progress=reported.append
    )
    (done,) = [p for p in reported if p.state != "started"]
    made = sum(n for k, n in collection.calls.items() if "dynamodb:" in k)
    assert collection.calls["streams.dynamodb:ListStreams"] >= 1
    assert done.calls == made  # ListTables, ListStreams and GetResourcePolicy alike
    assert done.errors == 1  # the denied ListStreams (recorded as dynamodbstreams)
