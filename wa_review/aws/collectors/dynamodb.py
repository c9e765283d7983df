"""DynamoDB collector: tables, their streams, and the resource policy of each."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.dynamodb import DynamoDbSnapshot, DynamoPolicy, Table

NO_POLICY = "PolicyNotFoundException"
# A stream that rolled over between ListStreams and GetResourcePolicy no longer exists, so it
# grants nothing. (moto answers this for every stream ARN: it keeps no stream policies.)
STREAM_GONE = "ResourceNotFoundException"
# ListStreams returns at most 100 streams a call.
STREAMS_PER_PAGE = 100


class DynamoDbCollector(Collector[DynamoDbSnapshot]):
    service: ClassVar[str] = "dynamodb"
    snapshot_type: ClassVar[type[DynamoDbSnapshot]] = DynamoDbSnapshot
    endpoints: ClassVar[tuple[str, ...]] = ("dynamodb", "streams.dynamodb")
    error_services: ClassVar[tuple[str, ...]] = ("dynamodb", "dynamodbstreams")
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "dynamodb:ListTables",
        "dynamodb:ListStreams",
        "dynamodb:GetResourcePolicy",
    )

    def collect(self, api: RegionApi) -> DynamoDbSnapshot:
        listed, listing_error = api.listing("dynamodb", "list_tables", "TableNames")
        names = [str(n) for n in listed]
        partition = api.client("dynamodb").meta.partition
        arns = {
            n: f"arn:{partition}:dynamodb:{api.region}:{api.account_id}:table/{n}" for n in names
        }
        in_scope = [n for n in names if api.scope.includes(n, arns[n])]
        streams: dict[str, str] = {}
        streams_error = None
        if in_scope:
            try:
                streams = self._latest_streams(api, in_scope, len(names))
            except CallFailed as failed:
                streams_error = failed.error
        scoped = set(in_scope)
        tables = api.fan_out(
            lambda name: self._table(api, name, arns[name], name in scoped, streams), names
        )
        return DynamoDbSnapshot(
            tables=tuple(tables), streams_error=streams_error, listing_error=listing_error
        )

    def _table(
        self, api: RegionApi, name: str, arn: str, in_scope: bool, streams: dict[str, str]
    ) -> Table:
        if not in_scope:
            return Table(name, arn, in_scope=False)
        stream = streams.get(name)
        return Table(
            name,
            arn,
            True,
            stream_arn=stream,
            policy=self._policy(api, arn, gone_means_none=False),
            stream_policy=self._policy(api, stream, gone_means_none=True) if stream else None,
        )

    def _latest_streams(self, api: RegionApi, in_scope: list[str], tables: int) -> dict[str, str]:
        """Table name -> the ARN of its latest stream (DescribeTable's LatestStreamArn).

        One listing of the region's streams replaces a DescribeTable per table; when only a
        few of many tables are in scope, asking for those tables' streams alone is fewer calls.
        A table keeps a disabled stream readable for 24 hours, so several may be listed: the
        latest label (an ISO 8601 timestamp) is the one DescribeTable names.
        """
        if len(in_scope) < -(-tables // STREAMS_PER_PAGE):
            listed = [s for name in in_scope for s in self._streams(api, name)]
        else:
            listed = self._streams(api)
        wanted = set(in_scope)
        latest: dict[str, str] = {}
        for stream in sorted(listed, key=lambda s: str(s.get("StreamLabel", ""))):
            if str(stream.get("TableName")) in wanted and stream.get("StreamArn"):
                latest[str(stream["TableName"])] = str(stream["StreamArn"])
        return latest

    def _streams(self, api: RegionApi, table: str = "") -> list[dict[str, Any]]:
        """Every page of ListStreams, of one table or all (botocore has no paginator for it)."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"Limit": STREAMS_PER_PAGE}
        if table:
            params["TableName"] = table
        while True:
            page = api.call("dynamodbstreams", "list_streams", resource=table, **params)
            found += page.get("Streams") or ()
            # No early exit on cancel: a partial listing would call a table stream-less.
            start = page.get("LastEvaluatedStreamArn")
            if not start:
                return found
            params["ExclusiveStartStreamArn"] = start

    def _policy(self, api: RegionApi, arn: str, *, gone_means_none: bool) -> DynamoPolicy:
        none = (NO_POLICY, STREAM_GONE) if gone_means_none else (NO_POLICY,)
        try:
            found = api.call(
                "dynamodb", "get_resource_policy", resource=arn, absent=none, ResourceArn=arn
            )
        except CallFailed as failed:
            if failed.code in none:
                return DynamoPolicy(arn)
            return DynamoPolicy(arn, error=failed.error)
        policy = found.get("Policy")
        return DynamoPolicy(arn, document=str(policy) if policy else None)
